// A forward pass through the chapter's 2-3-1 network (chapter "Forward propagation").
// Each unit j of layer l computes z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j and
// a^l_j = sigma(z^l_j) (eq-neuron; all units at once, z^l = W^l a^{l-1} + b^l, eq-layer),
// with the sigmoid in the hidden layer and the identity at the output. The reader moves
// the inputs and one weight; bp computes the same in forward_pass.py.

function explore(live, data, root) {
  const SUB = "₀₁₂₃₄₅₆₇₈₉", SUP = ["⁰", "¹", "²", "³"];
  const sub = (n) => String(n).split("").map((d) => SUB[Number(d)]).join("");
  const signed = (v, digits) => v.toFixed(digits).replace(/-/g, "−");
  const copy = (M) => JSON.parse(JSON.stringify(M));
  const sigmoid = bpMath.activations.sigmoid.f;
  const identity = bpMath.activations.identity.f;

  // The parameters the reader may change, as the arrays bp holds them.
  let params = null;
  function resetParams() {
    params = {W1: copy(data.W1), b1: copy(data.b1), W2: copy(data.W2), b2: copy(data.b2)};
  }
  resetParams();

  // "W1.0.1" -> {array: "W1", j: 0, k: 1}; "b2.0" -> {array: "b2", j: 0, k: null}
  function parse(name) {
    const [array, j, k] = name.split(".");
    return {array, layer: Number(array[1]), j: Number(j), k: k === undefined ? null : Number(k)};
  }
  function getParam(name) {
    const p = parse(name);
    return p.k === null ? params[p.array][p.j] : params[p.array][p.j][p.k];
  }
  function setParam(name, v) {
    const p = parse(name);
    if (p.k === null) params[p.array][p.j] = v; else params[p.array][p.j][p.k] = v;
  }
  const unitName = (layer, j) => (layer === 0 ? `x${sub(j + 1)}` : layer === 1 ? `hidden ${j + 1}` : "output");
  function paramText(name) {          // how the book writes it: w^l_jk goes to j from k
    const p = parse(name);
    if (p.k === null) return `b${SUP[p.layer]}${sub(p.j + 1)}: bias of ${unitName(p.layer, p.j)}`;
    return `w${SUP[p.layer]}${sub(p.j + 1)}${sub(p.k + 1)}: ${unitName(p.layer - 1, p.k)} → ${unitName(p.layer, p.j)}`;
  }
  const shortText = (name) => paramText(name).split(":")[0];

  // The forward pass, layer by layer: (eq-layer) z = W a + b, then a = sigma(z).
  function forward(x) {
    const z1 = bpMath.denseForward([x], params.W1, params.b1)[0];       // (eq-layer), l = 1
    const a1 = z1.map(sigmoid);                                            // sigmoid hidden layer
    const z2 = bpMath.denseForward([a1], params.W2, params.b2)[0];      // (eq-layer), l = 2
    const a2 = z2.map(identity);                                           // identity output
    return {z1, a1, z2, a2};
  }

  // Controls
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const x1 = bpUI.slider(controls, {name: "x1", label: "input x₁", ...data.input,
                                    value: data.x[0], format: (v) => signed(v, 1)});
  const x2 = bpUI.slider(controls, {name: "x2", label: "input x₂", ...data.input,
                                    value: data.x[1], format: (v) => signed(v, 1)});
  const weight = bpUI.select(controls, {name: "weight", label: "weight or bias",
                                        options: data.names.map(([name]) => [name, paramText(name)]),
                                        value: data.start_weight});
  const value = bpUI.slider(controls, {name: "value", label: "its value", ...data.value,
                                       value: getParam(data.start_weight), format: (v) => signed(v, 1),
                                       valuetext: (v) => `${shortText(weight.value)} = ${signed(v, 1)}`});
  bpUI.button(controls, {name: "reset", label: "Reset", title: "Reset the inputs and weights to the chapter's",
                         onclick: reset});

  let now = null, before = null, xs = null, changed = new Set();
  const ink = () => bpUI.ink(root);
  // the book's sign colours (notation page): red positive, blue negative
  const POS = bpUI.TAB10[3], NEG = bpUI.TAB10[0], PICKED = bpUI.TAB10[1];

  // Where the units sit: three columns, units spread down each.
  function layout(w, h) {
    const cols = [0.13 * w, 0.5 * w, 0.85 * w];
    const top = 50, bottom = h - 46;
    const rows = (n) => (n === 1 ? [(top + bottom) / 2]
      : Array.from({length: n}, (_, i) => top + i * (bottom - top) / (n - 1)));
    return [[2, cols[0]], [3, cols[1]], [1, cols[2]]].map(([n, x]) => rows(n).map((y) => ({x, y})));
  }

  // Which units the last change moved ("<layer>.<j>"): the page does not say in advance
  // which units a parameter reaches (the reader predicts it), it shows what moved.
  function moved() {
    const units = new Set();
    if (!before) return units;
    [0, 1].forEach((j) => { if (xs[j] !== before.x[j]) units.add(`0.${j}`); });
    now.z1.forEach((z, j) => { if (Math.abs(z - before.z1[j]) > 1e-12) units.add(`1.${j}`); });
    if (Math.abs(now.z2[0] - before.z2[0]) > 1e-12) units.add("2.0");
    return units;
  }
  const KEY = "Fill: each unit's x or a (red positive, blue negative, faint near 0). Lines: the weights, " +
              "thicker for larger. Orange ring: moved by your last change.";
  const {wrap, clearedText} = bpUI;   // shared with the other network drawings

  const figure = bpUI.canvas(live, {
    aspect: 0.95, maxHeight: 460,
    draw(ctx, w, h) {
      ctx.font = "12px system-ui, sans-serif";
      const keyLines = wrap(ctx, KEY, w - 8);
      const color = ink(), pos = layout(w, h - 15 * keyLines.length - 8);
      const values = [xs, now.a1, now.a2];
      ctx.textAlign = "center"; ctx.textBaseline = "alphabetic"; ctx.fillStyle = color;
      ["input", "hidden (sigmoid)", "output"].forEach((t, l) => ctx.fillText(t, pos[l][0].x, 14));
      // the weights: red positive, blue negative, thickness |w|; the picked one in orange
      for (const l of [1, 2]) {
        const W = params[`W${l}`];
        W.forEach((row, j) => row.forEach((wjk, k) => {
          const name = `W${l}.${j}.${k}`, on = name === weight.value;
          ctx.strokeStyle = on ? PICKED : (wjk >= 0 ? POS : NEG);
          ctx.globalAlpha = on ? 1 : 0.75;
          ctx.lineWidth = (on ? 1.5 : 0.8) + 2.4 * Math.min(Math.abs(wjk), 3) / 3;
          ctx.beginPath(); ctx.moveTo(pos[l - 1][k].x, pos[l - 1][k].y);
          ctx.lineTo(pos[l][j].x, pos[l][j].y); ctx.stroke();
        }));
      }
      ctx.globalAlpha = 1;
      // the units: coloured by their activation, labelled with z and a
      values.forEach((vs, l) => vs.forEach((v, j) => {
        const {x, y} = pos[l][j];
        ctx.beginPath(); ctx.arc(x, y, 15, 0, 2 * Math.PI);
        ctx.save(); ctx.globalCompositeOperation = "destination-out"; ctx.fill(); ctx.restore();
        ctx.globalAlpha = 0.15 + 0.75 * Math.min(Math.abs(v), 1);
        ctx.fillStyle = v >= 0 ? POS : NEG; ctx.fill();
        ctx.globalAlpha = 1;
        const on = changed.has(`${l}.${j}`);
        ctx.strokeStyle = on ? PICKED : color; ctx.lineWidth = on ? 3.5 : 1; ctx.stroke();
        ctx.fillStyle = color;
        const lines = l === 0 ? [`x${sub(j + 1)} = ${signed(v, 1)}`]
          : l === 1 ? [`z = ${bpUI.fmt(now.z1[j], 3)}`, `a = ${bpUI.fmt(v, 3)}`]
            : [`a = z = ${bpUI.fmt(v, 3)}`];
        lines.forEach((t, i) => clearedText(ctx, t, x, y + 30 + 14 * i));
      }));
      // the picked parameter's value, at its weight line or beside its unit
      const p = parse(weight.value);
      const label = `${shortText(weight.value)} = ${signed(getParam(weight.value), 1)}`;
      let lx, ly;
      const tw = ctx.measureText(label).width + 8;
      if (p.k === null) { lx = pos[p.layer][p.j].x - 15 - 4 - tw / 2; ly = pos[p.layer][p.j].y; }
      else {
        const a = pos[p.layer - 1][p.k], b = pos[p.layer][p.j];
        lx = a.x + 0.5 * (b.x - a.x); ly = a.y + 0.5 * (b.y - a.y);
      }
      lx = Math.min(Math.max(lx, tw / 2 + 1), w - tw / 2 - 1);
      ctx.fillStyle = PICKED; ctx.fillRect(lx - tw / 2, ly - 9, tw, 18);
      ctx.fillStyle = "#111"; ctx.textBaseline = "middle"; ctx.fillText(label, lx, ly);   // dark on orange: readable
      ctx.fillStyle = color; ctx.textAlign = "left"; ctx.textBaseline = "bottom";
      keyLines.forEach((line, n) => ctx.fillText(line, 4, h - 2 - 15 * (keyLines.length - 1 - n)));
    },
    label: () => `The 2-3-1 network at x = (${signed(x1.value, 1)}, ${signed(x2.value, 1)}). ` +
      `Hidden activations a = ${now.a1.map((v) => bpUI.fmt(v, 3)).join(", ")}; output ${bpUI.fmt(now.a2[0], 3)}. ` +
      `In orange: ${shortText(weight.value)}` +
      (changed.size ? ", and a ring on each unit the last change moved." : "; the last change moved no unit."),
  });
  const said = bpUI.status(live);

  // The words: what changed since the last setting, unit by unit.
  function changes() {
    if (!before) return "";
    const parts = [];
    now.z1.forEach((z, j) => {
      if (Math.abs(z - before.z1[j]) > 1e-12) {
        parts.push(`hidden ${j + 1}: z ${bpUI.fmt(before.z1[j], 3)} → ${bpUI.fmt(z, 3)}, ` +
                   `a ${bpUI.fmt(before.a1[j], 3)} → ${bpUI.fmt(now.a1[j], 3)}`);
      }
    });
    if (Math.abs(now.z2[0] - before.z2[0]) > 1e-12) {
      parts.push(`output ${bpUI.fmt(before.a2[0], 3)} → ${bpUI.fmt(now.a2[0], 3)}`);
    }
    return parts.length ? ` Changed: ${parts.join("; ")}.` : " Nothing downstream changed.";
  }

  function update() {
    xs = [x1.value, x2.value];
    now = forward(xs);
    changed = moved();
    said.textContent = `x = (${signed(x1.value, 1)}, ${signed(x2.value, 1)}), ` +
      `${shortText(weight.value)} = ${signed(getParam(weight.value), 1)}: ` +
      `z¹ = (${now.z1.map((v) => bpUI.fmt(v, 3)).join(", ")}), ` +
      `a¹ = (${now.a1.map((v) => bpUI.fmt(v, 3)).join(", ")}), output a² = ${bpUI.fmt(now.a2[0], 3)}.` +
      changes();
    figure.redraw();
    bpUI.setResult(root, now);
    before = {...now, x: xs};
  }
  function reset() {
    resetParams();
    x1.value = data.x[0]; x2.value = data.x[1];
    value.value = getParam(weight.value);
    update();
  }
  x1.onchange = update;
  x2.onchange = update;
  weight.onchange = () => { value.value = getParam(weight.value); update(); };
  value.onchange = (v) => { setParam(weight.value, v); update(); };
  update();
}
