/*
 * highlight — show what belongs together in a figure, and reach its edges by keyboard.
 *
 * Hovering or focusing a node, an edge or a walkthrough step lights it, its
 * neighbours and the matching steps, and dims the rest. The SVG is prepared
 * for this once: wide hit areas on thin edges, Graphviz's <title> tooltips
 * moved aside, and one tab stop per diagram with arrow keys between edges.
 */
M.highlight = (function () {
  const { XLINK, HL, REL, DIM, ACTIVE, all, isElement, stashAttribute, activeSvg, inFigure, idsOf } = M.core;

  /** The step or SVG node/edge an event target belongs to, if any. */
  function interactiveFor(state, node) {
    if (!isElement(node) || !state.fig.contains(node)) return null;
    const step = node.closest(".mechanisms-step");
    if (step && state.steps.indexOf(step) !== -1) return step;
    const svg = state.svgs.find((s) => s.contains(node));
    if (svg) {
      const item = node.closest(".node, .edge, .cluster.mechanisms-cell");
      if (item && svg.contains(item)) return item;
    }
    return null;
  }

  function light(state, node, cls) {
    if (!node) return;
    node.classList.add(cls);
    state.lit.push([node, cls]);
  }

  function clearHighlight(state) {
    state.lit.forEach((pair) => pair[0].classList.remove(pair[1]));
    state.lit = [];
    state.current = null;
    state.fig.classList.remove(DIM);
  }

  /** Highlight a step, its edge and both of its nodes; dim everything else. */
  function highlightStep(state, step) {
    clearHighlight(state);
    state.current = step;
    light(state, step, ACTIVE);
    const parts = [step.dataset.edge, step.dataset.source, step.dataset.target]
      .map((id) => inFigure(state, id))
      .filter(Boolean);
    parts.forEach((node) => light(state, node, HL));
    cellsHolding(state, parts).forEach((cell) => light(state, cell, REL));
    if (parts.length) state.fig.classList.add(DIM);
  }

  /** The cells drawn around any of these nodes (SVG clusters hold their members by geometry only). */
  function cellsHolding(state, nodes) {
    const svg = activeSvg(state);
    if (!svg) return [];
    const boxes = nodes.filter((n) => n.classList.contains("node")).map((n) => n.getBoundingClientRect());
    return all(svg, ".cluster.mechanisms-cell").filter((cell) => {
      if (nodes.indexOf(cell) !== -1) return false;
      const c = cell.getBoundingClientRect();
      return boxes.some((b) => b.left >= c.left - 1 && b.right <= c.right + 1 && b.top >= c.top - 1 && b.bottom <= c.bottom + 1);
    });
  }

  /** Highlight an SVG node or edge, its neighbours and the matching steps. */
  function highlightItem(state, item) {
    clearHighlight(state);
    state.current = item;
    light(state, item, HL);
    const ids = idsOf(state, item);
    const svg = state.svgs.find((s) => s.contains(item)) || activeSvg(state);
    if (item.classList.contains("edge")) {
      state.steps.forEach((s) => {
        if (ids.indexOf(s.dataset.edge) !== -1) light(state, s, ACTIVE);
      });
      light(state, inFigure(state, item.dataset.source), REL);
      light(state, inFigure(state, item.dataset.target), REL);
    } else if (ids.length) {
      state.steps.forEach((s) => {
        if (ids.indexOf(s.dataset.source) !== -1 || ids.indexOf(s.dataset.target) !== -1) light(state, s, ACTIVE);
      });
      all(svg, ".edge").forEach((edge) => {
        const src = inFigure(state, edge.dataset.source);
        const tgt = inFigure(state, edge.dataset.target);
        if (src !== item && tgt !== item) return;
        light(state, edge, REL);
        light(state, src === item ? tgt : src, REL);
      });
    }
    state.fig.classList.add(DIM);
  }

  function activate(state, target) {
    if (state.current === target) return;
    if (target.classList.contains("mechanisms-step")) highlightStep(state, target);
    else highlightItem(state, target);
  }

  /** After the pointer leaves: fall back to whatever has keyboard focus. */
  function restore(state) {
    const focused = interactiveFor(state, document.activeElement);
    if (focused) {
      state.current = null;
      activate(state, focused);
    } else {
      clearHighlight(state);
    }
  }

  /** Give the graph's thin edge paths a wide, invisible hover target. */
  function addEdgeHitAreas(svg) {
    all(svg, ".edge").forEach((edge) => {
      const path = edge.querySelector("path");
      if (!path || edge.querySelector(".mechanisms-hit")) return;
      const hit = path.cloneNode(false);
      hit.removeAttribute("id");
      hit.removeAttribute("stroke-dasharray");
      hit.setAttribute("class", "mechanisms-hit");
      hit.setAttribute("aria-hidden", "true");
      path.parentNode.insertBefore(hit, path);
    });
  }

  /** Graphviz writes <title> children, which browsers show as tooltips. */
  function stripSvgTitles(svg) {
    all(svg, "title").forEach((title) => {
      const parent = title.parentNode;
      if (parent && parent !== svg && isElement(parent)) {
        parent.setAttribute("data-mechanisms-svg-title", title.textContent);
        parent.removeChild(title);
      }
    });
    // Links inside the graph may carry xlink:title without data-tip-text.
    all(svg, "a").forEach((a) => {
      stashAttribute(a, XLINK, "title", "data-mechanisms-xlink-title");
    });
  }

  function stepNumber(edge) {
    const m = /-e(\d+)$/.exec(edge.id);
    return m ? Number(m[1]) : 0;
  }

  /** Edges in step order; the first holds the diagram's one edge tab stop (roving tabindex). */
  function bindEdgeFocus(state, svg) {
    const edges = all(svg, ".edge[data-tip-title]").sort((a, b) => stepNumber(a) - stepNumber(b));
    edges.forEach((edge, i) => edge.setAttribute("tabindex", i === 0 ? "0" : "-1"));
    state.edges.set(svg, edges);
  }

  function edgeList(state, node) {
    const svg = state.svgs.find((s) => s.contains(node));
    const edges = svg ? state.edges.get(svg) || [] : [];
    return edges.indexOf(node) === -1 ? null : edges;
  }

  /** The focused edge keeps the tab stop, so Tab returns to where the reader was. */
  function rove(edges, edge) {
    edges.forEach((e) => e.setAttribute("tabindex", e === edge ? "0" : "-1"));
  }

  return {
    interactiveFor,
    clear: clearHighlight,
    step: highlightStep,
    activate,
    restore,
    prepareSvg(state, svg) {
      stripSvgTitles(svg);
      addEdgeHitAreas(svg);
      bindEdgeFocus(state, svg);
    },
    edgeList,
    rove,
  };
})();
