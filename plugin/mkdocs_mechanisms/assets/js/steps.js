/*
 * steps — the walkthrough, one step at a time, beside or under its diagram.
 *
 * "Previous step" / "Next step" buttons with a live status, a "Walk through"
 * button on the figure, and the stepping layout: the steps sit beside the
 * diagram on a wide screen, under a sticky diagram on a narrow one, each step
 * kept in view together with the edge it highlights.
 */
M.steps = (function () {
  const { figures, pointer, clamp, make, makeButton, naturalSize, activeSvg, inFigure } = M.core;
  const tips = M.tips;
  const highlight = M.highlight;
  const WIDE_STEPPING = 1220; // px of viewport from which the steps sit beside the diagram
  const SIDE_WIDTH = 320; // px: the steps column beside the diagram (keep in step with the CSS)
  const SIDE_GAP = 24; // px between diagram and steps (ditto)
  const MAX_BLEED = 420; // px the stepping figure may reach right of the text column

  function buildStepNav(state) {
    const details = state.fig.querySelector(".mechanisms-walkthrough");
    const list = state.fig.querySelector(".mechanisms-steps");
    if (!list || !state.steps.length) return;
    const nav = make("div", "mechanisms-stepnav");
    nav.setAttribute("role", "group");
    nav.setAttribute("aria-label", "Walkthrough controls");
    const prev = makeButton("mechanisms-step-prev", "Previous step");
    const next = makeButton("mechanisms-step-next", "Next step");
    const done = makeButton("mechanisms-step-done", "Done", "Leave the walkthrough");
    const status = make("span", "mechanisms-step-status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    nav.append(prev, next, done, status);
    done.addEventListener("click", () => stopStepping(state));
    list.parentNode.insertBefore(nav, list);
    // Start the walkthrough from the figure itself, on any page that embeds it.
    if (state.diagram) {
      const start = makeButton("mechanisms-step-start", "Walk through", "Walk through the figure step by step");
      start.addEventListener("click", () => goToStep(state, 0));
      state.start = start;
      const tools = state.diagram.querySelector(".mechanisms-diagram-tools");
      if (tools) tools.insertBefore(start, tools.firstChild);
      else state.pendingStart = start;
    }
    prev.addEventListener("click", () => goToStep(state, state.index - 1));
    next.addEventListener("click", () => goToStep(state, state.index + 1));
    state.nav = { details, prev, next, done, status };
    updateStepNav(state);
  }

  function updateStepNav(state) {
    const nav = state.nav;
    if (!nav) return;
    const n = state.steps.length;
    nav.prev.disabled = state.index <= 0;
    nav.next.disabled = state.index >= n - 1;
    nav.done.hidden = !state.fig.classList.contains("is-stepping");
    nav.status.textContent =
      state.index >= 0 ? "Step " + (state.index + 1) + " of " + n : n + (n === 1 ? " step" : " steps");
  }

  /** Move to step i (clamped): open the walkthrough, focus and highlight it. */
  function goToStep(state, i) {
    if (!state.steps.length) return;
    state.index = clamp(i, 0, state.steps.length - 1);
    const step = state.steps[state.index];
    if (state.nav && state.nav.details && !state.nav.details.open) state.nav.details.open = true;
    const entering = !state.fig.classList.contains("is-stepping");
    layoutStepping(state);
    if (entering) settleStepping(state);
    pointer.resting = [pointer.at[0], pointer.at[1]];
    tips.hide();
    step.focus({ preventScroll: true });
    state.current = null;
    highlight.step(state, step);
    updateStepNav(state);
    revealStep(state, step);
  }

  /** Bottom of a fixed or sticky site header (Material's, Bootstrap's), which covers the page top. */
  function headerBottom() {
    const header = document.querySelector(".md-header, .navbar.fixed-top, body > header");
    if (!header) return 0;
    const pos = getComputedStyle(header).position;
    if (pos !== "fixed" && pos !== "sticky") return 0;
    return Math.max(0, header.getBoundingClientRect().bottom);
  }

  /**
   * Stepping layout. Wide screens: the steps sit beside the diagram, the figure
   * reaching into the room right of the text column (the table of contents) when
   * the diagram would otherwise shrink. Narrower: the steps below, the diagram
   * and the step controls sticky above them. The sticky parts' sizes go to CSS
   * custom properties, so that a step scrolled into view clears them.
   */
  function layoutStepping(state) {
    const fig = state.fig;
    fig.classList.add("is-stepping");
    fig.classList.remove("is-stepping-wide");
    fig.style.removeProperty("--mechanisms-bleed");
    fig.style.setProperty("--mechanisms-sticky-top", Math.floor(headerBottom()) + "px");
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const svg = activeSvg(state);
    if (vw >= WIDE_STEPPING && svg) {
      const box = fig.getBoundingClientRect();
      const bleed = clamp(Math.floor(vw - box.right - 16), 0, MAX_BLEED);
      if (box.width + bleed - SIDE_WIDTH - SIDE_GAP >= 0.95 * naturalSize(svg).w) {
        fig.style.setProperty("--mechanisms-bleed", bleed + "px");
        fig.classList.add("is-stepping-wide");
      }
    }
    const navBox = state.nav && state.nav.prev.parentNode;
    const navH = Math.ceil(navBox ? navBox.getBoundingClientRect().height : 0);
    if (!fig.classList.contains("is-stepping-wide")) {
      // The sticky diagram takes what the controls and the current step leave of the window.
      const step = state.steps[Math.max(0, state.index)];
      const stepH = step ? Math.min(step.getBoundingClientRect().height, window.innerHeight / 4) : 0;
      const room = window.innerHeight - headerBottom() - navH - stepH - 24;
      fig.style.setProperty("--mechanisms-box-max", Math.max(Math.floor(room), window.innerHeight * 0.4) + "px");
    }
    const dh = state.diagram ? state.diagram.getBoundingClientRect().height : 0;
    fig.style.setProperty("--mechanisms-diagram-h", Math.ceil(dh) + "px");
    fig.style.setProperty("--mechanisms-nav-h", navH + "px");
  }

  /**
   * On the first step, scroll the page so that the diagram and the step controls
   * are already where they stick: from then on the Next button stays under the
   * reader's pointer or finger, and only the steps move.
   */
  function settleStepping(state) {
    const fig = state.fig;
    const stick = parseFloat(fig.style.getPropertyValue("--mechanisms-sticky-top")) || 0;
    const navBox = state.nav && state.nav.prev.parentNode;
    let delta = 0;
    if (navBox) {
      const under = fig.classList.contains("is-stepping-wide") ? 0 : parseFloat(fig.style.getPropertyValue("--mechanisms-diagram-h")) || 0;
      delta = navBox.getBoundingClientRect().top - (stick + under);
    } else if (state.diagram) {
      delta = state.diagram.getBoundingClientRect().top - stick;
    }
    if (Math.abs(delta) >= 1) window.scrollBy({ top: delta, behavior: "instant" });
  }

  /** Leave the stepping layout: back to the figure as it was, focus on what started it. */
  function stopStepping(state) {
    const fig = state.fig;
    if (!fig.classList.contains("is-stepping")) return;
    fig.classList.remove("is-stepping", "is-stepping-wide");
    ["--mechanisms-bleed", "--mechanisms-sticky-top", "--mechanisms-diagram-h", "--mechanisms-nav-h", "--mechanisms-box-max"].forEach((v) =>
      fig.style.removeProperty(v)
    );
    highlight.clear(state);
    state.svgs.forEach((svg) => svg.style.removeProperty("max-width"));
    state.index = -1;
    updateStepNav(state);
    const back = state.start || (state.nav && state.nav.details && state.nav.details.querySelector("summary"));
    if (back) {
      back.focus({ preventScroll: true });
      back.scrollIntoView({ block: "nearest" });
    }
  }

  /** The box around the elements' boxes. */
  function union(elements) {
    const whole = elements
      .map((n) => n.getBoundingClientRect())
      .reduce((u, p) => ({
        left: Math.min(u.left, p.left),
        top: Math.min(u.top, p.top),
        right: Math.max(u.right, p.right),
        bottom: Math.max(u.bottom, p.bottom),
      }));
    whole.width = whole.right - whole.left;
    whole.height = whole.bottom - whole.top;
    return whole;
  }

  /**
   * Keep the step's text and its highlighted edge in view together. When both
   * ends of the step are farther apart than the sticky box is high (a phone),
   * the diagram is drawn smaller for this step, so that neither end is lost.
   */
  function revealStep(state, step) {
    step.scrollIntoView({ block: "nearest" }); // scroll-margin clears the sticky diagram and controls
    const edge = inFigure(state, step.dataset.edge) || inFigure(state, step.dataset.target);
    const box = state.diagram;
    const svg = activeSvg(state);
    if (!edge || !box || !svg) return;
    const elements = [edge, inFigure(state, step.dataset.source), inFigure(state, step.dataset.target)].filter(Boolean);
    svg.style.removeProperty("max-width");
    let b = box.getBoundingClientRect();
    let whole = union(elements);
    const room = { w: box.clientWidth - 8, h: box.clientHeight - 8 };
    const shrink = Math.min(1, room.h / whole.height, room.w / whole.width);
    if (shrink < 1) {
      svg.style.maxWidth = Math.floor(svg.getBoundingClientRect().width * shrink * 0.98) + "px";
      state.fig.style.setProperty("--mechanisms-diagram-h", Math.ceil(box.getBoundingClientRect().height) + "px");
      b = box.getBoundingClientRect();
      whole = union(elements);
    }
    const r = whole.height <= b.height && whole.width <= b.width ? whole : edge.getBoundingClientRect();
    if (r.top < b.top || r.bottom > b.bottom) box.scrollTop += r.top - b.top - (b.height - r.height) / 2;
    if (r.left < b.left || r.right > b.right) box.scrollLeft += r.left - b.left - (b.width - r.width) / 2;
  }

  function listen() {
    window.addEventListener(
      "resize",
      () => {
        figures.forEach((state) => {
          if (state.fig.classList.contains("is-stepping")) layoutStepping(state);
        });
      },
      { passive: true }
    );
  }

  return { build: buildStepNav, update: updateStepNav, goTo: goToStep, stop: stopStepping, listen };
})();
