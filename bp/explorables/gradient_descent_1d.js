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
  let curvature = 0;               // C'' = (2/N) sum x_i^2, the same for every w
  for (let i = 0; i < N; i++) curvature += 2 * x[i] * x[i] / N;

  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const lr = bpUI.slider(controls, {name: "lr", label: "learning rate η", ...data.lr,
                                    value: data.start.lr, format: (v) => v.toFixed(2)});
  const w0 = bpUI.slider(controls, {name: "w0", label: "starting weight", ...data.w0,
                                    value: data.start.w0, format: (v) => v.toFixed(1)});
  const steps = bpUI.slider(controls, {name: "steps", label: "steps", ...data.steps,
                                       value: data.start.steps, format: (v) => String(v)});
  let run = null;
  const W_RANGE = [-1.5, 4.5];
  let cMax = 0;
  for (let i = 0; i <= 100; i++) cMax = Math.max(cMax, cost(W_RANGE[0] + i * 0.06));

  const figure = bpUI.canvas(live, {
    aspect: 0.6, maxHeight: 380,
    draw(ctx, w, h) {
      const color = bpUI.ink(root);
      const f = bpUI.frame(ctx, w, h, {x: W_RANGE, y: [0, cMax]});
      bpUI.axes(ctx, f, {color, xticks: [-1, 0, 1, 2, 3, 4], yticks: [0, 2, 4, 6, 8].filter((t) => t <= cMax),
                         xlabel: "weight w", ylabel: "loss C(w)"});
      const ws = [], cs = [];
      for (let i = 0; i <= 120; i++) { ws.push(W_RANGE[0] + i * 0.05); cs.push(cost(ws[i])); }
      bpUI.polyline(ctx, f, ws, cs, {color, width: 1.5});
      ctx.save();
      ctx.beginPath(); ctx.rect(f.left, f.top - 6, f.right - f.left, f.bottom - f.top + 6); ctx.clip();
      bpUI.polyline(ctx, f, run.path, run.loss, {color: bpUI.TAB10[3], width: 1.5});
      run.path.forEach((p, k) => bpUI.dot(ctx, f.X(p), f.Y(run.loss[k]), k === 0 ? 5 : 3.5,
                                          bpUI.TAB10[3], k === 0 ? color : null));
      ctx.restore();
    },
    label: () => `The loss C(w) as a curve, and ${run.path.length - 1} gradient-descent steps on it ` +
                 `from w = ${bpUI.fmt(run.path[0], 2)} to w = ${bpUI.fmt(run.path[run.path.length - 1], 3)}.`,
  });
  const said = bpUI.status(live);

  function update() {
    run = descend(lr.value, w0.value, steps.value);
    const factor = 1 - lr.value * curvature;
    const last = run.path.length - 1;
    const verdict = Math.abs(factor) < 1
      ? (factor < 0 ? "w jumps across the minimum at every step and converges" : "w converges")
      : "the distance grows at every step and w diverges";
    said.textContent = `After ${last} steps w = ${bpUI.fmt(run.path[last], 3)}, loss ` +
      `${bpUI.fmt(run.loss[last], 3)}. Each step multiplies the distance to the minimum by ` +
      `1 − ηC'' = ${bpUI.fmt(factor, 2)}, so ${verdict}.`;
    figure.redraw();
    bpUI.setResult(root, run);
  }
  for (const control of [lr, w0, steps]) control.onchange = update;
  update();
}
