// The four steps of training, one at a time (chapter "The backpropagation algorithm"):
// 1. initialization, then, repeated, 2. forward propagation (eq-loop-forward),
// 3. backpropagation (eq-loop-backward) and 4. the update W <- W - eta dC/dW.
// A 2-3-2 tanh network, softmax and cross-entropy at the end, on 8 points of the moons.
// The state is a function of the number of steps taken, k (0 = initialized; then
// forward, backward, update, forward, ...) and of the learning rate; bp takes the same
// steps in four_steps.py.

function explore(live, data, root) {
  const X = data.X, y = data.y, N = X.length, K = data.sizes[2];
  const STEPS = ["initialization", "forward", "backward", "update"];
  const MAX_K = 3 * data.max_iterations;
  const SUB = "₀₁₂₃₄₅₆₇₈₉", SUP = ["⁰", "¹", "²"];
  const sub = (n) => String(n).split("").map((d) => SUB[Number(d)]).join("");
  const copy = (M) => JSON.parse(JSON.stringify(M));
  const tanh = bpMath.activations.tanh;
  const f3 = (v) => bpUI.fmt(v, 3);
  const list = (vs) => `(${vs.map(f3).join(", ")})`;

  const stepName = (k) => (k === 0 ? STEPS[0] : STEPS[(k - 1) % 3 + 1]);

  // Step 2, forward propagation (eq-loop-forward), and the mean cross-entropy
  // C = -(1/N) sum_i log P[i, y_i], computed as bp's CrossEntropyLoss does.
  function forwardPass(p) {
    const Z1 = bpMath.denseForward(X, p.W1, p.b1);          // Z1 = X W1^T + 1 b1^T
    const A1 = bpMath.map2(Z1, tanh.f);                      // A1 = tanh(Z1)
    const Z2 = bpMath.denseForward(A1, p.W2, p.b2);         // Z2 = A1 W2^T + 1 b2^T
    let total = 0;
    const P = Z2.map((z, i) => {
      const top = Math.max(...z);
      const shifted = z.map((v) => v - top);                 // the row maximum taken out
      const logNorm = Math.log(shifted.reduce((s, v) => s + Math.exp(v), 0));
      total += logNorm - shifted[y[i]];                      // -log P[i, y_i]
      return shifted.map((v) => Math.exp(v - logNorm));      // P = softmax(Z2)
    });
    return {Z1, A1, Z2, P, loss: total / N};
  }

  // Step 3, backpropagation (eq-loop-backward).
  function backwardPass(p, fwd) {
    const dZ2 = fwd.P.map((row, i) => row.map((v, c) => (v - (c === y[i] ? 1 : 0)) / N)); // Delta^2
    const out = bpMath.denseBackward(dZ2, fwd.A1, p.W2);    // dC/dW2 = Delta2^T A1, dC/db2
    const dZ1 = out.dA.map((row, i) => row.map((v, j) => v * tanh.df(fwd.Z1[i][j], fwd.A1[i][j]))); // Delta^1
    const hidden = bpMath.denseBackward(dZ1, X, p.W1);      // dC/dW1 = Delta1^T X, dC/db1
    return {dZ2, dZ1, dW1: hidden.dW, db1: hidden.db, dW2: out.dW, db2: out.db};
  }

  // Step 4, the update: theta <- theta - eta dC/dtheta, for every weight and bias.
  function update(p, g, lr) {
    for (let j = 0; j < p.W1.length; j++) {
      for (let c = 0; c < p.W1[j].length; c++) p.W1[j][c] -= lr * g.dW1[j][c];
      p.b1[j] -= lr * g.db1[j];
    }
    for (let j = 0; j < p.W2.length; j++) {
      for (let c = 0; c < p.W2[j].length; c++) p.W2[j][c] -= lr * g.dW2[j][c];
      p.b2[j] -= lr * g.db2[j];
    }
  }

  // The state after k steps at learning rate lr: step 1 (initialization: the weights bp
  // drew), then the steps 2, 3, 4 in turn.
  // So that a step at iteration 2000 does not replay 2000 iterations, the run starts from
  // the latest saved state before step k with the same rate (the same numbers: the
  // steps after it are the ones a replay from 0 would take). A state is saved every
  // SAVE_EVERY steps; changing the rate forgets them.
  const SAVE_EVERY = 150;
  let saved = {lr: null, states: []};
  function run(k, lr) {
    if (saved.lr !== lr) saved = {lr, states: []};
    let from = {k: 0, p: {W1: data.W1, b1: data.b1, W2: data.W2, b2: data.b2}, losses: [], fwd: null, grads: null};
    for (const s of saved.states) if (s.k < k && s.k > from.k) from = s;   // < k: step k is retaken
    const p = copy(from.p), losses = from.losses.slice();
    let fwd = from.fwd, grads = from.grads, before = null;
    for (let step = from.k + 1; step <= k; step++) {
      const name = stepName(step);
      if (name === "forward") { fwd = forwardPass(p); losses.push(fwd.loss); }
      else if (name === "backward") grads = backwardPass(p, fwd);
      else { if (step === k) before = copy(p); update(p, grads, lr); }
      if (step % SAVE_EVERY === 0 && !saved.states.some((s) => s.k === step)) {
        saved.states.push({k: step, p: copy(p), losses: losses.slice(), fwd, grads});
      }
    }
    return {k, p, losses, fwd, grads, before};
  }

  // The controls: the rate and the point shown, then the buttons that step, and right
  // under them the words that say what the step did (in view together with the buttons)
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const lr = bpUI.slider(controls, {name: "lr", label: "learning rate η", ...data.lr,
                                    value: data.start_lr, format: (v) => v.toFixed(1),
                                    valuetext: (v) => `learning rate ${v.toFixed(1)}, for the whole run`});
  const example = bpUI.select(controls, {
    name: "example", label: "show point",
    options: X.map((x, i) => [String(i), bpUI.minus(`${i + 1}: (${x[0].toFixed(2)}, ${x[1].toFixed(2)}), class ${y[i]}`)]),
    value: "0"});
  const buttons = bpUI.el("div", {class: "bp-x-controls"}, live);
  const back = bpUI.button(buttons, {name: "back", label: "Back", title: "Back one step", onclick: () => go(state.k - 1)});
  const next = bpUI.button(buttons, {name: "next", label: "Next step", onclick: () => go(state.k + 1)});
  const plus = [
    bpUI.button(buttons, {name: "plus1", label: "+1 iteration",
                          title: "Finish this iteration (to the end of its update)",
                          onclick: () => go(3 * (Math.floor(state.k / 3) + 1))}),
    bpUI.button(buttons, {name: "plus10", label: "+10", title: "Ten iterations more",
                          onclick: () => go(3 * (Math.floor(state.k / 3) + 10))}),
    bpUI.button(buttons, {name: "plus100", label: "+100", title: "A hundred iterations more",
                          onclick: () => go(3 * (Math.floor(state.k / 3) + 100))})];
  const reset = bpUI.button(buttons, {name: "reset", label: "Reset", title: "Back to the initial weights",
                                      onclick: () => go(0)});
  const said = bpUI.status(live);
  // the network and the loss curve: side by side where the screen is wide enough
  const figures = bpUI.el("div", {style: "display:flex;flex-wrap:wrap;gap:0.3rem 1rem;align-items:flex-start"}, live);
  const netBox = bpUI.el("div", {style: "flex:3 1 320px;min-width:0"}, figures);
  const chartBox = bpUI.el("div", {style: "flex:2 1 240px;min-width:0"}, figures);

  let state = null;
  const ERROR_RED = "#d62728", POS = bpUI.TAB10[3], NEG = bpUI.TAB10[0], NOW = bpUI.TAB10[1];
  // Red text on a dark page is too dim at 12 px: a lighter red there.
  function textRed(color) {
    const rgb = (color.match(/\d+/g) || [0, 0, 0]).slice(0, 3).map(Number);
    return rgb[0] + rgb[1] + rgb[2] > 3 * 128 ? "#ff8a80" : ERROR_RED;
  }

  // What the network figure shows after each step: a key under it.
  function key(now, i) {
    if (now === "initialization") {
      return "Lines: the weights, red positive, blue negative, thicker for larger. b: each unit's bias.";
    }
    if (now === "forward") {
      return `Fill: point ${i + 1}'s x, a and p (red positive, blue negative, faint near 0); ` +
             "ring: its true class; lines: the weights.";
    }
    if (now === "backward") {
      return `Lines: the gradients ∂C/∂w for all ${N} points, thicker for larger. ` +
             `δ: point ${i + 1}'s error ∂C/∂z.`;
    }
    return "Lines: the new weights (red positive, blue negative); orange: the one that moved most. " +
           "b: the new biases.";
  }
  const {wrap, clearedText} = bpUI;   // shared with the other network drawings

  function positions(w, h) {
    const top = 66, bottom = h - 36;
    const column = (n, x) => Array.from({length: n}, (_, i) =>
      ({x, y: n === 1 ? (top + bottom) / 2 : top + i * (bottom - top) / (n - 1)}));
    return {units: [column(2, 0.1 * w), column(3, 0.4 * w), column(K, 0.7 * w)],
            loss: {x: 0.91 * w, y: (top + bottom) / 2}};
  }

  // The step bar: the four steps, the one just taken highlighted.
  function drawSteps(ctx, w, color, now) {
    const labels = ["1 init", "2 forward", "3 backward", "4 update"];
    const width = (w - 10) / 4;
    labels.forEach((t, s) => {
      const x = 5 + s * width, on = STEPS[s] === now;
      ctx.fillStyle = on ? NOW : "transparent";
      ctx.strokeStyle = on ? NOW : color; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.rect(x + 2, 4, width - 4, 24); ctx.fill(); ctx.stroke();
      ctx.fillStyle = on ? "#111" : color;      // dark on orange: readable
      ctx.fillText(t, x + width / 2, 17);
    });
  }

  const net = bpUI.canvas(netBox, {
    aspect: 0.8, maxHeight: 400,
    draw(ctx, w, h) {
      const color = bpUI.ink(root), now = stepName(state.k), i = Number(example.value);
      ctx.font = "12px system-ui, sans-serif";
      const red = textRed(color), keyLines = wrap(ctx, key(now, i), w - 8);
      const pos = positions(w, h - 15 * keyLines.length), U = pos.units;
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      drawSteps(ctx, w, color, now);
      ctx.fillStyle = color;
      ctx.fillText(now === "initialization" ? `iteration 0; η = ${lr.value.toFixed(1)} from the first update on`
        : `iteration ${Math.floor((state.k - 1) / 3) + 1}, η = ${lr.value.toFixed(1)}`, w / 2, 44);
      // the lines: weights (red +, blue −, thickness |w|; the book's sign colours, notation page), or after a backward pass the
      // gradients dC/dW (thickness |dC/dw| relative to the largest)
      const showGrads = now === "backward";
      const moved = now === "update" ? largestChange() : null;
      const gmax = showGrads ? Math.max(...[...state.grads.dW1, ...state.grads.dW2].flat().map(Math.abs)) : 1;
      for (const l of [1, 2]) {
        const W = state.p[`W${l}`];
        W.forEach((row, j) => row.forEach((wjk, c) => {
          const g = showGrads ? state.grads[`dW${l}`][j][c] : 0;
          const most = moved && moved.l === l && moved.j === j && moved.c === c;
          ctx.strokeStyle = showGrads ? ERROR_RED : most ? NOW : (wjk >= 0 ? POS : NEG);
          ctx.globalAlpha = showGrads || most ? 0.9 : 0.75;
          ctx.lineWidth = showGrads ? 0.5 + 5 * Math.abs(g) / gmax
            : Math.max(most ? 3 : 0, 0.6 + 4 * Math.min(Math.abs(wjk), 3) / 3);
          ctx.beginPath(); ctx.moveTo(U[l - 1][c].x, U[l - 1][c].y); ctx.lineTo(U[l][j].x, U[l][j].y);
          ctx.stroke();
        }));
      }
      ctx.globalAlpha = 1;
      // the loss node, joined to the outputs
      ctx.strokeStyle = color; ctx.lineWidth = 1;
      for (const u of U[2]) { ctx.beginPath(); ctx.moveTo(u.x, u.y); ctx.lineTo(pos.loss.x - 16, pos.loss.y); ctx.stroke(); }
      // the units: after a forward pass, point i's activations; after a backward pass, its
      // errors delta = dC/dz; after an update, the new biases
      const labelOf = (l, j) => {
        // the chosen point's inputs, from the start: the select shows its effect at once
        if (l === 0) return now === "update" ? `x${sub(j + 1)}` : `x${sub(j + 1)} ${f3(X[i][j])}`;
        if (now === "forward") return l === 1 ? `a ${f3(state.fwd.A1[i][j])}` : `p ${f3(state.fwd.P[i][j])}`;
        if (now === "backward") return `δ ${f3(l === 1 ? state.grads.dZ1[i][j] : state.grads.dZ2[i][j])}`;
        return `b ${f3(state.p[`b${l}`][j])}`;
      };
      U.forEach((col, l) => col.forEach((u, j) => {
        ctx.beginPath(); ctx.arc(u.x, u.y, 13, 0, 2 * Math.PI);
        ctx.save(); ctx.globalCompositeOperation = "destination-out"; ctx.fill(); ctx.restore();
        const v = now === "forward" ? (l === 0 ? X[i][j] : l === 1 ? state.fwd.A1[i][j] : state.fwd.P[i][j]) : null;
        if (v !== null) {
          ctx.globalAlpha = 0.15 + 0.75 * Math.min(Math.abs(v), 1);
          ctx.fillStyle = v >= 0 ? POS : NEG; ctx.fill(); ctx.globalAlpha = 1;
        }
        const truth = l === 2 && j === y[i] && now !== "initialization";
        ctx.strokeStyle = now === "backward" && l > 0 ? ERROR_RED : color;
        ctx.lineWidth = truth ? 3 : 1; ctx.stroke();
        ctx.fillStyle = now === "backward" && l > 0 ? red : color;
        clearedText(ctx, labelOf(l, j), u.x, u.y + 24);
        if (l === 2) { ctx.fillStyle = color; ctx.fillText(`${j}`, u.x, u.y); }
      }));
      ctx.fillStyle = color; ctx.strokeStyle = now === "backward" ? ERROR_RED : color;
      ctx.lineWidth = now === "backward" ? 2 : 1;
      ctx.beginPath(); ctx.rect(pos.loss.x - 16, pos.loss.y - 13, 32, 26); ctx.stroke();
      ctx.fillText("C", pos.loss.x, pos.loss.y);
      // after an update the loss shown is the old weights' loss: the next forward pass
      // measures the new ones
      const lastLoss = state.losses.length ? f3(state.losses[state.losses.length - 1]) : "?";
      const lossText = now === "update" ? `was ${lastLoss}` : lastLoss;
      const half = ctx.measureText(lossText).width / 2 + 3;
      clearedText(ctx, lossText, Math.min(pos.loss.x, w - half), pos.loss.y + 24);
      ctx.fillStyle = color; ctx.textAlign = "left"; ctx.textBaseline = "bottom";
      keyLines.forEach((line, n) => ctx.fillText(line, 4, h - 2 - 15 * (keyLines.length - 1 - n)));
    },
    label: () => `The 2-3-2 network after step ${stepName(state.k)}: ${words().join(" ")}`,
  });

  const chart = bpUI.canvas(chartBox, {
    aspect: 0.5, maxHeight: 230,
    draw(ctx, w, h) {
      const color = bpUI.ink(root), L = state.losses, n = L.length;
      const xmax = [10, 20, 50, 100, 200, 500, 1000, 2000].find((m) => m >= n), ymax = Math.max(0.8, ...L) * 1.05;
      const f = bpUI.frame(ctx, w, h, {x: [0, xmax], y: [0, ymax], left: 40, right: 20, bottom: 30, top: 30});
      const xticks = [0, Math.round(xmax / 2), xmax];
      const ystep = ymax <= 1.2 ? 0.25 : ymax <= 3 ? 0.5 : 1;
      const yticks = Array.from({length: Math.floor(ymax / ystep) + 1}, (_, t) => t * ystep);
      bpUI.axes(ctx, f, {color, xticks, yticks, yfmt: (t) => t.toFixed(2),
                         xfmt: (t) => String(t), xlabel: "iteration", ylabel: "loss C of each forward pass"});
      if (!n) {
        ctx.save(); ctx.fillStyle = color; ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center";
        ctx.fillText("no forward pass yet", (f.left + f.right) / 2, (f.top + f.bottom) / 2);
        ctx.restore();
      }
      const xs = L.map((_, t) => t + 1);
      if (n > 1) bpUI.polyline(ctx, f, xs, L, {color: ERROR_RED, width: 1.5});
      if (n <= 30) L.forEach((v, t) => bpUI.dot(ctx, f.X(t + 1), f.Y(v), 3, ERROR_RED));
      if (n) bpUI.dot(ctx, f.X(n), f.Y(L[n - 1]), 4.5, NOW, color);
    },
    label: () => (state.losses.length ? `The loss of each forward pass so far, ${state.losses.length} of them, ` +
      `from ${f3(state.losses[0])} to ${f3(state.losses[state.losses.length - 1])}.` : "No forward pass yet: no loss."),
  });

  // The largest entry of the named arrays, with its book name (w^l_jk, b^l_j).
  function largest(arrays) {
    let best = {v: 0, name: ""};
    for (const [prefix, l, M] of arrays) {
      (Array.isArray(M[0]) ? M : [M]).forEach((row, j) => row.forEach((v, c) => {
        if (Math.abs(v) > Math.abs(best.v)) {
          best = {v, l, j, c,
                  name: Array.isArray(M[0]) ? `${prefix}${SUP[l]}${sub(j + 1)}${sub(c + 1)}` : `${prefix}${SUP[l]}${sub(c + 1)}`};
        }
      }));
    }
    return best;
  }

  // The weight the last update moved most.
  function largestChange() {
    return largest([["w", 1, state.p.W1.map((r, j) => r.map((v, c) => v - state.before.W1[j][c]))],
                    ["w", 2, state.p.W2.map((r, j) => r.map((v, c) => v - state.before.W2[j][c]))]]);
  }

  function words() {
    const now = stepName(state.k), i = Number(example.value);
    const iteration = Math.floor((state.k - 1) / 3) + 1;
    if (now === "initialization") {
      // the rate and the point do nothing yet: say when they will
      return ["Step 1, initialization: random weights (Xavier scale) and zero biases.",
              `Next comes the forward pass, of all ${N} points; point ${i + 1}, x = ${list(X[i])} ` +
              `(class ${y[i]}), is the one shown. The learning rate η = ${lr.value.toFixed(1)} ` +
              "acts from the first update on."];
    }
    if (now === "forward") {
      return [`Iteration ${iteration}, step 2, forward: the loss of the ${N} points is C = ${f3(state.fwd.loss)}.`,
              `Point ${i + 1} (class ${y[i]}): hidden a = ${list(state.fwd.A1[i])}, probabilities p = ${list(state.fwd.P[i])}.`];
    }
    if (now === "backward") {
      const g = largest([["w", 1, state.grads.dW1], ["w", 2, state.grads.dW2]]);
      return [`Iteration ${iteration}, step 3, backpropagation: every weight has its gradient; the largest is`,
              `∂C/∂${g.name} = ${f3(g.v)}. Point ${i + 1}'s errors: δ² = ${list(state.grads.dZ2[i])}, δ¹ = ${list(state.grads.dZ1[i])}.`];
    }
    const change = largestChange();
    const n = state.losses.length;
    return [`Iteration ${iteration}, step 4, update with η = ${lr.value.toFixed(1)}: every weight moved by −η ∂C/∂w;`,
            `the largest change is ${f3(change.v)}, of ${change.name} (in orange).`,
            `Loss so far: ${f3(state.losses[0])} at iteration 1${n > 1 ? `, ${f3(state.losses[n - 1])} at iteration ${n}` : ""};`,
            "the next forward pass measures the new weights."];
  }

  function result() {
    const r = {k: state.k, iteration: Math.floor(state.k / 3), step: stepName(state.k), loss: state.losses,
               W1: state.p.W1, b1: state.p.b1, W2: state.p.W2, b2: state.p.b2, forward: null, backward: null};
    if (state.fwd) r.forward = {Z1: state.fwd.Z1, A1: state.fwd.A1, Z2: state.fwd.Z2, P: state.fwd.P};
    if (state.grads) r.backward = state.grads;
    return r;
  }

  function show() {
    said.textContent = words().join(" ");
    net.redraw();
    chart.redraw();
    bpUI.setResult(root, result());
  }
  function go(k) {
    state = run(Math.min(Math.max(k, 0), MAX_K), lr.value);
    // at the ends the buttons that would do nothing say so
    for (const b of [back, reset]) bpUI.enable(b, state.k > 0);
    for (const b of [next, ...plus]) bpUI.enable(b, state.k < MAX_K);
    show();
  }
  lr.onchange = () => go(state.k);        // the rate applies to the whole run: replayed
  example.onchange = show;
  go(0);
}
