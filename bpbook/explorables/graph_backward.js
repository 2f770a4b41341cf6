// The backward pass through a small computational graph, one node at a time (chapter
// "Backpropagation on a computational graph"). The expression is
//     q = x y,  s = q + z,  m = max(s, 0),  f = m y,
// so y fans out: it is used by both multiplies, and its gradient is the sum of two shares.
// Step 1 seeds df/df = 1; steps 2-5 visit f, m, s, q (a reverse topological order) and
// apply each gate's local derivatives, as bp.autodiff.Value's _backward functions do:
//   multiply swaps:      a*b passes back  b g  to a  and  a g  to b
//   add distributes:     a+b passes back  g    to a  and  g    to b
//   max routes:          max(s, 0) passes back g to s where s > 0, else 0 (0 at the tie)
//   fan-out adds:        grad += share (never =)
// bp computes the same steps with Value in graph_backward.py.

function explore(live, data, root) {
  const ORDER = data.order;                      // x, y, z, q, s, m, f: a topological order
  const LAST = data.last;
  // values as text: a darker green than tab:green, which is 3.4:1 on white (common.js TEXT)
  const GREEN = bpUI.TEXT.green, RED = bpUI.TAB10[3], ORANGE = bpUI.TAB10[1];
  // 3 significant digits without trailing zeros: -2, 4.5, 0.333 (the inputs are on a 0.1 grid)
  const f3 = (v) => {
    const s = bpUI.fmt(v, 3);
    return /e|∞|NaN/.test(s) ? s : String(Number(s.replace("−", "-"))).replace("-", "−");
  };
  const paren = (v) => (v < 0 ? `(${f3(v)})` : f3(v));

  // ---- the graph: each gate with its inputs and its local derivative rule --------------
  function forward(x, y, z) {
    const v = {x, y, z};
    v.q = v.x * v.y;                             // multiply
    v.s = v.q + v.z;                             // add
    v.m = v.s > 0 ? v.s : 0;                     // max(s, 0) (Value.relu)
    v.f = v.m * v.y;                             // multiply; y's second use (the fan-out)
    return v;
  }
  // Each visit reads the gate's gradient g and adds a share to each input's gradient.
  const GATES = {
    f: {inputs: ["m", "y"], rule: "multiply swaps",
        shares: (v, g) => [v.y * g, v.m * g]},                 // d(my)/dm = y, d(my)/dy = m
    m: {inputs: ["s"], rule: "max routes",
        shares: (v, g) => [(v.s > 0 ? 1 : 0) * g]},            // 1 where s > 0, else 0
    s: {inputs: ["q", "z"], rule: "add distributes",
        shares: (v, g) => [g, g]},                             // d(q+z)/dq = d(q+z)/dz = 1
    q: {inputs: ["x", "y"], rule: "multiply swaps",
        shares: (v, g) => [v.y * g, v.x * g]},                 // d(xy)/dx = y, d(xy)/dy = x
  };
  const VISITS = ["f", "m", "s", "q"];

  // The backward pass up to `step`: gradients (null where not reached) and y's shares.
  function backward(v, step) {
    const grad = {};
    const shares = {y: []};
    if (step >= 1) grad.f = 1;                   // df/df = 1
    for (const name of VISITS.slice(0, Math.max(0, step - 1))) {
      const gate = GATES[name];
      gate.shares(v, grad[name]).forEach((share, i) => {
        const input = gate.inputs[i];
        grad[input] = (grad[input] ?? 0) + share;               // fan-out: += adds the shares
        if (shares[input]) shares[input].push(share);
      });
    }
    return {grad, shares};
  }

  // ---- the controls ------------------------------------------------------------------
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const sliders = ["x", "y", "z"].map((n) => bpUI.slider(controls, {
    name: n, label: `input ${n}`, ...data.range[n], value: data.start[n], format: (v) => v.toFixed(1)}));
  const buttons = bpUI.el("div", {class: "bp-x-controls"}, live);
  let step = 0;
  const go = (s) => { step = Math.max(0, Math.min(LAST, s)); update(); };
  const backButton = bpUI.button(buttons, {name: "back", label: "◀ Back", title: "Back one step",
                                     onclick: () => go(step - 1)});
  const nextButton = bpUI.button(buttons, {name: "next", label: "Next ▶", title: "Next node of the backward pass",
                                     onclick: () => go(step + 1)});
  const resetButton = bpUI.button(buttons, {name: "reset", label: "Reset", title: "Back to the forward pass only",
                                      onclick: () => go(0)});
  // The words of the step right under the buttons that take it, so that both are in view
  const said = bpUI.status(live);
  // The graph and, beside it where the screen is wide enough, the table of every node
  const panels = bpUI.el("div", {style: "display:flex;flex-wrap:wrap;gap:0.3rem 1rem;align-items:flex-start"}, live);
  const graphBox = bpUI.el("div", {style: "flex:1 1 300px;min-width:0"}, panels);

  let v = null, back = null;
  const visiting = () => (step >= 2 ? VISITS[step - 2] : null);

  // ---- the drawing: values above the nodes (green), gradients below (red) --------------
  const LAYOUT = {y: [0.07, 0.2], x: [0.07, 0.55], z: [0.07, 0.85], q: [0.33, 0.45],
                  s: [0.52, 0.7], m: [0.7, 0.45], f: [0.9, 0.68]};
  const SYMBOL = {x: "x", y: "y", z: "z", q: "×", s: "+", m: "max", f: "×"};
  const EDGES = [["x", "q"], ["y", "q"], ["q", "s"], ["z", "s"], ["s", "m"], ["m", "f"], ["y", "f"]];
  const R = 15;

  const radius = (n) => (n === "m" ? R + 4 : R);
  // An edge's points, from just outside node a to just outside node b (the fan-out's
  // second edge y -> f runs along the top and then down).
  function edgePoints(a, b, P) {
    const pts = [P[a]];
    if (a === "y" && b === "f") pts.push([P.f[0], P.y[1]]);
    pts.push(P[b]);
    const trim = (p, q, r) => {
      const d = Math.hypot(q[0] - p[0], q[1] - p[1]) || 1;
      return [p[0] + (q[0] - p[0]) * r / d, p[1] + (q[1] - p[1]) * r / d];
    };
    pts[0] = trim(pts[0], pts[1], radius(a));
    pts[pts.length - 1] = trim(pts[pts.length - 1], pts[pts.length - 2], radius(b) + 1);
    return pts;
  }
  function edge(ctx, pts, backwardArrow) {
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (const p of pts.slice(1)) ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    if (backwardArrow) {                          // the gradient flows back: the arrow points at the input
      const [tip, from] = [pts[0], pts[1]];
      const angle = Math.atan2(tip[1] - from[1], tip[0] - from[0]), size = 9;
      ctx.beginPath();
      ctx.moveTo(tip[0], tip[1]);
      ctx.lineTo(tip[0] - size * Math.cos(angle - 0.4), tip[1] - size * Math.sin(angle - 0.4));
      ctx.lineTo(tip[0] - size * Math.cos(angle + 0.4), tip[1] - size * Math.sin(angle + 0.4));
      ctx.closePath();
      ctx.fill();
    }
  }
  // Text on a cleared patch, so that no edge runs through it (the page shows through, in
  // either theme)
  function label(ctx, text, x, y) {
    const m = ctx.measureText(text), width = m.width, height = 14;
    const left = ctx.textAlign === "left" ? x : ctx.textAlign === "right" ? x - width : x - width / 2;
    const top = ctx.textBaseline === "top" ? y : y - height;
    ctx.save();
    ctx.globalCompositeOperation = "destination-out";
    ctx.fillStyle = "#000";
    ctx.fillRect(left - 2, top - 1, width + 4, height + 2);
    ctx.restore();
    ctx.fillText(text, x, y);
  }
  function draw(ctx, w, h) {
    const ink = bpUI.ink(root);
    const P = {};
    for (const [n, [fx, fy]] of Object.entries(LAYOUT)) P[n] = [fx * w, fy * h];
    const gate = visiting();
    ctx.save();
    for (const [a, b] of EDGES) {                 // edges; those the visited gate sends back along, orange
      const hot = gate === b;
      ctx.strokeStyle = ctx.fillStyle = hot ? ORANGE : ink;
      ctx.lineWidth = hot ? 3 : 1;
      ctx.globalAlpha = hot ? 1 : 0.5;
      edge(ctx, edgePoints(a, b, P), hot);
    }
    ctx.restore();
    const fresh = gate ? GATES[gate].inputs : step === 1 ? ["f"] : [];
    for (const n of ORDER) {
      const [cx, cy] = P[n], leaf = !GATES[n];
      ctx.save();
      ctx.lineWidth = n === gate ? 3 : 1.2;
      ctx.strokeStyle = n === gate ? ORANGE : fresh.includes(n) ? RED : ink;
      ctx.beginPath();
      if (leaf) ctx.rect(cx - R, cy - R, 2 * R, 2 * R);
      else ctx.arc(cx, cy, radius(n), 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillStyle = ink; ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.font = `${n === "m" ? 12 : 14}px system-ui, sans-serif`;
      ctx.fillText(SYMBOL[n], cx, cy);
      // leaves at the left edge, f at the right edge: their labels align to the edge
      const align = cx < 40 ? "left" : cx > w - 40 ? "right" : "center";
      const tx = align === "left" ? 2 : align === "right" ? w - 2 : cx;
      const rr = radius(n);
      ctx.textAlign = align;
      ctx.font = "12px system-ui, sans-serif";
      // the value above the node, the gradient below it; f's edge from y comes in from
      // above, so both of f's go below
      const below = n === "f";
      ctx.fillStyle = GREEN; ctx.textBaseline = below ? "top" : "bottom";
      label(ctx, `${n} = ${f3(v[n])}`, tx, below ? cy + rr + 2 : cy - rr - 2);
      const g = back.grad[n];
      ctx.fillStyle = fresh.includes(n) ? RED : g === undefined ? ink : RED;
      ctx.font = `${fresh.includes(n) ? "bold " : ""}12px system-ui, sans-serif`;
      ctx.textBaseline = "top";
      label(ctx, g === undefined ? "g = ?" : `g = ${f3(g)}`, tx, cy + rr + (below ? 17 : 2));
      ctx.restore();
    }
    if (gate) {                                   // the visited gate's edges again, over the labels
      ctx.save();
      ctx.strokeStyle = ctx.fillStyle = ORANGE; ctx.lineWidth = 3;
      for (const [a, b] of EDGES) if (b === gate) edge(ctx, edgePoints(a, b, P), true);
      ctx.restore();
    }
  }
  const figure = bpUI.canvas(graphBox, {
    aspect: 0.62, maxHeight: 340, draw,
    label: () => `The graph of f = max(x y + z, 0) y with x = ${f3(v.x)}, y = ${f3(v.y)}, z = ${f3(v.z)}. ` +
      `Values: ${ORDER.map((n) => `${n} = ${f3(v[n])}`).join(", ")}. Gradients so far: ` +
      `${ORDER.filter((n) => back.grad[n] !== undefined).map((n) => `df/d${n} = ${f3(back.grad[n])}`).join(", ") || "none"}.`,
  });
  bpUI.el("p", {style: "margin:0.2rem 0 0;font-size:0.85rem",
                text: "Green: each node's value (forward pass). Red g: its gradient df/d(node) so far " +
                      "(?: not reached yet). Orange: the gate visited and the edges it sends gradients " +
                      "back along."}, graphBox);

  // ---- the words ----------------------------------------------------------------------
  function sentence() {
    const g = back.grad, head = `Step ${step} of ${LAST}`;
    if (step === 0) {
      return `Forward pass: q = x·y = ${f3(v.q)}, s = q + z = ${f3(v.s)}, m = max(s, 0) = ${f3(v.m)}, ` +
        `f = m·y = ${f3(v.f)}. Press Next to start the backward pass at f.`;
    }
    if (step === 1) return `${head}: the output's gradient is df/df = 1.`;
    const gate = visiting(), gf = g[gate];
    if (gate === "f") {
      return `${head}, at f = m·y, multiply swaps: m receives y·g = ${paren(v.y)}·${paren(gf)} = ${f3(g.m)}, ` +
        `and y receives m·g = ${paren(v.m)}·${paren(gf)} = ${f3(back.shares.y[0])}, its first share.`;
    }
    if (gate === "m") {
      return `${head}, at m = max(s, 0), max routes: ` + (v.s > 0
        ? `s = ${f3(v.s)} > 0 wins, so s receives the whole gradient, ${f3(g.s)}.`
        : `s = ${f3(v.s)} ≤ 0 loses to 0, so s receives 0 and everything before it gets 0.`);
    }
    if (gate === "s") return `${head}, at s = q + z, add distributes: q and z both receive g = ${f3(gf)}.`;
    const [first, second] = back.shares.y;
    return `${head}, at q = x·y, multiply swaps: x receives y·g = ${paren(v.y)}·${paren(gf)} = ${f3(g.x)}, ` +
      `and y receives x·g = ${paren(v.x)}·${paren(gf)} = ${f3(second)}. y is used twice, so its ` +
      `shares add: df/dy = ${f3(first)} + ${paren(second)} = ${f3(g.y)}.`;
  }

  // ---- the table: every node in topological order ---------------------------------------
  const table = bpUI.el("table", {style: "border-collapse:collapse;font-size:0.85rem;margin-top:0.2rem;font-variant-numeric:tabular-nums;flex:0 1 auto"}, panels);
  bpUI.el("caption", {text: "Every node, in topological order",
                      style: "text-align:left;font-size:0.85rem"}, table);
  const head = bpUI.el("tr", {}, table);
  for (const t of ["node", "value", "gradient"]) bpUI.el("th", {scope: "col", text: t, style: "padding:0.1rem 0.4rem;text-align:left"}, head);
  const DEF = {x: "input", y: "input (used twice)", z: "input", q: "x·y", s: "q + z", m: "max(s, 0)", f: "m·y"};
  const rows = ORDER.map((n) => {
    const tr = bpUI.el("tr", {}, table);
    bpUI.el("th", {scope: "row", text: `${n} = ${DEF[n]}`, style: "padding:0.1rem 0.4rem;text-align:left;font-weight:normal"}, tr);
    return [bpUI.el("td", {style: "padding:0.1rem 0.4rem;text-align:right"}, tr),
            bpUI.el("td", {style: "padding:0.1rem 0.4rem;text-align:right"}, tr)];
  });
  function fillTable() {
    const gate = visiting(), fresh = gate ? GATES[gate].inputs : step === 1 ? ["f"] : [];
    ORDER.forEach((n, i) => {
      const [value, grad] = rows[i], g = back.grad[n];
      value.textContent = f3(v[n]);
      grad.textContent = g === undefined ? "?"
        : n === "y" && back.shares.y.length === 2
          ? `${f3(back.shares.y[0])} + ${paren(back.shares.y[1])} = ${f3(g)}` : f3(g);
      grad.style.color = g === undefined ? "" : RED;
      grad.style.fontWeight = fresh.includes(n) ? "bold" : "";
    });
  }

  function update() {
    v = forward(sliders[0].value, sliders[1].value, sliders[2].value);
    back = backward(v, step);
    said.textContent = sentence();
    bpUI.enable(backButton, step > 0); bpUI.enable(resetButton, step > 0);
    bpUI.enable(nextButton, step < LAST);
    fillTable();
    figure.redraw();
    bpUI.setResult(root, {step, nodes: ORDER, value: ORDER.map((n) => v[n]),
                          grad: ORDER.map((n) => (back.grad[n] === undefined ? null : back.grad[n]))});
  }
  for (const s of sliders) s.onchange = update;
  update();
}
