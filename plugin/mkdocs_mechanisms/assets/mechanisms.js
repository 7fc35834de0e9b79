/*
 * mkdocs-mechanisms — browser enhancements for mechanism diagrams.
 *
 * Progressive enhancement only: without this script every node link is a
 * real link, the walkthrough is an ordered list and citations are links.
 * With it we add:
 *   1. accessible tooltips for every [data-tip-text] element (WCAG 1.4.13:
 *      dismissable with Escape, hoverable, persistent), placed clear of the
 *      highlighted neighbourhood; edges say what they are (sentence, note,
 *      sources) and are reached by keyboard (one tab stop per diagram, arrow
 *      keys between edges); on touch the first tap previews, the second
 *      follows the link;
 *   2. step-through highlighting between the walkthrough list and the SVG,
 *      with "Previous step" / "Next step" buttons and a live status;
 *   3. an "Enlarge figure" dialog with wheel / pinch / keyboard zoom and pan;
 *   4. re-binding after Material for MkDocs' instant navigation.
 *
 * Plain ES2019 in an IIFE, no dependencies. init() is idempotent: every
 * element we enhance is marked with a data attribute.
 */
(function () {
  "use strict";

  const BOUND = "data-mechanisms-bound"; // marks enhanced figures / tip triggers
  const XLINK = "http://www.w3.org/1999/xlink";
  const HL = "mechanisms-highlight"; // element in focus of the current highlight
  const REL = "mechanisms-related"; // neighbours kept undimmed
  const DIM = "mechanisms-dimmed"; // on <figure> while something is highlighted
  const ACTIVE = "is-active"; // on walkthrough steps
  const TIP_ID = "mechanisms-tooltip";
  const TIP_HIDE_DELAY = 200; // ms: time to move the pointer onto the tooltip
  const PAN_THRESHOLD = 4; // px of movement before a press becomes a pan
  const ZOOM_STEP = 1.25;
  const PAN_STEP = 60; // px per arrow key press
  const MIN_SCALE = 0.1;
  const MAX_SCALE = 12;
  const WIDE_STEPPING = 1220; // px of viewport from which the steps sit beside the diagram
  const SIDE_WIDTH = 320; // px: the steps column beside the diagram (keep in step with the CSS)
  const SIDE_GAP = 24; // px between diagram and steps (ditto)
  const MAX_BLEED = 420; // px the stepping figure may reach right of the text column
  /** On a small screen, node labels in the enlarged view open at least this large (CSS px). */
  const READABLE_PX = 13;
  /** A window whose shorter side is below this is a phone's (CSS px). */
  const PHONE_PX = 600;

  /** All enhanced figures still alive: figure element -> state. */
  const figures = new Map();
  let globalsBound = false;

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  function all(root, selector) {
    return Array.from(root.querySelectorAll(selector));
  }

  function clamp(value, lo, hi) {
    return Math.min(hi, Math.max(lo, value));
  }

  function isElement(node) {
    return node instanceof Element;
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function makeButton(className, text, label) {
    const btn = make("button", "mechanisms-button " + className, text);
    btn.type = "button";
    if (label) btn.setAttribute("aria-label", label);
    return btn;
  }

  /** The figure's title: the <strong> of its caption, else the caption text. */
  function figureTitle(fig) {
    const cap = fig.querySelector("figcaption");
    if (!cap) return "";
    const strong = cap.querySelector("strong");
    return (strong || cap).textContent.replace(/\s+/g, " ").trim();
  }

  /** Move an attribute's value to a data-* attribute and drop the original. */
  function stashAttribute(node, ns, name, dataName) {
    // xlink:title is namespaced when parsed as HTML, but may not be otherwise.
    const qname = ns ? "xlink:" + name : name;
    let value = ns ? node.getAttributeNS(ns, name) : null;
    if (value === null) value = node.getAttribute(qname);
    if (value === null) return;
    if (!node.hasAttribute(dataName)) node.setAttribute(dataName, value);
    if (ns) node.removeAttributeNS(ns, name);
    node.removeAttribute(qname);
  }

  /* ------------------------------------------------------------------ */
  /* 1. Tooltips                                                         */
  /* ------------------------------------------------------------------ */

  const tip = {
    el: null, // the shared div.mechanisms-tooltip
    trigger: null, // element the tooltip currently describes
    preview: false, // shown by a tap: carries a link onward, a second tap follows it
    describedBy: null, // trigger's own aria-describedby, restored on hide
    dismissed: null, // trigger whose tooltip was closed with Escape
    timer: 0,
  };

  /** "touch", "pen" or "mouse": what the reader last pointed with (taps preview, hovers do not). */
  let pointer = "mouse";
  /** Where the mouse last was (viewport px). */
  const pointerAt = [-1, -1];
  /** Where the mouse was when a step scrolled the page under it; null once it moves. */
  let restingAt = null;

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
    positionTip();
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
   */
  function positionTip() {
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

  /* ------------------------------------------------------------------ */
  /* 2. Step-through highlighting                                        */
  /* ------------------------------------------------------------------ */

  /** The diagram's SVG on screen: the wide layout, or the phone layout on narrow screens. */
  function activeSvg(state) {
    return state.svgs.find((s) => s.getClientRects().length) || state.svgs[0] || null;
  }

  /**
   * Find an element of this figure by its id in the wide layout. The phone
   * layout prefixes its ids with "<figure>-m-", and a folded node or edge
   * stands for several others through its "also-<id>" classes.
   */
  function inFigure(state, id) {
    if (!id) return null;
    const fid = state.fig.id;
    const svg = activeSvg(state);
    const narrow = svg && svg.classList.contains("mechanisms-svg-narrow");
    const own = fid + "-";
    const local = id.indexOf(own + "m-") === 0 ? id.slice(own.length + 2) : id.indexOf(own) === 0 ? id.slice(own.length) : "";
    const want = narrow && local ? own + "m-" + local : id;
    let node = document.getElementById(want);
    if (node && state.fig.contains(node)) return node;
    if (svg && local) {
      node = svg.querySelector(".also-" + CSS.escape(local));
      if (node) return node;
    }
    node = document.getElementById(id);
    return node && state.fig.contains(node) ? node : null;
  }

  /** The wide-layout ids an SVG element stands for (itself, and what it folds). */
  function idsOf(state, item) {
    const own = state.fig.id + "-";
    const ids = [];
    if (item.id) ids.push(item.id.indexOf(own + "m-") === 0 ? own + item.id.slice(own.length + 2) : item.id);
    Array.from(item.classList).forEach((c) => {
      if (c.indexOf("also-") === 0) ids.push(own + c.slice(5));
    });
    return ids;
  }

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

  /* ---- Previous / Next walkthrough controls ---- */

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
    restingAt = [pointerAt[0], pointerAt[1]];
    hideTip();
    step.focus({ preventScroll: true });
    state.current = null;
    highlightStep(state, step);
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
    clearHighlight(state);
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

  /* ---- edges: one tab stop per diagram, arrow keys between them ---- */

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

  /* ---- per-figure binding ---- */

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
    state.svgs.forEach((svg) => {
      stripSvgTitles(svg);
      addEdgeHitAreas(svg);
      bindEdgeFocus(state, svg);
    });

    // While stepping, a pointer left where the page scrolled it to does not
    // take the highlight from the current step: only a pointer that moves does.
    const resting = () => restingAt && fig.classList.contains("is-stepping");
    fig.addEventListener("mouseover", (e) => {
      if (resting()) return;
      const target = interactiveFor(state, e.target);
      if (target) activate(state, target);
    });
    fig.addEventListener("mouseout", (e) => {
      if (resting()) return;
      const from = interactiveFor(state, e.target);
      if (from && !(isElement(e.relatedTarget) && from.contains(e.relatedTarget))) restore(state);
    });
    fig.addEventListener("focusin", (e) => {
      const target = interactiveFor(state, e.target);
      if (!target) return;
      const edges = edgeList(state, target);
      if (edges) rove(edges, target);
      activate(state, target);
      const i = state.steps.indexOf(target);
      if (i !== -1 && i !== state.index) {
        state.index = i;
        updateStepNav(state);
      }
    });
    fig.addEventListener("focusout", (e) => {
      if (!interactiveFor(state, e.relatedTarget)) clearHighlight(state);
    });
    // Arrow keys move between steps while a step has focus, and between edges
    // while an edge has focus; Escape leaves the stepping layout.
    fig.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey || !isElement(e.target)) return;
      if (e.key === "Escape" && !tip.trigger && fig.classList.contains("is-stepping")) {
        stopStepping(state);
        e.preventDefault();
        return;
      }
      const edges = edgeList(state, e.target);
      if (edges) {
        const k = edges.indexOf(e.target);
        const move = { ArrowRight: k + 1, ArrowDown: k + 1, ArrowLeft: k - 1, ArrowUp: k - 1, Home: 0, End: edges.length - 1 };
        if (move[e.key] === undefined) return;
        e.preventDefault();
        const next = edges[clamp(move[e.key], 0, edges.length - 1)];
        rove(edges, next);
        next.focus();
        return;
      }
      const i = state.steps.indexOf(e.target);
      if (i === -1) return;
      const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: state.steps.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      goToStep(state, to);
    });

    buildStepNav(state);
    buildEnlarge(state);
  }

  /* ------------------------------------------------------------------ */
  /* 3. Click to enlarge: zoom / pan dialog                              */
  /* ------------------------------------------------------------------ */

  const zoom = {
    dlg: null,
    viewport: null,
    heading: null,
    svg: null, // the clone currently shown
    labelPx: 0, // smallest node label of the clone at scale 1, in CSS px
    first: null, // the node the opening view is centred on
    opener: null, // element to return focus to
    w: 0, // natural size of the svg in CSS px
    h: 0,
    inline: 0, // its scale on the page: the enlarged view never opens smaller
    scale: 1,
    x: 0,
    y: 0,
    pointers: new Map(), // pointerId -> {x, y} (viewport coordinates)
    pan: null, // {id, startX, startY, active}
    pinch: null, // {dist, midX, midY}
    suppressClick: false,
  };

  function buildEnlarge(state) {
    if (!state.diagram || !state.svg || typeof HTMLDialogElement !== "function") return;
    const title = figureTitle(state.fig);
    const tools = make("div", "mechanisms-diagram-tools");
    const btn = makeButton("mechanisms-enlarge", "Enlarge", "Enlarge figure" + (title ? ": " + title : ""));
    tools.appendChild(btn);
    if (state.pendingStart) tools.insertBefore(state.pendingStart, btn);
    state.diagram.insertBefore(tools, state.diagram.firstChild);
    state.enlarge = btn;
    btn.addEventListener("click", () => openZoom(state));
    // Clicking the diagram background (not a node, edge or link) also enlarges.
    state.diagram.addEventListener("click", (e) => {
      const t = e.target;
      if (e.defaultPrevented || !isElement(t) || !state.svgs.some((svg) => svg.contains(t))) return;
      if (t.closest("a, .node, .edge")) return;
      const sel = window.getSelection && window.getSelection();
      if (sel && !sel.isCollapsed) return;
      openZoom(state);
    });
  }

  function zoomDialog() {
    if (zoom.dlg) return zoom.dlg;
    const dlg = make("dialog", "mechanisms-zoom");
    const bar = make("div", "mechanisms-zoom-toolbar");
    zoom.heading = make("p", "mechanisms-zoom-title");
    zoom.heading.setAttribute("aria-hidden", "true"); // the dialog's aria-label says it
    const hint = make("p", "mechanisms-zoom-hint", "Wheel, pinch or + / − to zoom · drag or arrow keys to pan · 0 to reset");
    const buttons = make("div", "mechanisms-zoom-buttons");
    const zin = makeButton("mechanisms-zoom-in", "Zoom in");
    const zout = makeButton("mechanisms-zoom-out", "Zoom out");
    const reset = makeButton("mechanisms-zoom-reset", "Reset");
    const close = makeButton("mechanisms-zoom-close", "Close");
    buttons.append(zin, zout, reset, close);
    bar.append(zoom.heading, hint, buttons);
    const vp = make("div", "mechanisms-zoom-viewport");
    vp.tabIndex = 0;
    vp.setAttribute("role", "group");
    vp.setAttribute("aria-label", "Enlarged diagram. Plus and minus zoom, arrow keys pan, 0 resets.");
    dlg.append(bar, vp);
    document.body.appendChild(dlg);
    zoom.dlg = dlg;
    zoom.viewport = vp;

    zin.addEventListener("click", () => zoomAtCenter(ZOOM_STEP));
    zout.addEventListener("click", () => zoomAtCenter(1 / ZOOM_STEP));
    reset.addEventListener("click", resetView);
    close.addEventListener("click", () => dlg.close());
    dlg.addEventListener("close", onZoomClose);
    dlg.addEventListener("keydown", onZoomKey);
    vp.addEventListener("wheel", onWheel, { passive: false });
    vp.addEventListener("pointerdown", onPointerDown);
    vp.addEventListener("pointermove", onPointerMove);
    vp.addEventListener("pointerup", onPointerUp);
    vp.addEventListener("pointercancel", onPointerUp);
    vp.addEventListener("dragstart", (e) => e.preventDefault()); // no native link drag
    // A press that turned into a pan must not also follow a link.
    vp.addEventListener(
      "click",
      (e) => {
        if (!zoom.suppressClick) return;
        e.preventDefault();
        e.stopPropagation();
        zoom.suppressClick = false;
      },
      true
    );
    return dlg;
  }

  /** Convert an SVG length ("612pt", "300", "4in") to CSS px; 0 if unknown. */
  function lengthPx(value) {
    const m = /^\s*([\d.]+)\s*(px|pt|pc|in|cm|mm)?\s*$/.exec(value || "");
    if (!m) return 0;
    const units = { px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4 };
    return parseFloat(m[1]) * units[m[2] || "px"];
  }

  function naturalSize(svg) {
    let w = lengthPx(svg.getAttribute("width"));
    let h = lengthPx(svg.getAttribute("height"));
    const vb = svg.viewBox && svg.viewBox.baseVal;
    if (!(w && h) && vb && vb.width && vb.height) {
      if (w) h = (w * vb.height) / vb.width;
      else if (h) w = (h * vb.width) / vb.height;
      else {
        w = vb.width;
        h = vb.height;
      }
    }
    if (!(w && h)) {
      const r = svg.getBoundingClientRect();
      w = r.width || 800;
      h = r.height || 600;
    }
    return { w, h };
  }

  const IDREF_ATTRS = [
    "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
    "aria-flowto", "aria-activedescendant", "data-source", "data-target", "data-edge",
  ];
  const URL_REF = /url\(\s*(['"]?)#([^'")\s]+)\1\s*\)/g;

  /** Deep-clone the svg with every id prefixed "zoom-" and references rewritten. */
  function cloneSvg(svg) {
    const clone = svg.cloneNode(true);
    const nodes = [clone].concat(all(clone, "*"));
    const ids = new Map();
    nodes.forEach((node) => {
      if (node.id) {
        ids.set(node.id, "zoom-" + node.id);
        node.id = "zoom-" + node.id;
      }
    });
    const fixUrls = (text) => text.replace(URL_REF, (m, q, id) => (ids.has(id) ? "url(" + q + "#" + ids.get(id) + q + ")" : m));
    nodes.forEach((node) => {
      node.classList.remove(HL, REL);
      node.removeAttribute(BOUND);
      Array.from(node.attributes).forEach((attr) => {
        const v = attr.value;
        let nv = v.indexOf("url(") !== -1 ? fixUrls(v) : v;
        if (attr.localName === "href" && v.charAt(0) === "#" && ids.has(v.slice(1))) nv = "#" + ids.get(v.slice(1));
        if (IDREF_ATTRS.indexOf(attr.name) !== -1) {
          nv = v.split(/\s+/).filter((t) => t && t !== TIP_ID).map((t) => ids.get(t) || t).join(" ");
        }
        if (nv !== v) attr.value = nv;
      });
      if (node.localName === "style") node.textContent = fixUrls(node.textContent);
    });
    clone.removeAttribute("style");
    return clone;
  }

  function openZoom(state) {
    hideTip();
    const dlg = zoomDialog();
    if (dlg.open) return;
    const title = figureTitle(state.fig);
    dlg.setAttribute("aria-label", "Enlarged figure" + (title ? ": " + title : ""));
    zoom.heading.textContent = title;
    const svg = activeSvg(state);
    const size = naturalSize(svg);
    zoom.inline = svg.getBoundingClientRect().width / size.w;
    const clone = cloneSvg(svg);
    clone.setAttribute("width", String(size.w));
    clone.setAttribute("height", String(size.h));
    zoom.w = size.w;
    zoom.h = size.h;
    zoom.viewport.textContent = "";
    zoom.viewport.appendChild(clone);
    zoom.svg = clone;
    zoom.opener = state.enlarge;
    zoom.pointers.clear();
    zoom.pan = zoom.pinch = null;
    zoom.suppressClick = false;
    // The pointer that pressed "Enlarge" now rests over the enlarged figure: no tooltip until it moves.
    restingAt = [pointerAt[0], pointerAt[1]];
    dlg.showModal();
    zoom.labelPx = labelSize(clone, size.w);
    zoom.first = firstNode(state, clone);
    resetView();
    zoom.viewport.focus();
  }

  function onZoomClose() {
    hideTip();
    zoom.viewport.textContent = "";
    zoom.svg = zoom.first = null;
    zoom.pointers.clear();
    zoom.pan = zoom.pinch = null;
    if (zoom.opener && zoom.opener.isConnected) zoom.opener.focus();
    zoom.opener = null;
  }

  function applyTransform() {
    if (!zoom.svg) return;
    zoom.svg.style.transform =
      "translate(" + zoom.x.toFixed(2) + "px," + zoom.y.toFixed(2) + "px) scale(" + zoom.scale.toFixed(4) + ")";
    if (tip.trigger && zoom.dlg.contains(tip.trigger)) positionTip();
  }

  /**
   * The opening view: the whole diagram fitted to the window and centred,
   * never smaller than it was on the page (zoom.inline). Where that does not
   * fit (a phone), or leaves labels under READABLE_PX on a small screen, it
   * opens larger, centred on the first node (the walkthrough's first, else
   * the top one), and the reader pans from there.
   */
  function resetView() {
    const vw = zoom.viewport.clientWidth || window.innerWidth;
    const vh = zoom.viewport.clientHeight || window.innerHeight;
    const fit = clamp(Math.min((vw - 16) / zoom.w, (vh - 16) / zoom.h), MIN_SCALE, 3);
    const label = zoom.labelPx || 0;
    const base = Math.max(fit, zoom.inline || 0);
    const small = Math.min(vw, vh) < PHONE_PX;
    zoom.scale = small && label && base * label < READABLE_PX ? clamp(READABLE_PX / label, base, MAX_SCALE) : base;
    zoom.x = (vw - zoom.w * zoom.scale) / 2;
    zoom.y = (vh - zoom.h * zoom.scale) / 2;
    applyTransform();
    if (zoom.scale <= fit || !zoom.first) return;
    const r = zoom.first.getBoundingClientRect();
    const v = zoom.viewport.getBoundingClientRect();
    const w = zoom.w * zoom.scale;
    const h = zoom.h * zoom.scale;
    // Centre the node, but never pull an edge of the diagram into the viewport.
    zoom.x = w > vw ? clamp(zoom.x + vw / 2 - (r.left + r.width / 2 - v.left), vw - w, 0) : zoom.x;
    zoom.y = h > vh ? clamp(zoom.y + vh / 2 - (r.top + r.height / 2 - v.top), vh - h, 0) : zoom.y;
    applyTransform();
  }

  /** Smallest node label of an svg at its natural size, in CSS px. */
  function labelSize(svg, naturalWidth) {
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const unit = vb && vb.width ? naturalWidth / vb.width : 1;
    let min = 0;
    all(svg, ".node text").forEach((t) => {
      const size = parseFloat(t.getAttribute("font-size") || "");
      if (size && (!min || size < min)) min = size;
    });
    return min * unit;
  }

  /** The clone's node the enlarged view starts on: the walkthrough's first, else the top-left one. */
  function firstNode(state, clone) {
    const source = state.steps.length ? state.steps[0].dataset.source || "" : "";
    const fid = state.fig.id;
    if (source && fid && source.indexOf(fid + "-") === 0) {
      const local = source.slice(fid.length + 1);
      const ids = ["zoom-" + fid + "-" + local, "zoom-" + fid + "-m-" + local];
      const hit = ids.map((id) => clone.querySelector("#" + CSS.escape(id))).find(Boolean);
      if (hit) return hit;
      const folded = clone.querySelector("." + CSS.escape("also-" + local));
      if (folded) return folded;
    }
    let best = null;
    let top = Infinity;
    let left = Infinity;
    all(clone, "g.node").forEach((n) => {
      const r = n.getBoundingClientRect();
      if (r.top < top - 1 || (Math.abs(r.top - top) <= 1 && r.left < left)) {
        best = n;
        top = r.top;
        left = r.left;
      }
    });
    return best;
  }

  /** Multiply the scale by factor, keeping viewport point (px, py) fixed. */
  function zoomAt(factor, px, py) {
    const next = clamp(zoom.scale * factor, MIN_SCALE, MAX_SCALE);
    const k = next / zoom.scale;
    zoom.x = px - (px - zoom.x) * k;
    zoom.y = py - (py - zoom.y) * k;
    zoom.scale = next;
    applyTransform();
  }

  function zoomAtCenter(factor) {
    zoomAt(factor, zoom.viewport.clientWidth / 2, zoom.viewport.clientHeight / 2);
  }

  function panBy(dx, dy) {
    zoom.x += dx;
    zoom.y += dy;
    applyTransform();
  }

  /** Viewport-relative coordinates of a pointer / wheel event. */
  function localPoint(e) {
    const r = zoom.viewport.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  function onWheel(e) {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? zoom.viewport.clientHeight : 1;
    // Trackpad pinch arrives as ctrl+wheel with small deltas: be more sensitive.
    const speed = e.ctrlKey ? 0.01 : 0.0015;
    const p = localPoint(e);
    zoomAt(Math.exp(-e.deltaY * unit * speed), p.x, p.y);
  }

  function pinchInfo() {
    const pts = Array.from(zoom.pointers.values());
    const a = pts[0];
    const b = pts[1];
    return { dist: Math.hypot(a.x - b.x, a.y - b.y) || 1, midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
  }

  function onPointerDown(e) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    zoom.pointers.set(e.pointerId, localPoint(e));
    if (zoom.pointers.size === 1) {
      const p = zoom.pointers.get(e.pointerId);
      zoom.pan = { id: e.pointerId, startX: p.x, startY: p.y, lastX: p.x, lastY: p.y, active: false };
    } else if (zoom.pointers.size === 2) {
      // Second finger: switch from pan to pinch. Capture both pointers.
      zoom.pan = null;
      zoom.pinch = pinchInfo();
      zoom.suppressClick = true;
      zoom.pointers.forEach((_, id) => {
        try {
          zoom.viewport.setPointerCapture(id);
        } catch (err) {
          /* pointer already gone */
        }
      });
    }
  }

  function onPointerMove(e) {
    if (!zoom.pointers.has(e.pointerId)) return;
    const p = localPoint(e);
    zoom.pointers.set(e.pointerId, p);
    if (zoom.pinch && zoom.pointers.size >= 2) {
      const now = pinchInfo();
      zoomAt(now.dist / zoom.pinch.dist, now.midX, now.midY);
      panBy(now.midX - zoom.pinch.midX, now.midY - zoom.pinch.midY);
      zoom.pinch = now;
      return;
    }
    const pan = zoom.pan;
    if (!pan || pan.id !== e.pointerId) return;
    if (!pan.active) {
      // Only a real drag pans, so that clicks on node links still work.
      if (Math.hypot(p.x - pan.startX, p.y - pan.startY) <= PAN_THRESHOLD) return;
      pan.active = true;
      zoom.suppressClick = true;
      zoom.viewport.classList.add("is-panning");
      try {
        zoom.viewport.setPointerCapture(e.pointerId);
      } catch (err) {
        /* ignore */
      }
    }
    panBy(p.x - pan.lastX, p.y - pan.lastY);
    pan.lastX = p.x;
    pan.lastY = p.y;
  }

  function onPointerUp(e) {
    if (!zoom.pointers.delete(e.pointerId)) return;
    if (zoom.pointers.size < 2) zoom.pinch = null;
    if (zoom.pointers.size === 1) {
      // One finger left after a pinch: continue as an (already active) pan.
      const entry = Array.from(zoom.pointers.entries())[0];
      zoom.pan = { id: entry[0], startX: entry[1].x, startY: entry[1].y, lastX: entry[1].x, lastY: entry[1].y, active: true };
    } else if (zoom.pointers.size === 0) {
      zoom.pan = null;
      zoom.viewport.classList.remove("is-panning");
      // The click (if any) is dispatched right after pointerup; forget afterwards.
      setTimeout(() => {
        zoom.suppressClick = false;
      }, 0);
    }
  }

  function onZoomKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const onButton = isElement(e.target) && e.target.closest("button");
    if (onButton && (e.key === "Enter" || e.key === " ")) return;
    switch (e.key) {
      case "+":
      case "=":
        zoomAtCenter(ZOOM_STEP);
        break;
      case "-":
      case "_":
        zoomAtCenter(1 / ZOOM_STEP);
        break;
      case "0":
        resetView();
        break;
      case "ArrowLeft":
        panBy(PAN_STEP * (e.shiftKey ? 4 : 1), 0);
        break;
      case "ArrowRight":
        panBy(-PAN_STEP * (e.shiftKey ? 4 : 1), 0);
        break;
      case "ArrowUp":
        panBy(0, PAN_STEP * (e.shiftKey ? 4 : 1));
        break;
      case "ArrowDown":
        panBy(0, -PAN_STEP * (e.shiftKey ? 4 : 1));
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /* ------------------------------------------------------------------ */
  /* Document-level listeners (bound once) and init                      */
  /* ------------------------------------------------------------------ */

  /**
   * What a tap previews, if the tap hit one: a node or edge of a diagram, and in
   * the text a glossary term or a citation, so that a phone reader reads a
   * definition or a reference without leaving their place.
   */
  function tapTarget(node) {
    const trigger = tipTrigger(node);
    if (!trigger) return null;
    if (trigger.closest(".mechanisms-diagram svg, .mechanisms-zoom-viewport svg")) return trigger;
    return trigger.matches("a.mechanisms-term, .mechanisms-cite a, a.mechanisms-cite") ? trigger : null;
  }

  function onTap(e) {
    if (pointer === "mouse" || !isElement(e.target)) return;
    if (tip.el && tip.el.contains(e.target)) return; // the preview's own links
    const trigger = zoom.suppressClick ? null : tapTarget(e.target);
    if (!trigger) {
      if (tip.preview) {
        hideTip();
        figures.forEach((state) => {
          if (state.lit.length && !state.fig.classList.contains("is-stepping")) clearHighlight(state);
        });
      }
      return;
    }
    if (tip.preview && tip.trigger === trigger) return; // second tap: follow the link
    e.preventDefault();
    e.stopPropagation();
    const fig = trigger.closest("figure.mechanisms-figure");
    const state = fig && figures.get(fig);
    const item = state && interactiveFor(state, trigger);
    if (item) {
      state.current = null;
      activate(state, item);
    }
    showTip(trigger, true);
  }

  function bindGlobals() {
    if (globalsBound) return;
    globalsBound = true;

    // Browsers follow a tap with emulated mouse events: only a real mouse hovers.
    const notePointer = (e) => {
      if (e.pointerType) pointer = e.pointerType;
      pointerAt[0] = e.clientX;
      pointerAt[1] = e.clientY;
    };
    document.addEventListener("pointerdown", notePointer, true);
    document.addEventListener("pointermove", notePointer, true);
    // A pointer the page scrolled under (a walkthrough step) opens no tooltip until it moves.
    document.addEventListener("mousemove", (e) => {
      if (restingAt && (e.clientX !== restingAt[0] || e.clientY !== restingAt[1])) restingAt = null;
    });
    document.addEventListener("mouseover", (e) => {
      if (pointer !== "mouse" || tip.preview || restingAt) return;
      const trigger = tipTrigger(e.target);
      if (trigger && trigger !== tip.dismissed) showTip(trigger);
    });
    document.addEventListener("mouseout", (e) => {
      if (pointer !== "mouse" || tip.preview || restingAt) return;
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
    // Touch: the first tap on a node or edge previews it (the preview links on),
    // a second tap on the same one follows its link, a tap anywhere else closes.
    document.addEventListener("click", onTap, true);
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      if (tip.trigger) {
        // Escape closes the tooltip first (and not the zoom dialog behind it).
        tip.dismissed = tip.trigger;
        hideTip();
        e.preventDefault();
        return;
      }
      figures.forEach((state) => {
        if (state.lit.length) clearHighlight(state);
      });
    });
    window.addEventListener("scroll", positionTip, { capture: true, passive: true });
    window.addEventListener("resize", positionTip, { passive: true });
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

  function init() {
    if (!document.body) return;
    bindGlobals();
    // Forget figures removed by instant navigation.
    figures.forEach((state, fig) => {
      if (!fig.isConnected) figures.delete(fig);
    });
    if (tip.trigger && !tip.trigger.isConnected) hideTip();
    if (tip.el && !tip.el.isConnected) document.body.appendChild(tip.el);
    if (!tip.el) document.body.appendChild(tooltipElement());
    if (zoom.dlg && !zoom.dlg.isConnected) document.body.appendChild(zoom.dlg);
    if (zoom.dlg && zoom.dlg.open && !(zoom.opener && zoom.opener.isConnected)) zoom.dlg.close();

    prepareTipTriggers(document);
    all(document, "figure.mechanisms-figure").forEach(bindFigure);
  }

  /* ------------------------------------------------------------------ */
  /* 4. Start: Material's document$ (instant navigation) or DOM ready    */
  /* ------------------------------------------------------------------ */

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
})();
