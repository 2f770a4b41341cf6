// The gradient through time (chapter "Recurrent networks", "Vanishing and exploding
// gradients"). The chapter's network: 32 units, W_xh = I, b = 0, the recurrent weights
// W_hh = radius * W0 / rho(W0) (spectral radius `radius`), the chapter's inputs x_t times
// `scale`, and a loss at the last step only, C = (1/n) ||h_T - y||^2 (bp.MSELoss).
// Forward and backward are bp.RNN's loops (bp/recurrent.py), one example, rows as vectors.
// bp computes the same numbers in rnn_gradient_norm.py.

function explore(live, data, root) {
  const {W0, rho0, X, y} = data;
  const n = y.length;

  // W_hh = radius * W0 / rho(W0): the spectral radius of W_hh is `radius`
  function recurrentWeights(radius) {
    return W0.map((row) => row.map((w) => radius * w / rho0));
  }

  // The forward pass, h_0 = 0:
  // z_t = W_xh x_t + W_hh h_{t-1} + b with W_xh = I, b = 0   (eq-rnn-cell)
  // h_t = tanh(z_t), or h_t = z_t in the linear regime        (eq-rnn-cell)
  function forward(Whh, T, scale, linear) {
    const H = [];
    let h = new Array(n).fill(0);
    for (let t = 0; t < T; t++) {
      const z = new Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += Whh[i][j] * h[j];
        z[i] = scale * X[t][i] + s;
      }
      h = linear ? z : z.map(Math.tanh);
      H.push(h);
    }
    return H;
  }

  // The loss at the last step, C = (1/n) sum_i (h_T,i - y_i)^2 (bp.MSELoss), and its
  // gradient g_T = dC/dh_T|direct = 2 (h_T - y) / n; g_t = 0 for t < T (bp.LastTimeStep)
  function lossAtLastStep(hT) {
    const diff = hT.map((v, i) => v - y[i]);
    let loss = 0;
    for (const d of diff) loss += d * d;
    return {loss: loss / n, g: diff.map((d) => 2 * d / n)};
  }

  // Backpropagation through time, as bp.RNN._dZ_full, from t = T back to t = 1:
  //   dC/dh_t = g_t + W_hh^T delta_{t+1},  delta_{T+1} = 0          (eq-bptt-dh)
  //   delta_t = dC/dh_t (.) (1 - h_t^2)   (linear: delta_t = dC/dh_t) (eq-bptt-dz)
  //   dC/dW_hh = sum_t delta_t h_{t-1}^T                              (eq-bptt-grads)
  function bptt(Whh, H, g, linear) {
    const T = H.length;
    const norms = new Array(T);
    const dWhh = Whh.map(() => new Array(n).fill(0));
    let deltaNext = new Array(n).fill(0);                  // delta_{T+1} = 0
    for (let t = T - 1; t >= 0; t--) {
      const dh = new Array(n);
      for (let i = 0; i < n; i++) {                        // (eq-bptt-dh): rows, delta^T W_hh
        let s = 0;
        for (let k = 0; k < n; k++) s += deltaNext[k] * Whh[k][i];
        dh[i] = (t === T - 1 ? g[i] : 0) + s;
      }
      let sq = 0;
      for (const v of dh) sq += v * v;
      norms[t] = Math.sqrt(sq);                            // ||dC/dh_t||
      const delta = linear ? dh : dh.map((v, i) => v * (1 - H[t][i] ** 2));   // (eq-bptt-dz)
      const hPrev = t > 0 ? H[t - 1] : null;               // h_0 = 0 adds nothing
      if (hPrev) {
        for (let i = 0; i < n; i++) {                      // (eq-bptt-grads)
          for (let j = 0; j < n; j++) dWhh[i][j] += delta[i] * hPrev[j];
        }
      }
      deltaNext = delta;
    }
    return {norms, dWhh};
  }

  function compute(radius, T, scale, linear) {
    const Whh = recurrentWeights(radius);
    const H = forward(Whh, T, scale, linear);
    const {loss, g} = lossAtLastStep(H[T - 1]);
    const {norms, dWhh} = bptt(Whh, H, g, linear);
    let saturation = 0;                                    // the mean tanh factor 1 - h_t^2
    for (const h of H) for (const v of h) saturation += 1 - v * v;
    return {norms, loss, dWhh, ratio: norms[0] / norms[T - 1], meanFactor: saturation / (T * n)};
  }

  // ---- the controls, the figure and the words ----
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const radius = bpUI.slider(controls, {name: "radius", label: "spectral radius ρ(W_hh)", ...data.radius,
                                        value: data.start.radius, format: (v) => v.toFixed(2)});
  const steps = bpUI.slider(controls, {name: "T", label: "sequence length T", ...data.T,
                                       value: data.start.T, format: (v) => String(v)});
  const scale = bpUI.slider(controls, {name: "scale", label: "input scale", ...data.scale,
                                       value: data.start.scale, format: (v) => v.toFixed(1)});
  const activation = bpUI.select(controls, {name: "activation", label: "activation",
                                            options: data.activations, value: data.start.activation});
  let run = null;

  const decade = (v) => Math.log10(v);
  const power = (k) => (k === 0 ? "1" : k === 1 ? "10" : `1e${k}`.replace(/-/g, "−"));
  const figure = bpUI.canvas(live, {
    aspect: 0.62, maxHeight: 400,
    draw(ctx, w, h) {
      const color = bpUI.ink(root);
      const T = run.norms.length, rho = radius.value;
      let lo = Math.floor(decade(Math.min(...run.norms)));
      let hi = Math.ceil(decade(Math.max(...run.norms)));
      if (hi - lo < 2) { lo -= 1; hi += 1; }
      // room for the dotted line too, up to 8 decades beyond the curve, so that the reader
      // sees how far the linear rate would take the gradient (it leaves the plot beyond that)
      const ends = [run.norms[T - 1], run.norms[T - 1] * rho ** (T - 1)].filter((v) => v > 0 && Number.isFinite(v));
      hi = Math.max(hi, Math.min(Math.ceil(decade(Math.max(...ends))), hi + 8));
      lo = Math.min(lo, Math.max(Math.floor(decade(Math.min(...ends))), lo - 8));
      const f = bpUI.frame(ctx, w, h, {x: [1, T], y: [10 ** lo, 10 ** hi], logY: true,
                                       left: 46, right: 12, top: 24, bottom: 42});
      const every = Math.max(1, Math.ceil((hi - lo) / 5));
      const yticks = [];
      for (let k = Math.ceil(lo / every) * every; k <= hi; k += every) yticks.push(10 ** k);
      const xticks = [1];
      const xstep = T <= 10 ? 1 : T <= 30 ? 5 : 10;
      for (let t = xstep; t <= T; t += xstep) xticks.push(t);
      bpUI.axes(ctx, f, {color, xticks, yticks, yfmt: (v) => power(Math.round(decade(v))),
                         xfmt: (t) => String(t)});
      // the axis labels outside the plot, where no curve can run over them
      ctx.save();
      ctx.fillStyle = color; ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "bottom";
      ctx.fillText("time step t (BPTT runs from t = T leftwards)", (f.left + f.right) / 2, h - 2);
      ctx.textAlign = "left"; ctx.textBaseline = "top";
      ctx.fillText("‖∂C/∂h_t‖ (log scale)", 4, 2);
      ctx.restore();
      const ts = run.norms.map((_, i) => i + 1);
      ctx.save();
      ctx.beginPath(); ctx.rect(f.left - 4, f.top - 4, f.right - f.left + 8, f.bottom - f.top + 8); ctx.clip();
      // the linear regime's rate from the last step: ||dC/dh_T|| rho^(T - t)
      const last = run.norms[T - 1];
      const guide = ts.map((t) => {
        const v = last * rho ** (T - t);
        return v > 0 && Number.isFinite(v) ? Math.min(Math.max(v, 10 ** (lo - 3)), 10 ** (hi + 3)) : NaN;
      });
      bpUI.polyline(ctx, f, ts, guide, {color, width: 1.2, dash: [2, 4]});
      bpUI.polyline(ctx, f, ts, run.norms, {color: bpUI.TAB10[0], width: 2});
      const r = T <= 30 ? 2.5 : 1.8;
      ts.forEach((t, i) => bpUI.dot(ctx, f.X(t), f.Y(run.norms[i]), r, bpUI.TAB10[0]));
      ctx.restore();
    },
    label: () => `Log-scale plot of the gradient norm ‖∂C/∂h_t‖ for t = 1 to ${run.norms.length}: ` +
                 `${bpUI.fmt(run.norms[0], 2)} at t = 1, ${bpUI.fmt(run.norms[run.norms.length - 1], 2)} ` +
                 `at t = ${run.norms.length}, with a dotted line for the linear rate ρ^(T−t).`,
  });
  const legend = bpUI.el("p", {class: "bp-x-legend"}, live);
  legend.style.margin = "0.2em 0";
  legend.style.fontSize = "0.85em";
  const solid = bpUI.el("span", {text: "━ ‖∂C/∂h_t‖ (BPTT)"}, legend);
  solid.style.color = bpUI.TAB10[0];
  solid.style.marginRight = "1em";
  bpUI.el("span", {text: "┈ ‖∂C/∂h_T‖ ρ^(T−t), the linear regime's rate"}, legend);
  // The verdict in one sentence for the live region; the comparison with the linear rate
  // after it, read when the reader goes there (not announced on every change)
  const said = bpUI.status(live);
  const more = bpUI.el("p", {}, live);
  more.style.margin = "0.3em 0 0";

  function verdict(ratio) {
    if (ratio < 1e-2) return "the gradient vanishes on its way back";
    if (ratio > 1e2) return "the gradient explodes on its way back";
    return "it neither vanishes nor explodes over this span";
  }

  function update() {
    const linear = activation.value === "linear";
    const T = steps.value, rho = radius.value;
    run = compute(rho, T, scale.value, linear);
    const perStep = run.ratio ** (1 / (T - 1));
    const words = `‖∂C/∂h_1‖ / ‖∂C/∂h_${T}‖ = ${bpUI.fmt(run.ratio, 2)}, a factor of about ` +
      `${bpUI.fmt(perStep, 2)} per step over ${T - 1} steps back: ${verdict(run.ratio)}.`;
    let details = `The linear rate ρ^(T−1) is ${bpUI.fmt(rho ** (T - 1), 2)}.`;
    if (linear && perStep < 0.93 * rho) {
      details += " The curve falls faster than the dotted line: ∂C/\u2060∂h_T has little along the " +
        "direction that W_hhᵀ scales by ρ, and its other parts shrink faster; with a longer T " +
        "the slope further back approaches ρ.";
    }
    if (!linear) {
      details += ` The mean tanh factor 1 − h_t² is ${bpUI.fmt(run.meanFactor, 2)}` +
        (run.meanFactor < 0.7 ? ": many units saturate, and their small factors hold the gradient " +
                                "far below the linear rate." : ".");
    }
    said.textContent = words;
    more.textContent = details;
    figure.redraw();
    bpUI.setResult(root, {h_norm_grad: run.norms, loss: run.loss, ratio: run.ratio, dW_hh: run.dWhh});
  }
  for (const control of [radius, steps, scale, activation]) control.onchange = update;
  update();
}
