// Which kernel taps and which entries of dY make one pixel of dX (chapter "Convolutional
// networks"). One input and one output channel. The forward pass is a cross-correlation,
// Y[i][j] = sum_{p,q} W[p][q] Xpad[s i + p][s j + q]   (eq-conv-forward),
// so input pixel (u, v), at (U, V) = (u + pad, v + pad) in the padded input, collects
// dC/dX[u][v] = sum of dY[i][j] W[p][q] over s i + p = U, s j + q = V   (eq-conv-dx-sum,
// eq-conv-stride). With the kernel rotated by 180 degrees, W^rot[kh-1-p][kw-1-q] = W[p][q],
// it is a cross-correlation of the (dilated, padded) dY with W^rot   (eq-conv-dx).
// bp computes it as col2im (bp/convolution.py, Conv2D._col2im); this page does the same.

function explore(live, data, root) {
  const W = data.kernel;
  const kh = W.length, kw = W[0].length;
  const [nH, nW] = data.x_shape;                        // X and dX are nH x nW

  // (eq-conv-size): m = floor((n + 2 pad - k) / s) + 1
  function outputSize(n, k, s, pad) { return Math.floor((n + 2 * pad - k) / s) + 1; }

  // dY for this stride and padding: the top-left block, of the output's size, of data.dY
  function dYFor(s, pad) {
    const mH = outputSize(nH, kh, s, pad), mW = outputSize(nW, kw, s, pad);
    return data.dY.slice(0, mH).map((row) => row.slice(0, mW));
  }

  // dC/dX as bp's Conv2D.backward computes it. (eq-conv-im2col): dC/dcolumns = W_mat^T dY,
  // so entry (p, q) of window (i, j) gets W[p][q] dY[i][j]; col2im then adds it to the
  // padded pixel that entry was read from, (s i + p, s j + q), one tap (p, q) at a time.
  function inputGradient(dY, s, pad) {
    const mH = dY.length, mW = dY[0].length;
    const dXpad = [];
    for (let r = 0; r < nH + 2 * pad; r++) dXpad.push(new Array(nW + 2 * pad).fill(0));
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        for (let i = 0; i < mH; i++) {
          for (let j = 0; j < mW; j++) dXpad[s * i + p][s * j + q] += W[p][q] * dY[i][j];
        }
      }
    }
    // The padding zeros are not inputs: cut them off (after eq-conv-stride). Rows and
    // columns past the last window were never read and keep 0.
    return dXpad.slice(pad, pad + nH).map((row) => row.slice(pad, pad + nW));
  }

  // The products that pixel (u, v) collects, in the order col2im adds them (taps in
  // row-major order): tap (p, q) of window (i, j) lands on it when s i + p = U and
  // s j + q = V (eq-conv-dx-sum, eq-conv-stride). Each term is [i, j, p, q, dY[i][j] W[p][q]].
  function termsOf(dY, s, pad, u, v) {
    const U = u + pad, V = v + pad, terms = [];
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        if ((U - p) % s !== 0 || (V - q) % s !== 0) continue;   // no window put tap (p, q) here
        const i = (U - p) / s, j = (V - q) / s;
        if (i >= 0 && i < dY.length && j >= 0 && j < dY[0].length) {
          terms.push([i, j, p, q, dY[i][j] * W[p][q]]);
        }
      }
    }
    return terms;
  }

  // ---- controls ----
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const stride = bpUI.select(controls, {name: "stride", label: "stride s",
    options: data.strides.map((v) => [String(v), String(v)]), value: String(data.start.stride)});
  const padding = bpUI.select(controls, {name: "padding", label: "padding",
    options: data.paddings.map((v) => [String(v), String(v)]), value: String(data.start.padding)});
  const row = bpUI.slider(controls, {name: "row", label: "row u of dX", min: 0, max: nH - 1, step: 1,
                                     value: data.start.row, format: (v) => String(v)});
  const col = bpUI.slider(controls, {name: "col", label: "column v of dX", min: 0, max: nW - 1,
                                     step: 1, value: data.start.col, format: (v) => String(v)});

  // ---- the state the pictures show ----
  let s = 0, pad = 0, dY = null, dX = null, terms = [], value = 0;

  // ---- drawing ----
  const MAX_CELL = 44, DX_CELL = 27, GAP = 12;
  // colours pairing each product's dY entry with its kernel tap: tab10 without the blue and
  // red of the signs, then the text colour
  const PAIR = [1, 2, 4, 5, 6, 8, 9, 7].map((k) => bpUI.TAB10[k]);
  const pairColor = (k) => (k < PAIR.length ? PAIR[k] : bpUI.ink(root));

  // A number as the cells print it: dY has one decimal and W integers, so one decimal is
  // exact up to rounding (and -0.0 is 0); integers of 10 and more without the ".0".
  function oneDecimal(x) {
    let text = x.toFixed(1);
    if (text === "0.0" || text === "-0.0") return "0";
    if (Math.abs(x) >= 10) text = text.replace(/\.0$/, "");
    return text.replace(/-/g, "−");
  }

  const integer = (x) => String(x).replace(/-/g, "−");
  const compact = (x) => (Math.abs(x) >= 9.95 ? integer(Math.round(x)) : oneDecimal(x));

  function limitOf(grid) {
    let m = 0;
    for (const r of grid) for (const x of r) m = Math.max(m, Math.abs(x));
    return m || 1;
  }

  // One grid of numbers at (x0, y0), cells of `cell` px: sign colours (red +, blue −),
  // the numbers when they fit at 12 px, and outlines [[r, c, colour], ...]. The cells change
  // only with the stride, the padding and the width, the outlines with every chosen pixel:
  // the cells are drawn once into a bitmap of their own (gridCells) and copied at each
  // frame, under the outlines, so that a held key on a slow phone redraws only those.
  function drawGrid(ctx, grid, x0, y0, cell, o) {
    const ratio = ctx.getTransform().a;
    // whole device pixels, so that the copied bitmap is as sharp as cells drawn in place
    x0 = Math.round(x0 * ratio) / ratio; y0 = Math.round(y0 * ratio) / ratio;
    const cells = gridCells(grid, cell, ratio, o.format);
    ctx.drawImage(cells, x0, y0, cells.width / ratio, cells.height / ratio);
    ctx.save();
    for (const [a, b, color, width] of o.outlines || []) {
      ctx.strokeStyle = color; ctx.lineWidth = width || 3;
      const inset = (width || 3) / 2 + 1;
      ctx.strokeRect(x0 + b * cell + inset, y0 + a * cell + inset, cell - 2 * inset, cell - 2 * inset);
    }
    ctx.restore();
  }

  const drawnCells = new Map();     // a few bitmaps: one per grid, stride, padding and width
  function gridCells(grid, cell, ratio, format) {
    const ink = bpUI.ink(root);
    const key = [cell, ratio, ink, format ? "integer" : "decimal", grid.flat().join(" ")].join("|");
    if (drawnCells.has(key)) return drawnCells.get(key);
    if (drawnCells.size > 32) drawnCells.clear();
    const bitmap = document.createElement("canvas");
    bitmap.width = Math.ceil(grid[0].length * cell * ratio);
    bitmap.height = Math.ceil(grid.length * cell * ratio);
    const ctx = bitmap.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const limit = limitOf(grid);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    // one decimal if it fits; else numbers of 10 and more rounded to integers; else none
    const widest = (text) => Math.max(...text.flat().map((t) => ctx.measureText(t).width));
    let text = grid.map((r) => r.map(format || oneDecimal));
    if (widest(text) + 4 > cell) text = grid.map((r) => r.map(format || compact));
    const numbers = widest(text) + 4 <= cell;
    grid.forEach((r, a) => r.forEach((x, b) => {
      const x1 = b * cell, y1 = a * cell;
      ctx.globalAlpha = 0.12 + 0.5 * Math.abs(x) / limit;
      ctx.fillStyle = x >= 0 ? bpUI.TAB10[3] : bpUI.TAB10[0];
      if (x !== 0) ctx.fillRect(x1, y1, cell, cell);
      ctx.globalAlpha = 0.45;
      ctx.strokeStyle = ink; ctx.lineWidth = 1;
      ctx.strokeRect(x1 + 0.5, y1 + 0.5, cell - 1, cell - 1);
      ctx.globalAlpha = 1;
      if (numbers) { ctx.fillStyle = ink; ctx.fillText(text[a][b], x1 + cell / 2, y1 + cell / 2 + 1); }
    }));
    drawnCells.set(key, bitmap);
    return bitmap;
  }

  // A panel: a caption (HTML text) over a canvas whose height follows the grid it shows.
  // `shape()` gives [rows, columns] in cells and `extra` the px above the grid. The layout
  // is computed from the width the canvas measured for this frame (no second read of the
  // page's layout while drawing).
  function panel(parent, o) {
    const box = bpUI.el("div", {}, parent);
    Object.assign(box.style, {flex: o.flex, minWidth: `${o.minWidth}px`, maxWidth: `${o.maxWidth()}px`});
    const caption = bpUI.el("div", {}, box);
    Object.assign(caption.style, {fontSize: "0.9rem", margin: "0 0 0.2rem"});
    const layout = (w = view.width) => {
      const [rows, cols] = o.shape();
      const cell = Math.min((w - (o.gapX || 0)) / cols, o.maxCell || MAX_CELL);
      return {cell, w, h: rows * cell + (o.extra || 0)};
    };
    const view = bpUI.canvas(box, {
      minWidth: o.minWidth, height: (w) => layout(w).h,
      draw(ctx, w) { o.draw(ctx, layout(w)); },
      label: o.label,
    });
    let shown = {};
    return {box, caption, view, layout,
            refresh() {
              // only what changed: a held key on the row slider changes neither
              const maxWidth = `${o.maxWidth()}px`, text = o.caption();
              if (shown.maxWidth !== maxWidth) box.style.maxWidth = maxWidth;
              if (shown.text !== text) caption.textContent = text;
              shown = {maxWidth, text};
              view.redraw();
            }};
  }

  const figure = bpUI.el("div", {}, live);
  Object.assign(figure.style, {display: "flex", flexWrap: "wrap", gap: `0.6rem ${GAP}px`,
                               alignItems: "flex-start", margin: "0.4rem 0"});
  const shapeOf = (g) => [g.length, g[0].length];

  const dYPanel = panel(figure, {
    // dY and the kernel share a row even on a phone; dX, with smaller cells, takes the next
    flex: "2 1 130px", minWidth: 120, maxWidth: () => Math.max(200, nW * MAX_CELL),
    shape: () => shapeOf(dY),
    caption: () => `dY = ∂C/∂Y, ${dY.length} × ${dY[0].length}`,
    draw(ctx, l) {
      const [rows, cols] = shapeOf(dY);
      drawGrid(ctx, dY, (l.w - cols * l.cell) / 2, 0, l.cell,
               {outlines: terms.map((t, k) => [t[0], t[1], pairColor(k)])});
    },
    label: () => `dY, ${dY.length} by ${dY[0].length}. Outlined: ` +
      (terms.length ? terms.map((t) => `dY[${t[0]}, ${t[1]}]`).join(", ") : "nothing") + ".",
  });

  const LABEL = 18;                                      // px for "W" and "W rotated" above the grids
  const kernelPanel = panel(figure, {
    flex: "1 1 170px", minWidth: 160, maxWidth: () => 2 * kw * MAX_CELL + GAP,
    shape: () => [kh, 2 * kw], gapX: GAP, extra: LABEL,
    caption: () => `kernel, ${kh} × ${kw}`,
    draw(ctx, l) {
      const ink = bpUI.ink(root);
      const left = (l.w - 2 * kw * l.cell - GAP) / 2, right = left + kw * l.cell + GAP;
      ctx.save();
      ctx.fillStyle = ink; ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.fillText("W", left + kw * l.cell / 2, 2);
      ctx.fillText("rotated 180°", right + kw * l.cell / 2, 2);
      ctx.restore();
      const rotated = W.map((r, p) => r.map((x, q) => W[kh - 1 - p][kw - 1 - q]));
      drawGrid(ctx, W, left, LABEL, l.cell, {format: integer,
        outlines: terms.map((t, k) => [t[2], t[3], pairColor(k)])});
      drawGrid(ctx, rotated, right, LABEL, l.cell, {format: integer,   // W^rot (eq-conv-dx)
        outlines: terms.map((t, k) => [kh - 1 - t[2], kw - 1 - t[3], pairColor(k)])});
    },
    label: () => `The 3 by 3 kernel W and, next to it, W rotated by 180 degrees. Outlined: ` +
      (terms.length ? terms.map((t) => `W[${t[2]}, ${t[3]}], which is W rotated at ` +
                                        `[${kh - 1 - t[2]}, ${kw - 1 - t[3]}]`).join("; ") : "nothing") + ".",
  });

  // dX is drawn inside the padded input: a dashed band of `pad` thin cells all round (the
  // padding, whose gradient bp computes and cuts off), each data.ring of a cell thick.
  const RING = data.ring;
  const dXOrigin = (l) => [(l.w - (nW + 2 * pad * RING) * l.cell) / 2 + pad * RING * l.cell,
                           pad * RING * l.cell];
  const dXPanel = panel(figure, {
    flex: "1 1 270px", minWidth: 200, maxCell: DX_CELL,
    maxWidth: () => Math.max(200, (nW + 2 * pad * RING) * DX_CELL),
    shape: () => [nH + 2 * pad * RING, nW + 2 * pad * RING],
    caption: () => `dX = ∂C/∂X, ${nH} × ${nW}: tap a pixel`,
    draw(ctx, l) {
      const [x0, y0] = dXOrigin(l), ring = RING * l.cell;
      // cell k of a row or column of the padded input: [start, size] in px
      const span = (k, n, origin) => (k < 0 ? [origin + k * ring, ring]
        : k >= n ? [origin + n * l.cell + (k - n) * ring, ring] : [origin + k * l.cell, l.cell]);
      ctx.save();
      ctx.strokeStyle = bpUI.ink(root); ctx.globalAlpha = 0.5; ctx.setLineDash([3, 3]);
      for (let r = -pad; r < nH + pad; r++) {
        for (let c = -pad; c < nW + pad; c++) {
          if (r >= 0 && r < nH && c >= 0 && c < nW) continue;
          const [x, w] = span(c, nW, x0), [y, h] = span(r, nH, y0);
          ctx.strokeRect(x + 1.5, y + 1.5, w - 3, h - 3);
        }
      }
      ctx.restore();
      drawGrid(ctx, dX, x0, y0, l.cell, {outlines: [[row.value, col.value, bpUI.ink(root), 4]]});
    },
    label: () => `dX, ${nH} by ${nW}` + (pad ? `, inside a dashed band: its ${pad} cell of padding` : "") +
      `. Pixel (${row.value}, ${col.value}) is chosen; its value is ${oneDecimal(value)}.`,
  });
  dXPanel.view.canvas.setAttribute("data-control", "dX");
  dXPanel.view.canvas.style.cursor = "pointer";

  // A tap on dX chooses that pixel (the sliders do the same from the keyboard).
  dXPanel.view.canvas.addEventListener("click", (event) => {
    const l = dXPanel.layout(), rect = dXPanel.view.canvas.getBoundingClientRect();
    const [x0, y0] = dXOrigin(l);
    const c = Math.floor((event.clientX - rect.left - x0) / l.cell);
    const r = Math.floor((event.clientY - rect.top - y0) / l.cell);
    if (r < 0 || r >= nH || c < 0 || c >= nW) return;       // the padding is not an input
    row.value = r; col.value = c;
    update();
  });

  // What the colours mean, under the pictures
  const key = bpUI.el("p", {text: "Red positive, blue negative, stronger the larger. Outlines of one " +
    "colour pair a dY entry with the tap of W it multiplies; thick square: the chosen pixel."}, live);
  Object.assign(key.style, {fontSize: "0.85em", margin: "0.2em 0"});
  // The result in a few words for the live region; the whole sum, term by term, after it
  // (read when the reader goes there, not announced on every change).
  const said = bpUI.status(live);
  const sum = bpUI.el("p", {}, live);
  Object.assign(sum.style, {margin: "0.3em 0 0", fontSize: "0.9rem"});

  // The short result: how many windows read pixel (u, v), and its value (a no-break space
  // inside every index pair, so that no pair is split over two lines)
  function describeResult(u, v) {
    const where = pad ? ` (pixel (${u + pad},\u00a0${v + pad}) of the padded input)` : "";
    if (!terms.length) {
      return `Stride ${s}, padding ${pad}: no window read pixel (${u},\u00a0${v})${where}; the ` +
        `last window ends before it (the floor in the output size), so dX[${u},\u00a0${v}] = 0.`;
    }
    const windows = terms.length === 1 ? "1 window" : `${terms.length} windows`;
    return `Stride ${s}, padding ${pad}: ${windows} read pixel (${u},\u00a0${v})${where}, ` +
      `so dX[${u},\u00a0${v}] = ${oneDecimal(value)} is ` +
      (terms.length === 1 ? "a single product." : `a sum of ${terms.length} products.`);
  }

  // The sum term by term, (eq-conv-dx-sum)
  function describeSum(u, v) {
    if (!terms.length) return "";
    // no line break inside an index pair (a no-break space after the comma)
    const names = terms.map((t) => `dY[${t[0]},\u00a0${t[1]}]·W[${t[2]},\u00a0${t[3]}]`).join(" + ");
    const numbers = terms.map((t) => `(${oneDecimal(dY[t[0]][t[1]])})\u2060(${integer(W[t[2]][t[3]])})`)
      .join(" + ");
    return `dX[${u},\u00a0${v}] = ${names} = ${numbers} = ${oneDecimal(value)}.`;
  }

  function update() {
    s = Number(stride.value); pad = Number(padding.value);
    dY = dYFor(s, pad);
    dX = inputGradient(dY, s, pad);
    const u = row.value, v = col.value;
    terms = termsOf(dY, s, pad, u, v);
    value = 0;
    for (const t of terms) value += t[4];                 // the same order col2im adds them in
    said.textContent = describeResult(u, v);
    sum.textContent = describeSum(u, v);
    for (const p of [dYPanel, kernelPanel, dXPanel]) p.refresh();
    bpUI.setResult(root, {stride: s, padding: pad, dX, pixel: [u, v], terms, value});
  }
  for (const control of [stride, padding, row, col]) control.onchange = update;
  update();
}
