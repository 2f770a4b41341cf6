// Momentum on an ill-conditioned quadratic (chapter "Updating the weights").
// The cost is the mean squared error of one Dense layer, C = (1/N) sum_n (z_n - y_n)^2
// with z_n = w . x_n + b: an exact quadratic. Its gradient is what bp's backward pass
// gives, and the update is bp.SGD's (eq-heavy-ball):
//   v <- mu v + grad C   (v = grad C at the first step),   theta <- theta - eta v.
// With mu = 0 it is the plain rule (eq-update). In the eigenbasis of the Hessian each
// coordinate c_i = q_i^T (theta - theta*) moves on its own (eq-eigen-step,
// eq-momentum-matrix); the lower figure shows |c_i| per step. bp takes the same steps in
// momentum_quadratic.py.

function explore(live, data, root) {
  const problems = data.problems;

  // The prediction z_n = w . x_n + b (the layer equation Z = X W^T + b)
  function predict(p, theta) {
    const n = p.X[0].length, b = p.bias ? theta[n] : 0;
    return p.X.map((x) => {
      let z = 0;
      for (let k = 0; k < n; k++) z += x[k] * theta[k];
      return z + b;
    });
  }

  // C = (1/N) sum_n (z_n - y_n)^2, bp.MSELoss
  function meanSquaredError(p, z) {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += (z[i] - p.y[i]) ** 2;
    return s / z.length;
  }

  // dC/dz_n = 2 (z_n - y_n) / N; dC/dw = sum_n dC/dz_n x_n (BP3), dC/db = sum_n dC/dz_n
  // (BP4). The valley's bias is held at 0, so it has no entry in theta.
  function gradient(p, z) {
    const N = z.length, n = p.X[0].length;
    const g = new Array(n + (p.bias ? 1 : 0)).fill(0);
    for (let i = 0; i < N; i++) {
      const dz = 2 * (z[i] - p.y[i]) / N;
      for (let k = 0; k < n; k++) g[k] += dz * p.X[i][k];
      if (p.bias) g[n] += dz;
    }
    return g;
  }

  // theta_0 .. theta_steps and the loss at each; stops at the first step whose
  // predictions or loss are not finite (as momentum_quadratic.py does)
  function descend(p, lr, mu, steps) {
    let theta = p.theta0.slice(), velocity = null;
    const thetas = [], losses = [];
    for (let t = 0; t <= steps; t++) {
      const z = predict(p, theta);
      if (!z.every(Number.isFinite)) break;
      const loss = meanSquaredError(p, z);
      if (!Number.isFinite(loss)) break;
      thetas.push(theta.slice());
      losses.push(loss);
      if (t === steps) break;
      const g = gradient(p, z);
      if (mu) {                                  // (eq-heavy-ball)
        velocity = velocity ? velocity.map((v, k) => mu * v + g[k]) : g.slice();
      } else {
        velocity = g;                            // (eq-update)
      }
      theta = theta.map((th, k) => th - lr * velocity[k]);
    }
    return {theta: thetas, loss: losses};
  }

  // c_i = q_i^T (theta - theta*), the coordinates of (eq-eigen-step)
  function eigenCoordinates(p, theta) {
    const d = [theta[0] - p.minimum[0], theta[1] - p.minimum[1]];
    return [0, 1].map((i) => p.Q[0][i] * d[0] + p.Q[1][i] * d[1]);
  }

  // The larger root in size of z^2 - (1 + mu - eta lambda) z + mu (eq-momentum-roots):
  // its size is the factor by which the direction shrinks per step; its kind says how
  // it moves (a positive root creeps, a negative one zig-zags, complex ones spiral).
  function largestRoot(lr, mu, lam) {
    const B = 1 + mu - lr * lam, disc = B * B - 4 * mu;
    if (disc < 0) return {size: Math.sqrt(mu), kind: "spirals in"};
    const r1 = (B + Math.sqrt(disc)) / 2, r2 = (B - Math.sqrt(disc)) / 2;
    const r = Math.abs(r1) >= Math.abs(r2) ? r1 : r2;
    if (Math.abs(r) < 1e-9) return {size: 0, kind: "lands on the minimum in one step"};
    return {size: Math.abs(r), kind: r >= 0 ? "creeps" : "zig-zags"};
  }

  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const problem = bpUI.select(controls, {
    name: "problem", label: "cost", value: data.start.problem,
    options: Object.entries(problems).map(([key, p]) => [key, p.label])});
  const lr = bpUI.slider(controls, {name: "lr", label: "learning rate η", values: data.lr.values,
                                    value: data.start.lr, format: (v) => bpUI.fmt(v, 3)});
  // 0 to 0.99 by 0.01, and each cost's optimal mu* (0.412 on the valley) at full precision
  const onGrid = (v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9;
  const momentum = bpUI.slider(controls, {name: "momentum", label: "momentum μ", values: data.momentum.values,
                                          value: data.start.momentum,
                                          format: (v) => (onGrid(v) ? v.toFixed(2) : v.toFixed(3))});
  const steps = bpUI.slider(controls, {name: "steps", label: "steps", ...data.steps,
                                       value: data.start.steps, format: (v) => String(v)});
  // Momentum's optimum for the cost shown (eq-momentum-optimal), exactly as bp computes it:
  // both directions then shrink by sqrt(mu*) per step.
  bpUI.button(controls, {name: "optimum", label: "optimal η*, μ*",
                         title: "Set momentum's optimal learning rate and momentum for this cost",
                         onclick: () => {
                           const best = problems[problem.value].optimum;
                           lr.value = best.lr; momentum.value = best.momentum;
                           update();
                         }});

  let p = null, run = null, sizes = null, coords = null;
  const panels = bpUI.el("div", {style: "display:flex;flex-wrap:wrap;gap:0.5rem 1rem;"}, live);
  const cell = () => bpUI.el("div", {style: "flex:1 1 280px;min-width:0;"}, panels);
  const colors = [bpUI.TAB10[2], bpUI.TAB10[3]];
  const textColors = [bpUI.TEXT.green, bpUI.TAB10[3]];   // tab:green text is too faint on white

  // A point far outside the view, pulled back along the segment from `a` so the canvas
  // never gets coordinates of 1e150 pixels (the direction of the segment is kept).
  function pullBack(a, b, view) {
    const span = Math.max(view[0][1] - view[0][0], view[1][1] - view[1][0]) * 10;
    const dx = b[0] - a[0], dy = b[1] - a[1], far = Math.max(Math.abs(dx), Math.abs(dy));
    if (!(far > span)) return b;
    return [a[0] + dx * span / far, a[1] + dy * span / far];
  }

  // The view, widened so that both axes have the same scale (as the chapter's figures).
  function equalFrame(ctx, w, h, view) {
    const m = {left: 44, right: 8, top: 22, bottom: 34};
    const pw = w - m.left - m.right, ph = h - m.top - m.bottom;
    let [x0, x1] = view[0], [y0, y1] = view[1];
    const scale = Math.min(pw / (x1 - x0), ph / (y1 - y0));
    const xc = (x0 + x1) / 2, yc = (y0 + y1) / 2;
    x0 = xc - pw / scale / 2; x1 = xc + pw / scale / 2;
    y0 = yc - ph / scale / 2; y1 = yc + ph / scale / 2;
    return bpUI.frame(ctx, w, h, {x: [x0, x1], y: [y0, y1], ...m});
  }

  function niceTicks(lo, hi) {
    const raw = (hi - lo) / 5, step = 10 ** Math.floor(Math.log10(raw));
    const unit = [1, 2, 5, 10].map((k) => k * step).find((s) => s >= raw);
    const ticks = [];
    for (let t = Math.ceil(lo / unit) * unit; t <= hi + 1e-9 * unit; t += unit) ticks.push(+t.toFixed(10));
    return ticks;
  }

  const tickText = (t) => String(t).replace(/-/g, "−");   // 2, not 2.0
  // a power of ten as 10⁻³
  const SUPERSCRIPT = {"-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹"};
  const powerText = (t) => `10${[...String(Math.round(Math.log10(t)))].map((c) => SUPERSCRIPT[c]).join("")}`;

  const pathFigure = bpUI.canvas(cell(), {
    aspect: 0.66, maxHeight: 420,
    draw(ctx, w, h) {
      const color = bpUI.ink(root);
      const f = equalFrame(ctx, w, h, p.view);
      const xr = [f.invX(f.left), f.invX(f.right)], yr = [f.invY(f.bottom), f.invY(f.top)];
      bpUI.axes(ctx, f, {color, xticks: niceTicks(...xr), yticks: niceTicks(...yr),
                         xfmt: tickText, yfmt: tickText, xlabel: p.names[0], ylabel: p.names[1]});
      ctx.save();
      ctx.beginPath(); ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top); ctx.clip();
      // contours: C = C_min + (1/2) sum_i lambda_i c_i^2 is an ellipse along q_1, q_2
      const excess0 = run.loss[0] - p.cmin;
      ctx.strokeStyle = color; ctx.globalAlpha = 0.3; ctx.lineWidth = 1;
      for (let k = -1; k < 8; k++) {
        const level = excess0 * 4 ** -k;
        const radii = p.lambdas.map((lam) => Math.sqrt(2 * level / lam));
        ctx.beginPath();
        for (let j = 0; j <= 96; j++) {
          const a = 2 * Math.PI * j / 96, c = [radii[0] * Math.cos(a), radii[1] * Math.sin(a)];
          const x = p.minimum[0] + p.Q[0][0] * c[0] + p.Q[0][1] * c[1];
          const y = p.minimum[1] + p.Q[1][0] * c[0] + p.Q[1][1] * c[1];
          if (j) ctx.lineTo(f.X(x), f.Y(y)); else ctx.moveTo(f.X(x), f.Y(y));
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      // the path theta_0, theta_1, ...
      ctx.strokeStyle = bpUI.TAB10[0]; ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(f.X(run.theta[0][0]), f.Y(run.theta[0][1]));
      for (let t = 1; t < run.theta.length; t++) {
        const q = pullBack(run.theta[t - 1], run.theta[t], p.view);
        ctx.lineTo(f.X(q[0]), f.Y(q[1]));
        if (q !== run.theta[t]) break;
      }
      ctx.stroke();
      const shown = Math.min(run.theta.length, 80);
      for (let t = 0; t < shown; t++) {
        const [x, y] = run.theta[t];
        if (Math.abs(x - p.minimum[0]) > 1e3 || Math.abs(y - p.minimum[1]) > 1e3) break;
        bpUI.dot(ctx, f.X(x), f.Y(y), t === 0 ? 4.5 : 2.2, bpUI.TAB10[0], t === 0 ? color : null);
      }
      // the minimum theta*
      ctx.fillStyle = color; ctx.font = "16px system-ui, sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillText("★", f.X(p.minimum[0]), f.Y(p.minimum[1]));
      ctx.restore();
      // the key: the start and the minimum
      ctx.save();
      ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "middle"; ctx.textAlign = "right";
      ctx.fillStyle = color;
      const key = "★ minimum θ*", keyWidth = ctx.measureText(key).width;
      ctx.fillText(key, f.right, 10);
      ctx.fillText("start θ₀", f.right - keyWidth - 14, 10);
      const startWidth = ctx.measureText("start θ₀").width;
      bpUI.dot(ctx, f.right - keyWidth - 14 - startWidth - 8, 10, 4.5, bpUI.TAB10[0], color);
      ctx.restore();
    },
    label: () => `Contours of the cost (${p.label}) with equal scales on both axes, and the ` +
      `path of ${run.theta.length - 1} steps from (${bpUI.fmt(p.theta0[0], 2)}, ` +
      `${bpUI.fmt(p.theta0[1], 2)}) towards the minimum, marked by a star at ` +
      `(${bpUI.fmt(p.minimum[0], 3)}, ${bpUI.fmt(p.minimum[1], 3)}).`,
  });

  const eigenFigure = bpUI.canvas(cell(), {
    aspect: 0.66, maxHeight: 420,
    draw(ctx, w, h) {
      const color = bpUI.ink(root);
      const values = coords.flat().filter((v) => v > 0 && Number.isFinite(v));
      let top = Math.ceil(Math.log10(Math.max(...values, 1e-300)));
      let bottom = Math.floor(Math.log10(Math.min(...values)));
      // rounding stops |c_i| near 1e-16 of where it started: no need to show below that
      const start = Math.max(...coords[0].filter((v) => v > 0), 1e-300);
      bottom = Math.max(bottom, Math.floor(Math.log10(start)) - 16);
      if (top - bottom < 2) { top += 1; bottom -= 1; }
      const stride = [1, 2, 5, 10, 20, 50, 100].find((k) => k >= (top - bottom) / 5);
      const ticks = [];
      for (let e = Math.floor(top / stride) * stride; e >= bottom; e -= stride) ticks.push(10 ** e);
      const last = run.theta.length - 1;
      const f = bpUI.frame(ctx, w, h, {x: [0, Math.max(last, 1)], y: [10 ** bottom, 10 ** top],
                                       logY: true, left: 48, top: 22, bottom: 40});
      bpUI.axes(ctx, f, {color, xticks: niceTicks(0, Math.max(last, 1)).filter((t) => t === Math.round(t)),
                         xfmt: tickText,
                         yticks: ticks, yfmt: powerText,
                         xlabel: "step t", xlabelBelow: true});
      ctx.save();
      ctx.beginPath(); ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top); ctx.clip();
      const ts = coords.map((_, t) => t);
      for (const i of [0, 1]) {
        const ys = coords.map((c) => (c[i] > 0 ? c[i] : NaN));
        bpUI.polyline(ctx, f, ts, ys, {color: colors[i], width: 1.8});
      }
      ctx.restore();
      ctx.save();
      ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "top";
      ctx.fillStyle = textColors[0]; ctx.textAlign = "left";
      ctx.fillText(`|c₁|, λ₁ = ${bpUI.fmt(p.lambdas[0], 3)}`, f.left + 4, 3);
      ctx.fillStyle = textColors[1]; ctx.textAlign = "right";
      ctx.fillText(`|c₂|, λ₂ = ${bpUI.fmt(p.lambdas[1], 3)}`, f.right, 3);
      ctx.restore();
    },
    label: () => {
      const last = coords.length - 1;
      return `The distances |c₁| and |c₂| to the minimum along the eigenvectors q₁ and q₂ ` +
        `(curvatures ${bpUI.fmt(p.lambdas[0], 3)} and ${bpUI.fmt(p.lambdas[1], 3)}), per step ` +
        `on a log scale: after ${last} steps |c₁| = ` +
        `${bpUI.fmt(sizes[last][0], 2)} and |c₂| = ${bpUI.fmt(sizes[last][1], 2)}.`;
    },
  });
  const said = bpUI.status(live);

  function verdict() {
    const roots = p.lambdas.map((lam) => largestRoot(lr.value, momentum.value, lam));
    const worst = Math.max(roots[0].size, roots[1].size);
    const regime = worst >= 1 ? "Diverges"
      : roots.some((r) => r.kind === "zig-zags" || r.kind === "spirals in")
        ? "Oscillates and converges" : "Converges";
    const dirs = roots.map((r, i) => `along q${"₁₂"[i]} (λ = ${bpUI.fmt(p.lambdas[i], 3)}) it ` +
      (r.size === 0 ? r.kind : `${r.kind}, ×${bpUI.fmt(r.size, 3)} per step`)).join("; ");
    return `${regime}: ${dirs}`;
  }

  function update() {
    p = problems[problem.value];
    run = descend(p, lr.value, momentum.value, steps.value);
    // |c_i| is drawn only where it stands out of the rounding of the whole offset
    // theta - theta* (a diverging steep direction swamps the flat one)
    sizes = run.theta.map((theta) => eigenCoordinates(p, theta).map(Math.abs));
    coords = sizes.map((c) => c.map((v) => (v > 1e-12 * Math.hypot(c[0], c[1]) ? v : NaN)));
    const last = run.loss.length - 1;
    const stopped = last < steps.value
      ? ` The numbers overflowed at step ${last + 1}, where the run stops.` : "";
    said.textContent = `${verdict()}. After ${last} steps the loss is ` +
      `${bpUI.fmt(run.loss[last], 3)} (its minimum ${bpUI.fmt(p.cmin, 3)}).${stopped}`;
    pathFigure.redraw();
    eigenFigure.redraw();
    bpUI.setResult(root, run);
  }
  for (const control of [problem, lr, momentum, steps]) control.onchange = update;
  update();
}
