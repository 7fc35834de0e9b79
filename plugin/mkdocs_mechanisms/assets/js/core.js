/*
 * core — what every role shares, so that no role reaches into another's state.
 *
 * The names of the classes and attributes the enhancements write, small DOM
 * helpers, the registry of enhanced figures, where the reader's pointer is,
 * and how an element of a figure is found by its id in either layout (the
 * wide one, or the phone one with its "<figure>-m-" ids and folded items).
 */
M.core = (function () {
  const BOUND = "data-mechanisms-bound"; // marks enhanced figures / tip triggers
  const XLINK = "http://www.w3.org/1999/xlink";
  const HL = "mechanisms-highlight"; // element in focus of the current highlight
  const REL = "mechanisms-related"; // neighbours kept undimmed
  const DIM = "mechanisms-dimmed"; // on <figure> while something is highlighted
  const ACTIVE = "is-active"; // on walkthrough steps
  const TIP_ID = "mechanisms-tooltip";

  /** All enhanced figures still alive: figure element -> state. */
  const figures = new Map();

  const pointer = {
    /** "touch", "pen" or "mouse": what the reader last pointed with (taps preview, hovers do not). */
    kind: "mouse",
    /** Where the mouse last was (viewport px). */
    at: [-1, -1],
    /** Where the mouse was when a step scrolled the page under it; null once it moves. */
    resting: null,
  };

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

  return {
    BOUND,
    XLINK,
    HL,
    REL,
    DIM,
    ACTIVE,
    TIP_ID,
    figures,
    pointer,
    all,
    clamp,
    isElement,
    make,
    makeButton,
    figureTitle,
    stashAttribute,
    naturalSize,
    activeSvg,
    inFigure,
    idsOf,
  };
})();
