/*
 * touch — what a finger does, and what a press that moves means.
 *
 * Browsers follow a tap with emulated mouse events, so the kind of pointer
 * is tracked and only a real mouse hovers. On touch the first tap on a node,
 * an edge, a term or a citation previews it (the preview links on), a second
 * tap on the same one follows its link, a tap anywhere else closes. In the
 * enlarged view a press that moves pans, two fingers pinch, and a press that
 * became a pan does not also follow a link.
 */
M.touch = (function () {
  const { figures, pointer, isElement } = M.core;
  const tips = M.tips;
  const tip = tips.tip;
  const highlight = M.highlight;
  const PAN_THRESHOLD = 4; // px of movement before a press becomes a pan

  const press = {
    viewport: null, // the enlarged view's viewport
    view: null, // its zoomAt / panBy / localPoint
    pointers: new Map(), // pointerId -> {x, y} (viewport coordinates)
    pan: null, // {id, startX, startY, active}
    pinch: null, // {dist, midX, midY}
    suppressClick: false,
  };

  /** Forget every pointer pressed: a view that opens or closes starts from none. */
  function reset() {
    press.pointers.clear();
    press.pan = press.pinch = null;
  }

  function pinchInfo() {
    const pts = Array.from(press.pointers.values());
    const a = pts[0];
    const b = pts[1];
    return { dist: Math.hypot(a.x - b.x, a.y - b.y) || 1, midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
  }

  function onPointerDown(e) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    press.pointers.set(e.pointerId, press.view.localPoint(e));
    if (press.pointers.size === 1) {
      const p = press.pointers.get(e.pointerId);
      press.pan = { id: e.pointerId, startX: p.x, startY: p.y, lastX: p.x, lastY: p.y, active: false };
    } else if (press.pointers.size === 2) {
      // Second finger: switch from pan to pinch. Capture both pointers.
      press.pan = null;
      press.pinch = pinchInfo();
      press.suppressClick = true;
      press.pointers.forEach((_, id) => {
        try {
          press.viewport.setPointerCapture(id);
        } catch (err) {
          /* pointer already gone */
        }
      });
    }
  }

  function onPointerMove(e) {
    if (!press.pointers.has(e.pointerId)) return;
    const p = press.view.localPoint(e);
    press.pointers.set(e.pointerId, p);
    if (press.pinch && press.pointers.size >= 2) {
      const now = pinchInfo();
      press.view.zoomAt(now.dist / press.pinch.dist, now.midX, now.midY);
      press.view.panBy(now.midX - press.pinch.midX, now.midY - press.pinch.midY);
      press.pinch = now;
      return;
    }
    const pan = press.pan;
    if (!pan || pan.id !== e.pointerId) return;
    if (!pan.active) {
      // Only a real drag pans, so that clicks on node links still work.
      if (Math.hypot(p.x - pan.startX, p.y - pan.startY) <= PAN_THRESHOLD) return;
      pan.active = true;
      press.suppressClick = true;
      press.viewport.classList.add("is-panning");
      try {
        press.viewport.setPointerCapture(e.pointerId);
      } catch (err) {
        /* ignore */
      }
    }
    press.view.panBy(p.x - pan.lastX, p.y - pan.lastY);
    pan.lastX = p.x;
    pan.lastY = p.y;
  }

  function onPointerUp(e) {
    if (!press.pointers.delete(e.pointerId)) return;
    if (press.pointers.size < 2) press.pinch = null;
    if (press.pointers.size === 1) {
      // One finger left after a pinch: continue as an (already active) pan.
      const entry = Array.from(press.pointers.entries())[0];
      press.pan = { id: entry[0], startX: entry[1].x, startY: entry[1].y, lastX: entry[1].x, lastY: entry[1].y, active: true };
    } else if (press.pointers.size === 0) {
      press.pan = null;
      press.viewport.classList.remove("is-panning");
      // The click (if any) is dispatched right after pointerup; forget afterwards.
      setTimeout(() => {
        press.suppressClick = false;
      }, 0);
    }
  }

  /** Pan and pinch the enlarged view; view: its zoomAt(factor, x, y), panBy(dx, dy), localPoint(e). */
  function bindViewport(vp, view) {
    press.viewport = vp;
    press.view = view;
    vp.addEventListener("pointerdown", onPointerDown);
    vp.addEventListener("pointermove", onPointerMove);
    vp.addEventListener("pointerup", onPointerUp);
    vp.addEventListener("pointercancel", onPointerUp);
    vp.addEventListener("dragstart", (e) => e.preventDefault()); // no native link drag
    // A press that turned into a pan must not also follow a link.
    vp.addEventListener(
      "click",
      (e) => {
        if (!press.suppressClick) return;
        e.preventDefault();
        e.stopPropagation();
        press.suppressClick = false;
      },
      true
    );
  }

  /**
   * What a tap previews, if the tap hit one: a node or edge of a diagram, and in
   * the text a glossary term or a citation, so that a phone reader reads a
   * definition or a reference without leaving their place.
   */
  function tapTarget(node) {
    const trigger = tips.trigger(node);
    if (!trigger) return null;
    if (trigger.closest(".mechanisms-diagram svg, .mechanisms-zoom-viewport svg")) return trigger;
    return trigger.matches("a.mechanisms-term, .mechanisms-cite a, a.mechanisms-cite") ? trigger : null;
  }

  function onTap(e) {
    if (pointer.kind === "mouse" || !isElement(e.target)) return;
    if (tip.el && tip.el.contains(e.target)) return; // the preview's own links
    const trigger = press.suppressClick ? null : tapTarget(e.target);
    if (!trigger) {
      if (tip.preview) {
        tips.hide();
        figures.forEach((state) => {
          if (state.lit.length && !state.fig.classList.contains("is-stepping")) highlight.clear(state);
        });
      }
      return;
    }
    if (tip.preview && tip.trigger === trigger) return; // second tap: follow the link
    e.preventDefault();
    e.stopPropagation();
    const fig = trigger.closest("figure.mechanisms-figure");
    const state = fig && figures.get(fig);
    const item = state && highlight.interactiveFor(state, trigger);
    if (item) {
      state.current = null;
      highlight.activate(state, item);
    }
    tips.show(trigger, true);
  }


  function listen() {
    const notePointer = (e) => {
      if (e.pointerType) pointer.kind = e.pointerType;
      pointer.at[0] = e.clientX;
      pointer.at[1] = e.clientY;
    };
    document.addEventListener("pointerdown", notePointer, true);
    document.addEventListener("pointermove", notePointer, true);
    // A pointer the page scrolled under (a walkthrough step) opens no tooltip until it moves.
    document.addEventListener("mousemove", (e) => {
      if (pointer.resting && (e.clientX !== pointer.resting[0] || e.clientY !== pointer.resting[1])) pointer.resting = null;
    });
    document.addEventListener("click", onTap, true);
  }

  return { press, reset, bindViewport, listen };
})();
