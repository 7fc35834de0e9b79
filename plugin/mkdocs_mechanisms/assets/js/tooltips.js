/*
 * tooltips — say what a node, an edge, a term or a citation is, where it is.
 *
 * One shared, accessible tooltip for every [data-tip-text] element (WCAG
 * 1.4.13: dismissable with Escape, hoverable, persistent), placed clear of
 * the highlighted neighbourhood. An edge's tooltip lists the sources its
 * walkthrough steps cite; a tap's preview carries the link onward.
 */
M.tips = (function () {
  const { BOUND, XLINK, TIP_ID, figures, pointer, all, clamp, isElement, make, stashAttribute, idsOf } = M.core;
  const TIP_HIDE_DELAY = 200; // ms: time to move the pointer onto the tooltip

  const tip = {
    el: null, // the shared div.mechanisms-tooltip
    trigger: null, // element the tooltip currently describes
    preview: false, // shown by a tap: carries a link onward, a second tap follows it
    describedBy: null, // trigger's own aria-describedby, restored on hide
    dismissed: null, // trigger whose tooltip was closed with Escape
    timer: 0,
  };


  function tooltipElement() {
    if (tip.el) return tip.el;
    const el = make("div", "mechanisms-tooltip");
    el.id = TIP_ID;
    el.setAttribute("role", "tooltip");
    el.hidden = true;
    // Hoverable: entering the tooltip cancels a pending hide.
    el.addEventListener("mouseenter", cancelHide);
    el.addEventListener("mouseleave", () => {
      if (!tip.preview) scheduleHide();
    });
    tip.el = el;
    return el;
  }

  function tipTrigger(node) {
    if (!isElement(node) || (tip.el && tip.el.contains(node))) return null;
    return node.closest("[data-tip-text]");
  }

  function cancelHide() {
    clearTimeout(tip.timer);
    tip.timer = 0;
  }

  function scheduleHide() {
    cancelHide();
    tip.timer = setTimeout(hideTip, TIP_HIDE_DELAY);
  }

  /** The link a diagram node leads to (SVG <a> may carry href or xlink:href). */
  function linkOf(trigger) {
    if (trigger.localName !== "a") return "";
    return trigger.getAttribute("href") || trigger.getAttributeNS(XLINK, "href") || "";
  }

  /**
   * Citation links of the walkthrough steps or comparison rows that describe an
   * edge (all the edges it stands for when the phone layout folds several).
   */
  function edgeSources(trigger) {
    const fig = trigger.closest("figure.mechanisms-figure");
    const state = fig && figures.get(fig);
    if (!state || !trigger.classList.contains("edge")) return [];
    const ids = idsOf(state, trigger);
    const seen = new Set();
    const links = [];
    all(fig, "[data-edge]").forEach((row) => {
      if (ids.indexOf(row.getAttribute("data-edge")) === -1) return;
      all(row, ".mechanisms-cite a[href]").forEach((a) => {
        const href = a.getAttribute("href");
        if (seen.has(href)) return;
        seen.add(href);
        links.push(a);
      });
    });
    return links;
  }

  /** Fill the tooltip from the trigger's data (text only: never parsed as HTML). */
  function fillTip(el, trigger, preview) {
    el.textContent = "";
    const title = trigger.getAttribute("data-tip-title");
    const text = trigger.getAttribute("data-tip-text");
    if (title) el.appendChild(make("strong", "mechanisms-tooltip-title", title));
    if (text) el.appendChild(make("span", "mechanisms-tooltip-text", text));
    const sources = edgeSources(trigger);
    if (sources.length) {
      const list = make("ul", "mechanisms-tooltip-sources");
      list.setAttribute("aria-label", sources.length === 1 ? "Source" : "Sources");
      sources.forEach((cite) => {
        const item = make("li");
        const a = make("a", "mechanisms-tooltip-cite", "[" + cite.textContent.trim() + "]");
        a.href = cite.href;
        if (cite.getAttribute("aria-label")) a.setAttribute("aria-label", cite.getAttribute("aria-label"));
        item.append(a, " ", make("span", "mechanisms-tooltip-ref", cite.getAttribute("data-tip-text") || ""));
        list.appendChild(item);
      });
      el.appendChild(list);
    }
    const href = preview ? linkOf(trigger) : "";
    if (href) {
      const word = trigger.closest(".mechanisms-cite") ? "Open reference" : "Open glossary entry";
      const more = make("a", "mechanisms-tooltip-link", word);
      more.setAttribute("href", href); // relative to this page, like the node link itself
      const name = title || trigger.getAttribute("aria-label");
      if (name) more.setAttribute("aria-label", word + ": " + name);
      el.appendChild(more);
    }
  }

  function showTip(trigger, preview) {
    cancelHide();
    preview = !!preview;
    if (tip.trigger === trigger && (tip.preview || !preview)) return;
    if (tip.trigger && tip.trigger !== trigger) hideTip();
    if (!trigger.getAttribute("data-tip-text") && !trigger.getAttribute("data-tip-title")) return;
    const el = tooltipElement();
    fillTip(el, trigger, preview);
    el.classList.toggle("is-preview", preview);
    // A modal dialog lives in the top layer: the tooltip must be inside it.
    const host = trigger.closest("dialog[open]") || document.body;
    if (el.parentNode !== host) host.appendChild(el);
    el.hidden = false;
    if (tip.trigger !== trigger) {
      tip.describedBy = trigger.getAttribute("aria-describedby");
      trigger.setAttribute("aria-describedby", (tip.describedBy ? tip.describedBy + " " : "") + TIP_ID);
    }
    tip.trigger = trigger;
    tip.preview = preview;
    positionTip(preview);
  }

  function hideTip() {
    cancelHide();
    const trigger = tip.trigger;
    if (!trigger) return;
    if (tip.describedBy) trigger.setAttribute("aria-describedby", tip.describedBy);
    else trigger.removeAttribute("aria-describedby");
    tip.trigger = null;
    tip.preview = false;
    tip.describedBy = null;
    tip.el.hidden = true;
  }

  /** The boxes the tooltip must not cover: its trigger and whatever the figure highlights with it. */
  function keepClear(trigger) {
    const rects = [trigger.getBoundingClientRect()];
    const fig = trigger.closest("figure.mechanisms-figure");
    const state = fig && figures.get(fig);
    if (state) {
      state.lit.forEach((pair) => {
        const node = pair[0];
        if (node.closest("svg") && node.getClientRects().length) rects.push(node.getBoundingClientRect());
      });
    }
    return rects.filter((r) => r.width || r.height);
  }

  function overlap(a, b) {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /**
   * Place the tooltip inside the viewport where it covers least of the trigger
   * and its highlighted neighbours: beside, below or above the trigger, else
   * outside the box around the whole neighbourhood; nearest the trigger wins.
   * A tap's preview that finds no clear spot (on a phone the tooltip is nearly
   * as wide as the window, and a long highlighted edge can fill the rest) scrolls
   * the page just enough to open room below the trigger, once.
   */
  function positionTip(makeRoom) {
    if (!tip.trigger) return;
    const el = tip.el;
    const m = 8;
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = window.innerHeight;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const view = { left: 0, top: 0, right: vw, bottom: vh };
    const avoid = keepClear(tip.trigger)
      .map((r) => ({
        left: Math.max(r.left, 0),
        top: Math.max(r.top, 0),
        right: Math.min(r.right, vw),
        bottom: Math.min(r.bottom, vh),
      }))
      .filter((r) => r.right > r.left && r.bottom > r.top);
    const t = tip.trigger.getBoundingClientRect();
    const around = avoid.reduce(
      (u, r) => ({
        left: Math.min(u.left, r.left),
        top: Math.min(u.top, r.top),
        right: Math.max(u.right, r.right),
        bottom: Math.max(u.bottom, r.bottom),
      }),
      { left: t.left, top: t.top, right: t.right, bottom: t.bottom }
    );
    const cx = t.left + t.width / 2;
    const cy = t.top + t.height / 2;
    const spots = [];
    [t, around].forEach((a) => {
      [cx - w / 2, a.left, a.right - w].forEach((x) => {
        spots.push([x, a.bottom + m]); // below
        spots.push([x, a.top - m - h]); // above
      });
      [cy - h / 2, a.top, a.bottom - h].forEach((y) => {
        spots.push([a.right + m, y]); // right
        spots.push([a.left - m - w, y]); // left
      });
    });
    // The window's top and bottom edges: on a phone the tooltip is nearly as wide as the
    // window, so beside the trigger there is no room that clears the highlighted neighbours.
    [m, vh - h - m].forEach((y) => spots.push([cx - w / 2, y]));
    // And the gaps between the highlighted boxes (a tall neighbourhood leaves room between its parts).
    avoid.forEach((r) => {
      [r.bottom + m, r.top - m - h].forEach((y) => [m, vw - w - m, cx - w / 2].forEach((x) => spots.push([x, y])));
    });
    let best = null;
    spots.forEach((spot, order) => {
      const left = clamp(spot[0], m, Math.max(m, vw - w - m));
      const top = clamp(spot[1], m, Math.max(m, vh - h - m));
      const box = { left, top, right: left + w, bottom: top + h };
      const covered = avoid.reduce((sum, r) => sum + overlap(box, r), 0);
      const outside = w * h - overlap(box, view);
      const dist = Math.hypot(left + w / 2 - cx, top + h / 2 - cy);
      const score = [covered + outside, dist + order * 0.01];
      if (!best || score[0] < best.score[0] - 0.5 || (Math.abs(score[0] - best.score[0]) <= 0.5 && score[1] < best.score[1])) {
        best = { left, top, score };
      }
    });
    const need = t.bottom + m + h + m - vh;
    if (makeRoom === true && best.score[0] > 0.5 && need > 0 && !tip.trigger.closest("dialog[open]")) {
      const before = window.scrollY;
      window.scrollBy({ top: need, behavior: "instant" });
      if (window.scrollY !== before) return positionTip(false);
    }
    el.style.left = Math.round(best.left) + "px";
    el.style.top = Math.round(best.top) + "px";
  }

  /** Remove native title tooltips from tooltip triggers (no double tooltips). */
  function prepareTipTriggers(root) {
    all(root, "[data-tip-text]").forEach((node) => {
      if (node.hasAttribute(BOUND)) return;
      node.setAttribute(BOUND, "");
      stashAttribute(node, XLINK, "title", "data-mechanisms-xlink-title");
      stashAttribute(node, null, "title", "data-mechanisms-title");
    });
  }

  function listen() {
    document.addEventListener("mouseover", (e) => {
      if (pointer.kind !== "mouse" || tip.preview || pointer.resting) return;
      const trigger = tipTrigger(e.target);
      if (trigger && trigger !== tip.dismissed) showTip(trigger);
    });
    document.addEventListener("mouseout", (e) => {
      if (pointer.kind !== "mouse" || tip.preview || pointer.resting) return;
      const trigger = tipTrigger(e.target);
      if (!trigger || (isElement(e.relatedTarget) && trigger.contains(e.relatedTarget))) return;
      if (tip.dismissed === trigger) tip.dismissed = null;
      if (tip.trigger === trigger && document.activeElement !== trigger) scheduleHide();
    });
    document.addEventListener("focusin", (e) => {
      tip.dismissed = null;
      if (tip.preview) return;
      const trigger = tipTrigger(e.target);
      if (trigger && trigger === e.target) showTip(trigger);
    });
    document.addEventListener("focusout", (e) => {
      if (tip.preview || (tip.el && isElement(e.relatedTarget) && tip.el.contains(e.relatedTarget))) return;
      const trigger = tipTrigger(e.target);
      if (trigger && tip.trigger === trigger && !trigger.matches(":hover")) hideTip();
    });
    window.addEventListener("scroll", positionTip, { capture: true, passive: true });
    window.addEventListener("resize", positionTip, { passive: true });
  }

  return {
    tip,
    element: tooltipElement,
    trigger: tipTrigger,
    show: showTip,
    hide: hideTip,
    position: positionTip,
    prepare: prepareTipTriggers,
    listen,
  };
})();
