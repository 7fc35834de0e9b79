/*
 * zoom — "Enlarge figure": the diagram in a dialog, to zoom and pan.
 *
 * A modal dialog shows a clone of the diagram on screen (its ids prefixed,
 * so that the page keeps unique ids) that opens readable, centred on where
 * the walkthrough starts, and zooms by wheel, pinch, buttons and keys and
 * pans by drag and arrow keys (the presses themselves are touch's).
 */
M.zoom = (function () {
  const { BOUND, HL, REL, TIP_ID, pointer, all, clamp, isElement, make, makeButton, figureTitle, naturalSize, activeSvg } =
    M.core;
  const tips = M.tips;
  const tip = tips.tip;
  const touch = M.touch;
  const ZOOM_STEP = 1.25;
  const PAN_STEP = 60; // px per arrow key press
  const MIN_SCALE = 0.1;
  const MAX_SCALE = 12;
  /** On a small screen, node labels in the enlarged view open at least this large (CSS px). */
  const READABLE_PX = 13;
  /** A window whose shorter side is below this is a phone's (CSS px). */
  const PHONE_PX = 600;

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
    touch.bindViewport(vp, { zoomAt, panBy, localPoint });
    return dlg;
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
    tips.hide();
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
    touch.reset();
    touch.press.suppressClick = false;
    // The pointer that pressed "Enlarge" now rests over the enlarged figure: no tooltip until it moves.
    pointer.resting = [pointer.at[0], pointer.at[1]];
    dlg.showModal();
    zoom.labelPx = labelSize(clone, size.w);
    zoom.first = firstNode(state, clone);
    resetView();
    zoom.viewport.focus();
  }

  function onZoomClose() {
    tips.hide();
    zoom.viewport.textContent = "";
    zoom.svg = zoom.first = null;
    touch.reset();
    if (zoom.opener && zoom.opener.isConnected) zoom.opener.focus();
    zoom.opener = null;
  }

  function applyTransform() {
    if (!zoom.svg) return;
    zoom.svg.style.transform =
      "translate(" + zoom.x.toFixed(2) + "px," + zoom.y.toFixed(2) + "px) scale(" + zoom.scale.toFixed(4) + ")";
    if (tip.trigger && zoom.dlg.contains(tip.trigger)) tips.position();
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

  return {
    build: buildEnlarge,
    /** The dialog, once made (null before the first "Enlarge"). */
    dialog: () => zoom.dlg,
    /** The button whose dialog is open, to return focus to. */
    opener: () => zoom.opener,
  };
})();
