/*
 * boot — start the enhancements on every page, however the page arrived.
 *
 * Material for MkDocs' instant navigation swaps the page without running
 * scripts again and announces each page on document$; other themes load
 * pages whole. init() is idempotent: document-wide listeners are bound once,
 * figures once each, and what a swapped-out page left behind is forgotten.
 */
M.boot = (function () {
  const { figures, all } = M.core;
  const tips = M.tips;
  const tip = tips.tip;
  const highlight = M.highlight;
  const zoom = M.zoom;
  let globalsBound = false;

  function bindGlobals() {
    if (globalsBound) return;
    globalsBound = true;
    M.touch.listen();
    tips.listen();
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      if (tip.trigger) {
        // Escape closes the tooltip first (and not the zoom dialog behind it).
        tip.dismissed = tip.trigger;
        tips.hide();
        e.preventDefault();
        return;
      }
      figures.forEach((state) => {
        if (state.lit.length) highlight.clear(state);
      });
    });
    M.steps.listen();
  }

  function init() {
    if (!document.body) return;
    bindGlobals();
    // Forget figures removed by instant navigation.
    figures.forEach((state, fig) => {
      if (!fig.isConnected) figures.delete(fig);
    });
    if (tip.trigger && !tip.trigger.isConnected) tips.hide();
    if (tip.el && !tip.el.isConnected) document.body.appendChild(tip.el);
    if (!tip.el) document.body.appendChild(tips.element());
    const dlg = zoom.dialog();
    if (dlg && !dlg.isConnected) document.body.appendChild(dlg);
    const opener = zoom.opener();
    if (dlg && dlg.open && !(opener && opener.isConnected)) dlg.close();

    tips.prepare(document);
    all(document, "figure.mechanisms-figure").forEach(M.figure.bind);
  }

  function subscribeOrInit() {
    const doc$ = window.document$;
    if (doc$ && typeof doc$.subscribe === "function") doc$.subscribe(() => init());
    else init();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => init());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", subscribeOrInit, { once: true });
  } else {
    init();
  }

  return { init };
})();
