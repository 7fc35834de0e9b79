/*
 * span — wide figures span into the margin.
 *
 * A comparison draws its pathways as panels side by side; like a wide figure
 * in a journal it may take the room right of the text column (where the table
 * of contents sits) when its column is too narrow for legible labels. The
 * layout was chosen for that width at build time (render/layout.py, SPAN);
 * here a diagram box too narrow for its figure grows to the right over that
 * margin, as far as the window allows (covering all of it, not a slice). Without this script the figure
 * stays in its column, scaled down.
 *
 * Re-run after instant navigation and on resize.
 */
(function () {
  "use strict";

  const GAP = 16; // px kept clear of the window's right edge
  const SPAN = "--mechanisms-span";

  /** How wide the diagram wants to be: its natural width, or less where the page caps its height. */
  function wanted(svg) {
    const w = parseFloat(svg.getAttribute("width")) || 0;
    const h = parseFloat(svg.getAttribute("height")) || 0;
    const cap = parseFloat(getComputedStyle(svg).maxHeight);
    return h && cap > 0 && cap < h ? (w * cap) / h : w;
  }

  function span(fig) {
    const box = fig.querySelector(".mechanisms-diagram");
    const svg = box && box.querySelector(":scope > svg.mechanisms-svg-wide");
    if (!box || !svg) return;
    fig.style.removeProperty(SPAN);
    fig.classList.remove("is-spanning");
    if (!svg.getClientRects().length || fig.classList.contains("is-stepping")) return;
    const style = getComputedStyle(box);
    const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const need = Math.ceil(wanted(svg) - inner);
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const room = Math.floor(vw - box.getBoundingClientRect().right - GAP);
    // All the room, not only what the figure needs: a margin half covered shows its cut-off text.
    const bleed = need >= 1 ? room : 0;
    if (bleed < 1) return;
    fig.style.setProperty(SPAN, bleed + "px");
    fig.classList.add("is-spanning");
  }

  function spanAll() {
    document.querySelectorAll("figure.mechanisms-figure").forEach(span);
  }

  let queued = false;
  window.addEventListener(
    "resize",
    () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        spanAll();
      });
    },
    { passive: true }
  );

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(spanAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", spanAll, { once: true });
  } else {
    spanAll();
  }
})();
