// The backward pass of chapter 4's 2-3-1 network, one node at a time (chapter
// "Backpropagation calculations", section "A backward pass in numbers").
// Forward: z^1 = W^1 x + b^1, a^1 = sigmoid(z^1), a^2 = z^2 = W^2 a^1 + b^2 (identity
// output), C = (a^2 - y)^2. Backward, one step per "Next":
//   step 1   (BP1)        delta^2 = dC/da^2 * sigma'(z^2) = 2 (a^2 - y) * 1
//   step 2   (BP3, BP4)   dC/dW^2 = delta^2 (a^1)^T,  dC/db^2 = delta^2
//   step 3-5 (BP2, eq-hidden)  delta^1_j = w^2_1j delta^2 sigma'(z^1_j), one hidden unit a step
//   step 6   (BP3, BP4)   dC/dW^1 = delta^1 x^T,      dC/db^1 = delta^1
// bp computes the same numbers with Sequential.backward in backward_pass.py.

function explore(live, data, root) {
  const W1 = data.weights["0.W"], b1 = data.weights["0.b"];
  const W2 = data.weights["2.W"], b2 = data.weights["2.b"];
  const LAST = data.last;
  // orange lines in tab:orange; orange text darker (tab:orange on white is 2.5:1, this 5.5:1)
  const RED = bpUI.TAB10[3], ORANGE = bpUI.TAB10[1], ORANGE_TEXT = bpUI.TEXT.orange;
  const SUB = ["₁", "₂", "₃"];
  const f3 = (v) => bpUI.fmt(v, 3);
  // inputs, target and weights sit on a 0.1 grid: one decimal, the slider's own format
  const f1 = (v) => bpUI.minus((Math.abs(v) < 0.05 ? 0 : v).toFixed(1));

  // ---- the numbers ------------------------------------------------------------------
  function forward(x, y) {
    const z1 = bpMath.denseForward([x], W1, b1)[0];           // z^1 = W^1 x + b^1
    const a1 = z1.map(bpMath.activations.sigmoid.f);           // a^1 = sigma(z^1)
    const a2 = bpMath.denseForward([a1], W2, b2)[0][0];        // a^2 = z^2 (identity output)
    const slope1 = a1.map((a, j) => bpMath.activations.sigmoid.df(z1[j], a));  // sigma'(z^1) = a(1 - a), eq-activation-derivatives
    return {x, y, z1, a1, a2, slope1, C: (a2 - y) ** 2};
  }
  function backward(f) {
    const delta2 = [2 * (f.a2 - f.y) * 1];                     // (BP1): dC/da^2 = 2(a^2 - y), sigma'(z^2) = 1
    const dW2 = [f.a1.map((a) => delta2[0] * a)];              // (BP3): delta^2 (a^1)^T, eq-layer-grad
    const db2 = [delta2[0]];                                   // (BP4)
    const delta1 = f.slope1.map((s, j) => W2[0][j] * delta2[0] * s);  // (BP2), eq-hidden
    const dW1 = delta1.map((d) => f.x.map((xk) => d * xk));    // (BP3): delta^1 x^T
    const db1 = delta1.slice();                                // (BP4)
    return {delta2, dW2, db2, delta1, dW1, db1};
  }
  // What is known after `step` presses of Next (null: not computed yet)
  function knownAt(step, f, g) {
    const units = Math.max(0, Math.min(3, step - 2));
    return {
      step, a2: f.a2, C: f.C,
      delta2: step >= 1 ? g.delta2 : null,
      dW2: step >= 2 ? g.dW2 : null, db2: step >= 2 ? g.db2 : null,
      delta1: units === 0 ? null : g.delta1.map((d, j) => (j < units ? d : null)),
      dW1: step >= 6 ? g.dW1 : null, db1: step >= 6 ? g.db1 : null,
    };
  }
  // Which numbers a step computes ("new") and which earlier ones it uses ("used")
  function roles(step) {
    if (step === 1) return {new: ["d2"], used: ["a2", "y"]};
    if (step === 2) return {new: ["dW2", "db2"], used: ["d2", "a1_0", "a1_1", "a1_2"]};
    if (step >= 3 && step <= 5) {
      const j = step - 3;
      return {new: [`d1_${j}`], used: ["d2", `w2_${j}`, `s1_${j}`]};
    }
    if (step === 6) return {new: ["dW1", "db1"], used: ["d1_0", "d1_1", "d1_2", "x_0", "x_1"]};
    return {new: [], used: []};
  }

  // ---- the controls ------------------------------------------------------------------
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const x1 = bpUI.slider(controls, {name: "x1", label: "input x₁", ...data.x, value: data.start.x1,
                                    format: (v) => v.toFixed(1)});
  const x2 = bpUI.slider(controls, {name: "x2", label: "input x₂", ...data.x, value: data.start.x2,
                                    format: (v) => v.toFixed(1)});
  const yT = bpUI.slider(controls, {name: "y", label: "target y", ...data.y, value: data.start.y,
                                    format: (v) => v.toFixed(1)});
  const buttons = bpUI.el("div", {class: "bp-x-controls"}, live);
  let step = 0;
  const go = (s) => { step = Math.max(0, Math.min(LAST, s)); update(); };
  let back, next, reset;
  back = bpUI.button(buttons, {name: "back", label: "◀ Back", title: "Back one step", onclick: () => go(step - 1)});
  next = bpUI.button(buttons, {name: "next", label: "Next ▶", title: "Next step of the backward pass",
                               onclick: () => go(step + 1)});
  reset = bpUI.button(buttons, {name: "reset", label: "Reset", title: "Back to the forward pass only",
                                onclick: () => go(0)});
  // The words of the step right under the buttons that take it, so that both are in view
  const said = bpUI.status(live);

  let f = null, g = null, role = roles(0);
  const is = (kind, id) => role[kind].includes(id);

  // ---- the drawing -------------------------------------------------------------------
  // A box of text lines; each line {text, id, known}. A line that the step computes is red
  // and bold, one that it uses is orange and bold; the box's border says the same.
  function box(ctx, cx, cy, w, lines, ink) {
    const lh = 16, h = lines.length * lh + 8;
    const left = cx - w / 2, top = cy - h / 2;
    const anyNew = lines.some((l) => is("new", l.id)), anyUsed = lines.some((l) => is("used", l.id));
    ctx.save();
    ctx.lineWidth = anyNew || anyUsed ? 2.5 : 1;
    ctx.strokeStyle = anyNew ? RED : anyUsed ? ORANGE : ink;
    ctx.beginPath();
    ctx.rect(left, top, w, h);
    ctx.stroke();
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    lines.forEach((l, i) => {
      const hot = is("new", l.id) ? RED : is("used", l.id) ? ORANGE_TEXT : null;
      ctx.font = `${hot ? "bold " : ""}12px system-ui, sans-serif`;
      ctx.fillStyle = hot || ink;
      ctx.fillText(l.text, cx, top + 4 + lh * (i + 0.5));
    });
    ctx.restore();
    return {left, right: left + w, top, bottom: top + h, cx, cy};
  }
  function arrow(ctx, from, to, color, width) {
    ctx.save();
    ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = width;
    ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(to[0], to[1]); ctx.stroke();
    const angle = Math.atan2(to[1] - from[1], to[0] - from[0]), s = 5 + width;
    ctx.beginPath();
    ctx.moveTo(to[0], to[1]);
    ctx.lineTo(to[0] - s * Math.cos(angle - 0.4), to[1] - s * Math.sin(angle - 0.4));
    ctx.lineTo(to[0] - s * Math.cos(angle + 0.4), to[1] - s * Math.sin(angle + 0.4));
    ctx.closePath(); ctx.fill();
    ctx.restore();
  }
  function line(ctx, a, b, color, width) {
    ctx.save();
    ctx.strokeStyle = color; ctx.lineWidth = width; ctx.globalAlpha = width > 1 ? 1 : 0.45;
    ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
    ctx.restore();
  }
  const deltaText = (name, v) => (v === null || v === undefined ? `${name} = ?` : `${name} = ${f3(v)}`);

  function draw(ctx, w, h) {
    const ink = bpUI.ink(root);
    const known = knownAt(step, f, g);
    const inW = Math.min(80, w * 0.2), boxW = Math.min(110, w * 0.27);
    const inX = 4 + inW / 2, hidX = w * 0.45, outX = w - 4 - boxW / 2;
    const inY = [h * 0.3, h * 0.7], hidY = [h * 0.17, h * 0.5, h * 0.83];
    // first layer's weights: grey, and red once the gradients dC/dW^1 are known (step 6)
    for (let k = 0; k < 2; k++) {
      for (let j = 0; j < 3; j++) {
        line(ctx, [inX + inW / 2, inY[k]], [hidX - boxW / 2, hidY[j]],
             step === 6 ? RED : ink, step === 6 ? 1.5 : 1);
      }
    }
    // second layer's weights, with their values; the one a BP2 step goes through in orange
    ctx.save();
    ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    for (let j = 0; j < 3; j++) {
      const from = [outX - boxW / 2, h * 0.5], to = [hidX + boxW / 2, hidY[j]];
      const used = is("used", `w2_${j}`), passed = known.delta1 && known.delta1[j] !== null;
      if (used || passed) arrow(ctx, from, to, used ? ORANGE : RED, used ? 3 : 1.5);
      else line(ctx, from, to, ink, 1);
      ctx.fillStyle = used ? ORANGE_TEXT : ink;
      ctx.font = `${used ? "bold " : ""}12px system-ui, sans-serif`;
      // the label at the middle of the edge, moved off it on the side away from the middle
      // edge: above the top edge, below the bottom one (n is the edge's unit normal)
      const t = 0.55, mx = from[0] + t * (to[0] - from[0]), my = from[1] + t * (to[1] - from[1]);
      const len = Math.hypot(to[0] - from[0], to[1] - from[1]) || 1;
      const side = j === 2 ? 1 : -1, n = [Math.abs(to[1] - from[1]) / len, side * Math.abs(to[0] - from[0]) / len];
      ctx.textAlign = j === 1 ? "center" : "left"; ctx.textBaseline = j === 2 ? "top" : "bottom";
      ctx.fillText(f1(W2[0][j]), mx + 4 * n[0], my + 4 * n[1]);
    }
    ctx.restore();
    for (let k = 0; k < 2; k++) {
      box(ctx, inX, inY[k], inW, [{text: `x${SUB[k]} = ${f1(f.x[k])}`, id: `x_${k}`}], ink);
    }
    for (let j = 0; j < 3; j++) {
      const d = known.delta1 ? known.delta1[j] : null;
      box(ctx, hidX, hidY[j], boxW, [
        {text: `a¹${SUB[j]} = ${f3(f.a1[j])}`, id: `a1_${j}`},
        {text: `σ′ = ${f3(f.slope1[j])}`, id: `s1_${j}`},
        {text: deltaText(`δ¹${SUB[j]}`, d), id: `d1_${j}`}], ink);
    }
    box(ctx, outX, h * 0.5, boxW, [
      {text: `a² = ${f3(f.a2)}`, id: "a2"},
      {text: `y = ${f1(f.y)}`, id: "y"},
      {text: `C = ${f3(f.C)}`, id: "C"},
      {text: deltaText("δ²", known.delta2 && known.delta2[0]), id: "d2"}], ink);
  }

  const figure = bpUI.canvas(live, {
    aspect: 0.66, maxHeight: 330, draw,
    label: () => `The 2-3-1 network: inputs x = (${f1(f.x[0])}, ${f1(f.x[1])}), ` +
      `hidden activations a¹ = (${f.a1.map(f3).join(", ")}) with slopes σ′(z¹) = ` +
      `(${f.slope1.map(f3).join(", ")}), output a² = ${f3(f.a2)}, target ${f1(f.y)}. ` +
      `Step ${step} of ${LAST} of the backward pass. ${said.textContent}`,
  });
  bpUI.el("p", {style: "margin:0.2rem 0 0;font-size:0.85rem",
                text: "Red: what this step computes. Orange: the earlier numbers it uses. " +
                      "The numbers on the arrows are the weights w²₁ⱼ the error travels back along."}, live);

  // ---- the gradient tables: each entry is its row's delta times its column's input -----
  const tables = bpUI.el("div", {style: "display:flex;flex-wrap:wrap;gap:0.3rem 1.2rem;margin-top:0.4rem"}, live);
  function makeTable(caption, columns, rows) {
    const t = bpUI.el("table", {style: "border-collapse:collapse;font-size:0.85rem;font-variant-numeric:tabular-nums"}, tables);
    bpUI.el("caption", {text: caption, style: "text-align:left;font-size:0.85rem;caption-side:top"}, t);
    const head = bpUI.el("tr", {}, t);
    bpUI.el("td", {}, head);        // the corner heads neither a row nor a column
    const colCells = columns.map(() => bpUI.el("th", {scope: "col", style: "padding:0.1rem 0.25rem;font-weight:normal"}, head));
    const rowCells = [], cells = [];
    for (let r = 0; r < rows; r++) {
      const tr = bpUI.el("tr", {}, t);
      rowCells.push(bpUI.el("th", {scope: "row", style: "padding:0.1rem 0.35rem;font-weight:normal;text-align:left;white-space:nowrap"}, tr));
      cells.push(columns.map(() => bpUI.el("td", {style: "padding:0.1rem 0.25rem;text-align:right"}, tr)));
    }
    return {colCells, rowCells, cells};
  }
  const layer2 = makeTable("∂C/∂W² = δ² (a¹)ᵀ and ∂C/∂b² = δ² (BP3, BP4)", [0, 1, 2, 3], 1);
  const layer1 = makeTable("∂C/∂W¹ = δ¹ xᵀ and ∂C/∂b¹ = δ¹ (BP3, BP4)", [0, 1, 2], 3);
  function paint(cell, text, kind) {
    cell.textContent = text;
    // text in a darker orange than the outline: tab:orange text on white is too faint to read
    cell.style.color = kind === "new" ? RED : kind === "used" ? ORANGE_TEXT : "";
    cell.style.fontWeight = kind ? "bold" : "";
    cell.style.outline = kind ? `2px solid ${kind === "new" ? RED : ORANGE}` : "";
  }
  function fillTables(known) {
    const hot2 = step === 2 ? "new" : null, hot1 = step === 6 ? "new" : null;
    f.a1.forEach((a, j) => paint(layer2.colCells[j], `a¹${SUB[j]} ${f3(a)}`, step === 2 ? "used" : null));
    paint(layer2.colCells[3], "bias", null);
    paint(layer2.rowCells[0], deltaText("δ²", known.delta2 && known.delta2[0]), step === 2 ? "used" : null);
    for (let j = 0; j < 4; j++) {
      const v = known.dW2 ? (j < 3 ? known.dW2[0][j] : known.db2[0]) : null;
      paint(layer2.cells[0][j], v === null ? "?" : f3(v), hot2);
    }
    f.x.forEach((x, k) => paint(layer1.colCells[k], `x${SUB[k]} ${f1(x)}`, step === 6 ? "used" : null));
    paint(layer1.colCells[2], "bias", null);
    for (let j = 0; j < 3; j++) {
      const d = known.delta1 ? known.delta1[j] : null;
      paint(layer1.rowCells[j], deltaText(`δ¹${SUB[j]}`, d), step === 6 ? "used" : null);
      for (let k = 0; k < 3; k++) {
        const v = known.dW1 ? (k < 2 ? known.dW1[j][k] : known.db1[j]) : null;
        paint(layer1.cells[j][k], v === null ? "?" : f3(v), hot1);
      }
    }
  }

  // ---- the words ---------------------------------------------------------------------
  function sentence() {
    const head = `Step ${step} of ${LAST}`;
    if (step === 0) {
      return `Forward pass done: a² = ${f3(f.a2)}, cost C = (a² − y)² = ${f3(f.C)}. ` +
        "Press Next to start the backward pass at the output.";
    }
    if (step === 1) {
      return `${head}, BP1 (the output error): δ² = ∂C/∂a² · σ′(z²) = 2(a² − y) · 1 = ` +
        `2(${f3(f.a2)} − ${f1(f.y)}) = ${f3(g.delta2[0])}; the output is linear, so σ′(z²) = 1.`;
    }
    if (step === 2) {
      return `${head}, BP3 and BP4: ∂C/∂w²₁ⱼ = δ² a¹ⱼ = ${g.dW2[0].map(f3).join(", ")}; ` +
        `∂C/∂b² = δ² = ${f3(g.db2[0])}.`;
    }
    if (step <= 5) {
      const j = step - 3;
      return `${head}, BP2 for hidden unit ${j + 1}: δ¹${SUB[j]} = w²₁${SUB[j]} δ² · σ′(z¹${SUB[j]}) = ` +
        `(${f1(W2[0][j])})(${f3(g.delta2[0])})(${f3(f.slope1[j])}) = ${f3(g.delta1[j])}.`;
    }
    const biggest = g.dW1.flat().reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
    const silent = f.x.map((x, k) => (x === 0 ? `x${SUB[k]}` : null)).filter(Boolean);
    const zero = silent.length
      ? ` ${silent.join(" and ")} = 0, so ${silent.length > 1 ? "their columns are" : "its column is"} 0: ` +
        "a weight from a silent input does not learn from this example."
      : "";
    return `${head}, BP3 and BP4: ∂C/∂w¹ⱼₖ = δ¹ⱼ xₖ and ∂C/∂b¹ⱼ = δ¹ⱼ; every gradient is known. ` +
      `The largest first-layer weight gradient in size is ${f3(biggest)}.${zero}`;
  }

  function update() {
    f = forward([x1.value, x2.value], yT.value);
    g = backward(f);
    role = roles(step);
    const known = knownAt(step, f, g);
    said.textContent = sentence();
    bpUI.enable(back, step > 0); bpUI.enable(reset, step > 0); bpUI.enable(next, step < LAST);
    fillTables(known);
    figure.redraw();
    bpUI.setResult(root, known);
  }
  for (const control of [x1, x2, yT]) control.onchange = update;
  update();
}
