/*
 * figure — enhance one figure: its state, and the listeners that tie its roles together.
 *
 * A figure is bound once (marked with data-mechanisms-bound): its diagram's
 * SVGs are prepared for highlighting, pointer and keyboard move the
 * highlight, arrow keys move between steps and between edges, Escape leaves
 * the walkthrough, and the walkthrough and "Enlarge" controls are built.
 */
M.figure = (function () {
  const { BOUND, figures, pointer, all, clamp, isElement } = M.core;
  const tip = M.tips.tip;
  const highlight = M.highlight;
  const steps = M.steps;
  const zoom = M.zoom;

  function bindFigure(fig) {
    if (fig.hasAttribute(BOUND)) return;
    fig.setAttribute(BOUND, "");
    const diagram = fig.querySelector(".mechanisms-diagram");
    const svgs = diagram ? all(diagram, "svg.mechanisms-svg") : [];
    const state = {
      fig,
      diagram,
      svgs,
      svg: svgs[0] || null,
      steps: all(fig, ".mechanisms-step"),
      lit: [],
      current: null,
      index: -1,
      nav: null,
      enlarge: null,
      start: null, // the "Walk through" button
      edges: new Map(), // svg -> its edges in step order
    };
    figures.set(fig, state);
    state.svgs.forEach((svg) => highlight.prepareSvg(state, svg));

    // While stepping, a pointer left where the page scrolled it to does not
    // take the highlight from the current step: only a pointer that moves does.
    const resting = () => pointer.resting && fig.classList.contains("is-stepping");
    fig.addEventListener("mouseover", (e) => {
      if (resting()) return;
      const target = highlight.interactiveFor(state, e.target);
      if (target) highlight.activate(state, target);
    });
    fig.addEventListener("mouseout", (e) => {
      if (resting()) return;
      const from = highlight.interactiveFor(state, e.target);
      if (from && !(isElement(e.relatedTarget) && from.contains(e.relatedTarget))) highlight.restore(state);
    });
    fig.addEventListener("focusin", (e) => {
      const target = highlight.interactiveFor(state, e.target);
      if (!target) return;
      const edges = highlight.edgeList(state, target);
      if (edges) highlight.rove(edges, target);
      highlight.activate(state, target);
      const i = state.steps.indexOf(target);
      if (i !== -1 && i !== state.index) {
        state.index = i;
        steps.update(state);
      }
    });
    fig.addEventListener("focusout", (e) => {
      if (!highlight.interactiveFor(state, e.relatedTarget)) highlight.clear(state);
    });
    // Arrow keys move between steps while a step has focus, and between edges
    // while an edge has focus; Escape leaves the stepping layout.
    fig.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey || !isElement(e.target)) return;
      if (e.key === "Escape" && !tip.trigger && fig.classList.contains("is-stepping")) {
        steps.stop(state);
        e.preventDefault();
        return;
      }
      const edges = highlight.edgeList(state, e.target);
      if (edges) {
        const k = edges.indexOf(e.target);
        const move = { ArrowRight: k + 1, ArrowDown: k + 1, ArrowLeft: k - 1, ArrowUp: k - 1, Home: 0, End: edges.length - 1 };
        if (move[e.key] === undefined) return;
        e.preventDefault();
        const next = edges[clamp(move[e.key], 0, edges.length - 1)];
        highlight.rove(edges, next);
        next.focus();
        return;
      }
      const i = state.steps.indexOf(e.target);
      if (i === -1) return;
      const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: state.steps.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      steps.goTo(state, to);
    });

    steps.build(state);
    zoom.build(state);
  }

  return { bind: bindFigure };
})();
