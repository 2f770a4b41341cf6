// Gradient descent on one weight (chapter "What is backpropagation?").
// The model y_hat = w x, the loss C(w) = (1/N) sum_i (w x_i - y_i)^2, its slope
// C'(w) = (2/N) sum_i (w x_i - y_i) x_i (eq-one-weight), and the step
// w <- w - eta C'(w). bp takes the same steps in gradient_descent_1d.py.

function explore(live, data, root) {
  const {x, y} = data;
  const N = x.length;

  function cost(w) {               // C(w), eq-one-weight
    let s = 0;
    for (let i = 0; i < N; i++) s += (w * x[i] - y[i]) ** 2;
    return s / N;
  }
  function slope(w) {              // C'(w), eq-one-weight
    let s = 0;
    for (let i = 0; i < N; i++) s += (w * x[i] - y[i]) * x[i];
    return 2 * s / N;
  }
  function descend(lr, w0, steps) {
    const path = [w0], loss = [cost(w0)];
    let w = w0;
    for (let k = 0; k < steps && Number.isFinite(loss[loss.length - 1]); k++) {
      w = w - lr * slope(w);       // the gradient-descent step
      path.push(w);
      loss.push(cost(w));
    }
    return {path, loss};
  }
  // C'' = (2/N) sum x_i^2, the same for every w; the minimum w* = sum x_i y_i / sum x_i^2,
  // where C'(w) = 0 (the chapter's exercise 1).
  let sxx = 0, sxy = 0;
  for (let i = 0; i < N; i++) { sxx += x[i] * x[i]; sxy += x[i] * y[i]; }
  const curvature = 2 * sxx / N;
  const wStar = sxy / sxx;

  const minus = (s) => s.replace(/-/g, "−");
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const lr = bpUI.slider(controls, {name: "lr", label: "learning rate η", ...data.lr,
                                    value: data.start.lr, format: (v) => v.toFixed(2)});
  const w0 = bpUI.slider(controls, {name: "w0", label: "starting weight", ...data.w0,
                                    value: data.start.w0, format: (v) => minus(v.toFixed(1))});
  const steps = bpUI.slider(controls, {name: "steps", label: "steps", ...data.steps,
                                       value: data.start.steps, format: (v) => String(v)});
  let run = null;

  // The window on w: the starting weight's range, widened to hold every step of a
  // diverging run up to FAR from the minimum; steps beyond that are counted, not drawn.
  const HOME = [data.w0.min, data.w0.max];
  const FAR = 1000;
  function view() {
    let lo = HOME[0], hi = HOME[1], shown = 0;
    for (const p of run.path) {
      if (!(Math.abs(p - wStar) <= FAR)) break;
      lo = Math.min(lo, p); hi = Math.max(hi, p);
      shown += 1;
    }
    const pad = (hi - lo) * (lo < HOME[0] || hi > HOME[1] ? 0.04 : 0);
    lo -= pad; hi += pad;
    return {w: [lo, hi], c: Math.max(cost(lo), cost(hi)) * 1.05, shown};
  }
  // About `n` round tick values between lo and hi, and how to print them.
  function ticks(lo, hi, n) {
    const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
    const m = [1, 2, 2.5, 5, 10].find((f) => f * mag >= raw), step = m * mag;
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push(t);
    const decimals = Math.max(0, -Math.round(Math.log10(mag)) + (m === 2.5 ? 1 : 0));
    return {values: out, text: (t) => minus((Math.abs(t) < step / 2 ? 0 : t).toFixed(decimals))};
  }

  const figure = bpUI.canvas(live, {
    aspect: 0.62, maxHeight: 380,
    draw(ctx, w, h) {
      const color = bpUI.ink(root), red = bpUI.TAB10[3];
      const v = view();
      const xt = ticks(v.w[0], v.w[1], w < 500 ? 6 : 10), yt = ticks(0, v.c, 4);
      ctx.font = "12px system-ui, sans-serif";      // room at the left for the widest loss tick
      const left = 14 + Math.max(34, ...yt.values.map((t) => ctx.measureText(yt.text(t)).width));
      const f = bpUI.frame(ctx, w, h, {x: v.w, y: [0, v.c], bottom: 40, left});
      bpUI.axes(ctx, f, {color, xticks: xt.values, xfmt: xt.text, yticks: yt.values, yfmt: yt.text,
                         ylabel: "loss C(w)"});
      ctx.save();
      ctx.fillStyle = color; ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "bottom";
      ctx.fillText("weight w", Math.max((f.left + f.right) / 2, 130), h - 1);
      // the minimum w*, dashed
      ctx.strokeStyle = color; ctx.globalAlpha = 0.6; ctx.setLineDash([3, 3]);
      ctx.beginPath(); ctx.moveTo(f.X(wStar), f.bottom); ctx.lineTo(f.X(wStar), f.top + 14); ctx.stroke();
      ctx.globalAlpha = 1; ctx.textBaseline = "bottom";
      ctx.fillText(`minimum w* = ${bpUI.fmt(wStar, 3)}`, Math.min(f.X(wStar), f.right - 70), f.top + 12);
      ctx.restore();
      const ws = [], cs = [];
      for (let i = 0; i <= 200; i++) { ws.push(v.w[0] + i * (v.w[1] - v.w[0]) / 200); cs.push(cost(ws[i])); }
      bpUI.polyline(ctx, f, ws, cs, {color, width: 1.5});
      ctx.save();
      ctx.beginPath(); ctx.rect(f.left - 6, f.top - 6, f.right - f.left + 12, f.bottom - f.top + 12); ctx.clip();
      const path = run.path.slice(0, v.shown), loss = run.loss.slice(0, v.shown);
      ctx.lineJoin = "round";      // no spikes where a zig-zag turns sharply
      bpUI.polyline(ctx, f, path, loss, {color: red, width: 1.5});
      path.forEach((p, k) => bpUI.dot(ctx, f.X(p), f.Y(loss[k]), k === 0 ? 5 : 3.5, red,
                                      k === 0 ? color : null));
      ctx.restore();
      ctx.save();
      ctx.fillStyle = color; ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "middle";
      // the legend, on the line of the axis label, where no data goes
      ctx.textAlign = "left"; ctx.textBaseline = "middle";
      bpUI.dot(ctx, 8, h - 8, 5, red, color);
      ctx.fillStyle = color; ctx.fillText("start", 16, h - 8);
      bpUI.dot(ctx, 58, h - 8, 3.5, red);
      ctx.fillStyle = color; ctx.fillText("steps", 65, h - 8);
      const off = run.path.length - v.shown;
      if (off > 0) {
        ctx.textAlign = "right"; ctx.textBaseline = "top";
        ctx.fillText(`${off} later step${off > 1 ? "s" : ""} off the chart`, f.right, f.top + 18);
      }
      ctx.restore();
    },
    label: () => {
      const v = view(), off = run.path.length - v.shown;
      return `The loss C(w) as a parabola with its minimum at w* = ${bpUI.fmt(wStar, 3)}, and ` +
        `${run.path.length - 1} gradient-descent steps on it from w = ${bpUI.fmt(run.path[0], 2)} ` +
        `to w = ${bpUI.fmt(run.path[run.path.length - 1], 3)}` +
        (off > 0 ? `; the last ${off} lie too far out to draw.` : ".");
    },
  });
  const said = bpUI.status(live);

  function update() {
    run = descend(lr.value, w0.value, steps.value);
    const factor = 1 - lr.value * curvature;
    const last = run.path.length - 1;
    const size = Math.abs(factor);
    const verdict = size < 1
      ? (factor < 0 ? "w jumps across the minimum at every step and converges"
                    : "w converges without crossing the minimum")
      : size === 1 ? "w jumps back and forth at the same distance for ever"
      : "the distance grows at every step and w diverges";
    said.textContent = `After ${last} steps w = ${bpUI.fmt(run.path[last], 3)}, loss ` +
      `${bpUI.fmt(run.loss[last], 3)}. Each step multiplies the distance to the minimum by ` +
      // no line break inside the formula (non-breaking spaces)
      `1\u00a0−\u00a0ηC''\u00a0=\u00a01\u00a0−\u00a0${lr.value.toFixed(2)}\u00a0×\u00a0${curvature.toFixed(3)}` +
      `\u00a0=\u00a0${bpUI.fmt(factor, 3)}, ` +
      `so ${verdict}.`;
    figure.redraw();
    bpUI.setResult(root, run);
  }
  for (const control of [lr, w0, steps]) control.onchange = update;
  update();
}
