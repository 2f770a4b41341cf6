// The explorables' shared toolkit: controls, a live region, canvases and plots, and the
// few pieces of bp's maths that more than one explorable needs.
//
// Every explorable on the static site is built from these. Each control carries
// data-control="<name>" (the browser test finds and operates it by that name); the
// explorable's numbers are written, at full precision, to its root element's
// data-result attribute (JSON), which the browser test compares with the numbers bp
// computed at build time (tools/explorable_reference.py).
//
// No library: plain DOM and canvas, so the page needs nothing from a network.
// Inlined once per explorable; the `bpUI` guard keeps one copy per page.

window.bpUI = window.bpUI || (function () {
  "use strict";

  function el(tag, attrs, parent) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    }
    if (parent) parent.appendChild(e);
    return e;
  }

  let uid = 0;
  function nextId(prefix) { uid += 1; return `${prefix}-${uid}`; }

  // A number as the page prints it: `digits` significant digits, no exponent for
  // ordinary sizes.
  function fmt(x, digits = 3) {
    if (!Number.isFinite(x)) return x > 0 ? "∞" : x < 0 ? "−∞" : "NaN";
    if (x === 0) return "0";
    const a = Math.abs(x);
    const s = (a >= 1e-3 && a < 1e5) ? x.toPrecision(digits) : x.toExponential(digits - 1);
    // toPrecision may give "0.5000": keep it, it says how many digits are meant
    return minus(s);
  }

  // Every hyphen of a printed number as a minus sign ("-2.81e-4" has two)
  function minus(text) { return String(text).replace(/-/g, "−"); }

  // A range slider with its label and its printed value. `valuetext(v)` is what a screen
  // reader says (aria-valuetext); `format(v)` what the page prints next to the slider.
  // `values` (optional) maps positions 0..n-1 to values (for log scales).
  function slider(parent, o) {
    const row = el("div", {class: "bp-x-control"}, parent);
    const id = nextId("bp-x-slider");
    el("label", {for: id, text: o.label}, row);
    const values = o.values;
    const input = el("input", {
      type: "range", id, "data-control": o.name,
      min: values ? 0 : o.min, max: values ? values.length - 1 : o.max,
      step: values ? 1 : o.step,
    }, row);
    // The printed value is for the eye: a screen reader hears aria-valuetext from the slider
    // itself, and an <output> is a live region that would say the value a second time.
    const shown = el("output", {for: id, class: "bp-x-value", "aria-hidden": "true"}, row);
    const format = o.format || ((v) => fmt(v));
    const valuetext = o.valuetext || ((v) => `${o.label} ${format(v)}`);
    const api = {
      input,
      get value() { return values ? values[Number(input.value)] : Number(input.value); },
      set value(v) {
        input.value = values ? String(nearestIndex(values, v)) : String(v);
        show();
      },
      onchange: null,
    };
    function show() {
      shown.textContent = minus(format(api.value));   // "−2.0" as the figures print it
      input.setAttribute("aria-valuetext", valuetext(api.value));
    }
    input.addEventListener("input", () => { show(); if (api.onchange) api.onchange(api.value); });
    api.value = o.value;
    return api;
  }

  function nearestIndex(values, v) {
    let best = 0;
    for (let i = 1; i < values.length; i++) {
      if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
    }
    return best;
  }

  // A drop-down list. options: [[value, text], ...]
  function select(parent, o) {
    const row = el("div", {class: "bp-x-control"}, parent);
    const id = nextId("bp-x-select");
    el("label", {for: id, text: o.label}, row);
    const input = el("select", {id, "data-control": o.name}, row);
    for (const [value, text] of o.options) el("option", {value, text}, input);
    input.value = o.value;
    const api = {input, get value() { return input.value; }, onchange: null};
    input.addEventListener("change", () => { if (api.onchange) api.onchange(api.value); });
    return api;
  }

  function button(parent, o) {
    const b = el("button", {type: "button", class: "bp-x-button", "data-control": o.name,
                            text: o.label}, parent);
    // The name a screen reader or a speech user hears begins with the words on the
    // button (WCAG 2.5.3, "label in name": one says "click Reset"), then the longer title.
    if (o.title) {
      const words = o.label.replace(/[◀▶]/g, "").trim();
      const named = o.title.toLowerCase().startsWith(words.toLowerCase());
      b.setAttribute("aria-label", named ? o.title : `${words}: ${o.title}`);
      b.title = o.title;
    }
    b.addEventListener("click", () => { if (b.getAttribute("aria-disabled") !== "true") o.onclick(); });
    return b;
  }

  // A button that would do nothing now (Next at the last step) says so: greyed, and
  // "unavailable" to a screen reader. aria-disabled rather than the disabled attribute: a
  // disabled button loses the keyboard focus, so a reader who pressed Next to the end
  // would be thrown back to the top of the page.
  function enable(b, on) {
    b.setAttribute("aria-disabled", on ? "false" : "true");
  }

  // The explorable's result in words: a polite live region, so a screen reader says it
  // after each change without interrupting.
  function status(parent) {
    const p = el("p", {class: "bp-x-status", role: "status", "aria-live": "polite"}, parent);
    // While a slider is dragged the text changes many times a second. aria-busy asks a
    // screen reader to wait, and to read the text once it has stood still for 0.4 s.
    let timer = null;
    new MutationObserver(() => {
      if (!timer) p.setAttribute("aria-busy", "true");
      clearTimeout(timer);
      timer = setTimeout(() => { timer = null; p.setAttribute("aria-busy", "false"); }, 400);
    }).observe(p, {childList: true, characterData: true, subtree: true});
    return p;
  }

  // Drawing waits for the next animation frame, and a canvas asked to redraw several times
  // before that frame is drawn once. A held key or a dragged slider fires input events
  // faster than a slow phone can paint them; drawing after each one would leave the page
  // further behind with every event. The numbers (data-result) and the words are still
  // computed at once, on every event; only the pictures wait for the frame.
  const due = new Set();
  let frameAsked = false;
  let inkOfFrame = null;          // the text colour, read once per frame (see ink)
  function askForFrame(view) {
    due.add(view);
    if (!frameAsked) { frameAsked = true; requestAnimationFrame(drawDue); }
  }
  function drawDue() {
    frameAsked = false;
    const views = [...due];
    due.clear();
    inkOfFrame = new Map();
    const start = performance.now();
    // every width first, then every drawing: a width read after a canvas has been resized
    // makes the browser lay the page out again, once per canvas
    const widths = views.map((view) => view.measure());
    views.forEach((view, i) => view.paint(widths[i]));
    inkOfFrame = null;
    api.drawMs = performance.now() - start;   // the time the last frame's drawing took (the browser test prints it)
  }

  // A canvas as wide as its container, sharp on HiDPI screens. Its height is
  // `height(w)` if given, else `aspect` times the width up to `maxHeight`.
  // `draw(ctx, w, h)` paints it in CSS pixels; redraw() asks for that at the next frame (and
  // a change of width asks for it too). `label()` returns the text alternative
  // (role="img" + aria-label).
  function canvas(parent, o) {
    const c = el("canvas", {class: "bp-x-canvas", role: "img"}, parent);
    const api = {canvas: c, width: 0, height: 0, draw: o.draw, label: o.label};
    api.measure = () => Math.max(o.minWidth || 200, Math.round(c.parentElement.clientWidth || 320));
    api.paint = function (w) {
      const h = Math.round(o.height ? o.height(w) : Math.min(w * o.aspect, o.maxHeight || 1e9));
      // At most 2 canvas pixels per CSS pixel: a phone's 3 would paint 2.25 times as many
      // pixels every frame for text that is already sharp at 2.
      const ratio = Math.min(window.devicePixelRatio || 1, 2);
      if (c.width !== Math.round(w * ratio) || c.height !== Math.round(h * ratio)) {
        c.width = Math.round(w * ratio);
        c.height = Math.round(h * ratio);
        c.style.width = `${w}px`;
        c.style.height = `${h}px`;
      }
      api.width = w; api.height = h;
      const ctx = c.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, w, h);
      api.draw(ctx, w, h);
      if (api.label) c.setAttribute("aria-label", api.label());
    };
    api.redraw = () => askForFrame(api);
    if (window.ResizeObserver) {
      let last = 0;
      new ResizeObserver(() => {
        const w = c.parentElement.clientWidth;
        if (w !== last) { last = w; api.redraw(); }
      }).observe(c.parentElement);
    }
    return api;
  }

  // Colours: the text colour of the page (so the dark theme works) and matplotlib's
  // tab10, which the book's static figures use.
  const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  // getComputedStyle makes the browser bring its styles up to date: once per frame is enough.
  // Text in a colour of tab10 must stand out 4.5:1 from the explorable's white ground
  // (WCAG AA); tab:green (3.4:1) and tab:orange (2.5:1) do not, so text takes these darker
  // shades of them (5.5:1). Lines and fills keep tab10.
  const TEXT = {green: "#1a7a1a", orange: "#a65200"};
  function ink(node) {
    if (inkOfFrame && inkOfFrame.has(node)) return inkOfFrame.get(node);
    const color = getComputedStyle(node).color || "#222";
    if (inkOfFrame) inkOfFrame.set(node, color);
    return color;
  }

  // A plotting frame: data coordinates -> canvas pixels inside a box with margins.
  // o: {x: [lo, hi], y: [lo, hi], left, right, top, bottom, logY}
  function frame(ctx, w, h, o) {
    const left = o.left ?? 48, right = o.right ?? 10, top = o.top ?? 22, bottom = o.bottom ?? 34;
    const tr = (v) => (o.logY ? Math.log10(v) : v);
    const [y0, y1] = o.logY ? [Math.log10(o.y[0]), Math.log10(o.y[1])] : o.y;
    const f = {
      left, top, right: w - right, bottom: h - bottom,
      X: (x) => left + (x - o.x[0]) / (o.x[1] - o.x[0]) * (w - left - right),
      Y: (y) => h - bottom - (tr(y) - y0) / (y1 - y0) * (h - top - bottom),
      invX: (px) => o.x[0] + (px - left) / (w - left - right) * (o.x[1] - o.x[0]),
      invY: (py) => y0 + (h - bottom - py) / (h - top - bottom) * (y1 - y0),
    };
    return f;
  }

  // Axes with ticks and labels, in the page's text colour.
  function axes(ctx, f, o) {
    const color = o.color;
    ctx.save();
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = 1;
    ctx.font = "12px system-ui, sans-serif";
    ctx.beginPath();
    ctx.moveTo(f.left, f.top); ctx.lineTo(f.left, f.bottom); ctx.lineTo(f.right, f.bottom);
    ctx.stroke();
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    for (const t of o.xticks || []) {
      const x = f.X(t);
      ctx.beginPath(); ctx.moveTo(x, f.bottom); ctx.lineTo(x, f.bottom + 4); ctx.stroke();
      ctx.fillText(o.xfmt ? o.xfmt(t) : fmt(t, 2), x, f.bottom + 6);
    }
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    for (const t of o.yticks || []) {
      const y = f.Y(t);
      ctx.beginPath(); ctx.moveTo(f.left - 4, y); ctx.lineTo(f.left, y); ctx.stroke();
      ctx.fillText(o.yfmt ? o.yfmt(t) : fmt(t, 2), f.left - 6, y);
    }
    if (o.xlabel && o.xlabelBelow) {   // under the tick labels (needs a bottom margin of 40)
      ctx.textAlign = "right"; ctx.textBaseline = "top";
      ctx.fillText(o.xlabel, f.right, f.bottom + 22);
    } else if (o.xlabel) {             // inside the corner, where the data leave room
      ctx.textAlign = "right"; ctx.textBaseline = "bottom";
      ctx.fillText(o.xlabel, f.right, f.bottom - 3);
    }
    if (o.ylabel) {   // above the axis, clear of the data
      ctx.textAlign = "left"; ctx.textBaseline = "bottom";
      ctx.fillText(o.ylabel, Math.max(2, f.left - 40), f.top - 6);
    }
    ctx.restore();
  }

  function polyline(ctx, f, xs, ys, style) {
    ctx.save();
    ctx.strokeStyle = style.color; ctx.lineWidth = style.width || 2;
    if (style.dash) ctx.setLineDash(style.dash);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(ys[i])) { pen = false; continue; }
      const x = f.X(xs[i]), y = f.Y(ys[i]);
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    ctx.restore();
  }

  function dot(ctx, x, y, r, color, outline) {
    ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = color; ctx.fill();
    if (outline) { ctx.strokeStyle = outline; ctx.lineWidth = 1; ctx.stroke(); }
  }

  // Words broken into lines no wider than `width` pixels in the context's font.
  function wrap(ctx, text, width) {
    const lines = [""];
    for (const word of text.split(" ")) {
      const next = lines[lines.length - 1] ? `${lines[lines.length - 1]} ${word}` : word;
      if (ctx.measureText(next).width > width && lines[lines.length - 1]) lines.push(word);
      else lines[lines.length - 1] = next;
    }
    return lines;
  }

  // Centred text on a cleared patch, so that the lines of a drawing do not run through it.
  function clearedText(ctx, text, x, y) {
    const half = ctx.measureText(text).width / 2 + 2;
    ctx.save(); ctx.globalCompositeOperation = "destination-out";
    ctx.fillRect(x - half, y - 11, 2 * half, 14); ctx.restore();
    ctx.fillText(text, x, y);
  }

  // The explorable's numbers, for the browser test (and anyone curious): full precision.
  function setResult(root, result) {
    root.dataset.result = JSON.stringify(result);
  }

  // The page under an explorable stays where it is while the reader operates it. Its words
  // and figures change height with the numbers (a line more or a line less), and each change
  // would move everything below it: the reader would see the page jump, and a slow phone
  // would lay out and repaint the rest of the chapter at every key press (conv_backward
  // changed height at nearly every press of a held arrow key, by up to 100 px). So the
  // explorable keeps the tallest height it has had at its width: it grows, never shrinks,
  // until its width changes (a turned phone, a resized window).
  function keepTallest(live) {
    if (!window.ResizeObserver) return;
    let width = null, tallest = 0;
    new ResizeObserver(([entry]) => {
      const w = entry.contentRect.width;
      const h = entry.borderBoxSize ? entry.borderBoxSize[0].blockSize : live.offsetHeight;
      if (w !== width) {            // a new width: start again from the natural height
        width = w; tallest = 0; live.style.minHeight = "";
        return;
      }
      if (h > tallest + 0.5) { tallest = h; live.style.minHeight = `${h}px`; }
    }).observe(live);
  }

  // In a notebook, a key pressed on a control would go on to the notebook, whose command
  // mode takes the arrow keys (select another cell), letters (m: make the cell Markdown)
  // and Space: the keys the controls use stay in the explorable. Tab, Escape, Shift+Enter
  // and shortcuts with Ctrl, Cmd or Alt (Ctrl+S saves) go on to the notebook.
  function ownKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === "Tab" || event.key === "Escape") return false;
    return !(event.key === "Enter" && event.shiftKey);
  }
  // Notebook 7 hears keys on their way down to the control, and in command mode acts on
  // them first (ArrowUp selects the cell above instead of stepping the slider); JupyterLab
  // hears them as they bubble up. So a key of the explorable's own stops where it starts,
  // at the window, before either hears it: the control still does what the key does by
  // default (a slider steps, a list changes, a button is pressed); the explorables listen
  // for no keys themselves. Only in a notebook's output area: the site has no key
  // bindings to keep away.
  window.addEventListener("keydown", (event) => {
    const inNotebook = event.target.closest && event.target.closest(".jp-OutputArea .bp-explorable");
    if (inNotebook && ownKey(event)) event.stopPropagation();
    if (inNotebook && event.key === "Escape") leaveForTheNotebook(event.target);
  }, true);
  // Escape leaves the explorable, as it leaves a cell's editor: the notebook (in command
  // mode after its own Escape) takes the keyboard, so that j, k and the other command
  // keys move between cells again. The learning-rate explorer (explorer.js) does the same.
  function leaveForTheNotebook(control) {
    setTimeout(() => {
      const cell = control.closest(".jp-Cell"), notebook = control.closest(".jp-Notebook");
      if (cell) cell.focus();
      if (document.activeElement !== cell && notebook) notebook.focus();
    }, 0);
  }

  // Once the live explorable is built, the static figure (shown when JavaScript is off or
  // has failed) is hidden on screen but kept: a printed page shows it instead of the live
  // controls and canvas (tools/sphinx/static/bp-print.css), which paper cannot operate.
  function start(root, build) {
    const live = el("div", {class: "bp-x-live"}, root);
    build(live);
    keepTallest(live);
    const fallback = root.querySelector(".bp-x-static");
    if (fallback) fallback.hidden = true;
    root.dataset.ready = "1";
  }

  const api = {el, fmt, minus, slider, select, button, enable, status, canvas, frame, axes, polyline, dot,
          wrap, clearedText, TAB10, TEXT, ink, setResult, start, drawMs: 0};
  return api;
})();

