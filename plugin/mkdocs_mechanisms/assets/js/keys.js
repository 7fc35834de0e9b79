/*
 * keys — Tab follows the picture.
 *
 * Graphviz writes a diagram's SVG in its own order (cells first, because they
 * are drawn behind what sits on them), so the browser's tab order jumps about
 * the figure. Inside a diagram, Tab and Shift+Tab move between its tab stops
 * in reading order of the picture instead: rank by rank from the top, left to
 * right within a rank. Leaving the diagram, the browser's own order goes on.
 *
 * Document-level listeners, so it survives
 * Material's instant navigation without re-binding.
 */
(function () {
  "use strict";

  const STOPS = "a[href], a[*|href], [tabindex]";
  const ROW = 8; // px: stops whose tops differ by less are on one rank

  function diagramOf(node) {
    return node instanceof Element ? node.closest(".mechanisms-diagram svg, .mechanisms-zoom-viewport svg") : null;
  }

  /** The diagram's tab stops, in document order and in picture order. */
  function stops(svg) {
    const dom = Array.from(svg.querySelectorAll(STOPS)).filter(
      (el) => el.getAttribute("tabindex") !== "-1" && el.getClientRects().length
    );
    const at = new Map(dom.map((el) => [el, el.getBoundingClientRect()]));
    // Ranks: stops whose tops lie within ROW of the rank's first; a cell ranks by its own top.
    const byTop = dom.slice().sort((a, b) => at.get(a).top - at.get(b).top);
    const rank = new Map();
    let start = -Infinity;
    let r = -1;
    byTop.forEach((el) => {
      const top = at.get(el).top;
      if (top - start >= ROW) {
        r += 1;
        start = top;
      }
      rank.set(el, r);
    });
    const picture = byTop.sort((a, b) => rank.get(a) - rank.get(b) || at.get(a).left - at.get(b).left);
    return { dom, picture };
  }

  let backwards = false;

  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Tab" || e.altKey || e.ctrlKey || e.metaKey) return;
      backwards = e.shiftKey;
      const svg = diagramOf(document.activeElement);
      if (!svg) return;
      const { dom, picture } = stops(svg);
      const i = picture.indexOf(document.activeElement);
      if (i === -1) return;
      const next = picture[i + (e.shiftKey ? -1 : 1)];
      if (next) {
        e.preventDefault();
        next.focus();
      } else if (dom.length) {
        // Leaving the diagram: from its first or last stop in the document, the browser tabs on.
        const edge = e.shiftKey ? dom[0] : dom[dom.length - 1];
        if (edge !== document.activeElement) edge.focus();
      }
    },
    true
  );

  // Tabbing into a diagram from outside starts at the picture's first stop (or its last, backwards).
  document.addEventListener(
    "focusin",
    (e) => {
      const svg = diagramOf(e.target);
      if (!svg || diagramOf(e.relatedTarget) === svg || !e.relatedTarget) return;
      const { dom, picture } = stops(svg);
      const entry = backwards ? dom[dom.length - 1] : dom[0];
      const want = backwards ? picture[picture.length - 1] : picture[0];
      if (e.target === entry && want && want !== e.target) want.focus();
    },
    true
  );
  document.addEventListener("pointerdown", () => {
    backwards = false;
  });
})();