// bp's maths, as the book derives it, for the explorables that train or differentiate a
// dense network. Examples are rows, W has shape (n_out, n_in), as in bp/dense.py.
window.bpMath = window.bpMath || (function () {
  "use strict";

  // Z = A W^T + b   (the layer equation, eq-layer-intro / eq-forward)
  function denseForward(A, W, b) {
    return A.map((a) => W.map((w, j) => {
      let z = b[j];
      for (let k = 0; k < w.length; k++) z += w[k] * a[k];
      return z;
    }));
  }

  // dW = dZ^T A_prev (BP3), db = (dZ)^T 1 (BP4), dA_prev = dZ W (the first factor of BP2)
  function denseBackward(dZ, Aprev, W) {
    const nOut = W.length, nIn = W[0].length;
    const dW = W.map(() => new Array(nIn).fill(0));
    const db = new Array(nOut).fill(0);
    for (let n = 0; n < dZ.length; n++) {
      for (let j = 0; j < nOut; j++) {
        db[j] += dZ[n][j];
        for (let k = 0; k < nIn; k++) dW[j][k] += dZ[n][j] * Aprev[n][k];
      }
    }
    const dA = dZ.map((d) => {
      const row = new Array(nIn).fill(0);
      for (let j = 0; j < nOut; j++) for (let k = 0; k < nIn; k++) row[k] += d[j] * W[j][k];
      return row;
    });
    return {dW, db, dA};
  }

  // Activations and their derivatives sigma'(z), as in bp/activations.py
  const activations = {
    tanh: {f: Math.tanh, df: (z, a) => 1 - a * a},
    sigmoid: {f: (z) => 1 / (1 + Math.exp(-z)), df: (z, a) => a * (1 - a)},
    relu: {f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0)},
    identity: {f: (z) => z, df: () => 1},
  };
  const map2 = (M, g) => M.map((row) => row.map(g));

  return {denseForward, denseBackward, activations, map2};
})();
