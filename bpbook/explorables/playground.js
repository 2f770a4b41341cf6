// A playground (chapter "Advantages of backpropagation", section "Complex, non-linear data").
// The network 2 -> H -> 2 of the chapter, for a batch X of N points (one per row):
//   Z1 = X W1^T + b1,  A1 = sigma(Z1),  Z2 = A1 W2^T + b2                  (eq-batch)
//   p = softmax(z2) for each point                                          (eq-softmax)
//   C = (1/N) sum over the points of -log p_y                               (eq-mean-cost)
// trained by full-batch gradient descent, step for step as
// bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, lr), epochs) does it; playground.py
// trains the same network with bp for the browser test.

function explore(live, data, root) {
  const EPOCHS_PER_FRAME = 5;     // Play: epochs per animation frame
  const GRID = 40;                // the decision regions are computed on GRID x GRID points
  const MARGIN = 0.5;             // around the data, as bpbook.plotting.plot_decision_regions

  // The activations as bp/activations.py computes them, forward and backward.
  // backward(dA, a) = dC/dz = dC/da (.) sigma'(z)      (eq-activation-derivatives)
  const ACTIVATIONS = {
    tanh: {forward: Math.tanh, backward: (dA, a) => dA * (1 - a * a)},
    // bp's sigmoid: (1 + tanh(z/2)) / 2, the same as 1/(1 + e^-z) without overflow
    sigmoid: {forward: (z) => 0.5 * (1 + Math.tanh(0.5 * z)), backward: (dA, a) => dA * a * (1 - a)},
    // ReLU: sigma'(z) = 1[z > 0], and a > 0 exactly when z > 0
    relu: {forward: bpMath.activations.relu.f, backward: (dA, a) => (a > 0 ? dA : 0)},
  };
  const UNITS = {tanh: "tanh", sigmoid: "sigmoid", relu: "ReLU"};

  // ---- the network and its training, as bp computes them ----

  function copyWeights(w) {
    return {W1: w.W1.map((r) => r.slice()), b1: w.b1.slice(), W2: w.W2.map((r) => r.slice()),
            b2: w.b2.slice()};
  }

  // The forward pass for the N points of X (an array of [x1, x2]), in flat arrays (row n of
  // A1 is A1[n*H .. n*H + H-1]; it keeps the page fast enough to train on every click).
  //   Z1 = X W1^T + b1,  A1 = sigma(Z1),  Z2 = A1 W2^T + b2            (eq-batch)
  // Each sum is formed first and the bias added last, as bp's A_prev @ W.T + b.
  function forward(net, X, activation) {
    const N = X.length, H = net.b1.length, sigma = ACTIVATIONS[activation].forward;
    const A1 = new Float64Array(N * H), Z2 = new Float64Array(N * 2);
    for (let n = 0; n < N; n++) {
      const x = X[n];
      for (let j = 0; j < H; j++) {
        A1[n * H + j] = sigma(x[0] * net.W1[j][0] + x[1] * net.W1[j][1] + net.b1[j]);
      }
      for (let c = 0; c < 2; c++) {
        const w = net.W2[c];
        let z = 0;
        for (let j = 0; j < H; j++) z += A1[n * H + j] * w[j];
        Z2[n * 2 + c] = z + net.b2[c];
      }
    }
    return {A1, Z2};
  }

  // Softmax and cross-entropy on the logits, as bp.CrossEntropyLoss: the row maximum is
  // taken out first (it changes nothing but keeps exp from overflowing).
  //   C_x = log(e^{z_0} + e^{z_1}) - z_y                       (eq-softmax, eq-mean-cost)
  //   dC/dz = (p - onehot(y)) / N        the 1/N of the mean, once, here
  function crossEntropy(Z2, y) {
    const N = y.length, dZ = new Float64Array(N * 2);
    let total = 0;
    for (let n = 0; n < N; n++) {
      const top = Math.max(Z2[2 * n], Z2[2 * n + 1]);
      const s0 = Z2[2 * n] - top, s1 = Z2[2 * n + 1] - top;
      const logNorm = Math.log(Math.exp(s0) + Math.exp(s1));
      total += logNorm - (y[n] === 1 ? s1 : s0);
      dZ[2 * n] = (Math.exp(s0 - logNorm) - (y[n] === 0 ? 1 : 0)) / N;
      dZ[2 * n + 1] = (Math.exp(s1 - logNorm) - (y[n] === 1 ? 1 : 0)) / N;
    }
    return {value: total / N, dZ};
  }

  // Fraction of points whose larger logit is at their class (ties go to class 0, as argmax).
  function accuracy(Z2, y) {
    let right = 0;
    for (let n = 0; n < y.length; n++) if ((Z2[2 * n + 1] > Z2[2 * n] ? 1 : 0) === y[n]) right += 1;
    return right / y.length;
  }

  // One epoch of full-batch gradient descent: forward, loss, backward, update.
  // Returns the loss before the update (what bp.fit records for the epoch).
  function trainEpoch(net, X, y, activation, lr) {
    const N = X.length, H = net.b1.length;
    const {A1, Z2} = forward(net, X, activation);
    const {value, dZ} = crossEntropy(Z2, y);
    if (!Number.isFinite(value)) return value;                          // diverged: no update
    // The output layer: dW2 = dZ2^T A1 (BP3), db2 = dZ2 summed over the points (BP4)
    const dW2 = [new Float64Array(H), new Float64Array(H)], db2 = [0, 0];
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < 2; c++) {
        const d = dZ[2 * n + c];
        db2[c] += d;
        for (let j = 0; j < H; j++) dW2[c][j] += d * A1[n * H + j];
      }
    }
    // The hidden layer: dZ1 = (dZ2 W2) (.) sigma'(Z1) (BP2, eq-batch-backprop),
    // dW1 = dZ1^T X (BP3), db1 = dZ1 summed over the points (BP4)
    const back = ACTIVATIONS[activation].backward;
    const dW1 = Array.from({length: H}, () => [0, 0]), db1 = new Float64Array(H);
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < H; j++) {
        const dA = dZ[2 * n] * net.W2[0][j] + dZ[2 * n + 1] * net.W2[1][j];
        const dz = back(dA, A1[n * H + j]);
        db1[j] += dz;
        dW1[j][0] += dz * X[n][0];
        dW1[j][1] += dz * X[n][1];
      }
    }
    // theta <- theta - eta dC/dtheta, every parameter          (eq-update, bp.SGD)
    for (let j = 0; j < H; j++) {
      for (let k = 0; k < 2; k++) net.W1[j][k] -= lr * dW1[j][k];
      net.b1[j] -= lr * db1[j];
    }
    for (let c = 0; c < 2; c++) {
      for (let j = 0; j < H; j++) net.W2[c][j] -= lr * dW2[c][j];
      net.b2[c] -= lr * db2[c];
    }
    return value;
  }

  // ---- the controls ----

  const setNames = Object.keys(data.sets);
  const controls = bpUI.el("div", {class: "bp-x-controls"}, live);
  const dataChoice = bpUI.select(controls, {
    name: "data", label: "data set", value: data.start.data,
    options: setNames.map((name) => [name, data.sets[name].label]),
  });
  const activationChoice = bpUI.select(controls, {
    name: "activation", label: "activation", value: data.start.activation,
    options: Object.keys(UNITS).map((name) => [name, UNITS[name]]),
  });
  const width = bpUI.slider(controls, {
    name: "width", label: "hidden units", min: data.widths[0], max: data.widths[1], step: 1,
    value: data.start.width, format: (v) => String(v),
  });
  const lr = bpUI.slider(controls, {
    name: "lr", label: "learning rate η", values: data.rates, value: data.start.lr,
    format: (v) => String(v),
  });
  const buttons = bpUI.el("div", {class: "bp-x-controls"}, live);
  bpUI.button(buttons, {name: "train10", label: "Train 10 epochs", onclick: () => trainAndShow(10)});
  bpUI.button(buttons, {name: "train100", label: "Train 100 epochs", onclick: () => trainAndShow(100)});
  const play = bpUI.button(buttons, {name: "play", label: "Play", title: "Play: train continuously",
                                     onclick: () => (playing ? pause() : startPlaying())});
  bpUI.button(buttons, {name: "reset", label: "Reset", title: "Reset to the initial weights",
                        onclick: () => { reset(); show(); }});

  // The result in words right under the buttons that train, in view together with them
  const said = bpUI.status(live);

  // ---- the state: the network, its loss per epoch, and the weights now ----

  let net, history, lossNow, accuracyNow, diverged, playing = false;
  const set = () => data.sets[dataChoice.value];

  function reset() {
    pause();
    net = copyWeights(data.initial[String(width.value)]);
    history = [];
    diverged = false;
    measure();
  }
  function measure() {             // the loss and accuracy of the weights now (bp.evaluate)
    const {X, y} = set();
    const Z2 = forward(net, X, activationChoice.value).Z2;
    lossNow = crossEntropy(Z2, y).value;
    accuracyNow = Number.isFinite(lossNow) ? accuracy(Z2, y) : NaN;
  }
  function train(epochs) {
    const {X, y} = set();
    for (let k = 0; k < epochs && !diverged; k++) {
      const value = trainEpoch(net, X, y, activationChoice.value, lr.value);
      if (Number.isFinite(value)) history.push(value); else diverged = true;
    }
    measure();
  }
  function trainAndShow(epochs) { train(epochs); show(); }

  function startPlaying() {
    if (diverged) return;
    playing = true;
    play.textContent = "Pause";
    play.setAttribute("aria-label", "Pause training");
    said.textContent = "Training continuously; press Pause to stop and hear the result.";
    requestAnimationFrame(frame);
  }
  function frame() {
    if (!playing) return;
    train(EPOCHS_PER_FRAME);
    draw();
    if (diverged) pause(); else requestAnimationFrame(frame);
  }
  function pause() {
    if (!playing) return;
    playing = false;
    play.textContent = "Play";
    play.setAttribute("aria-label", "Play: train continuously");
    show();
  }

  // ---- the figures ----

  const figures = bpUI.el("div", {style: "display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:flex-start"}, live);
  const regionsBox = bpUI.el("div", {style: "flex:1 1 300px;min-width:0"}, figures);
  const lossBox = bpUI.el("div", {style: "flex:1 1 260px;min-width:0"}, figures);
  const ink = () => bpUI.ink(root);
  const COLORS = [bpUI.TAB10[0], bpUI.TAB10[1]];

  function bounds(X) {             // the plotted region: the data and a margin
    const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (const x of X) for (let i = 0; i < 2; i++) { lo[i] = Math.min(lo[i], x[i]); hi[i] = Math.max(hi[i], x[i]); }
    return {x: [lo[0] - MARGIN, hi[0] + MARGIN], y: [lo[1] - MARGIN, hi[1] + MARGIN]};
  }

  // Tick marks at 1, 2 or 5 times a power of ten, about `count` of them.
  function ticks(lo, hi, count) {
    const raw = (hi - lo) / count, power = 10 ** Math.floor(Math.log10(raw));
    const unit = [1, 2, 5, 10].map((m) => m * power).find((u) => u >= raw);
    const out = [];
    for (let t = Math.ceil(lo / unit) * unit; t <= hi + 1e-9 * unit; t += unit) out.push(Math.round(t / unit) * unit);
    return out;
  }
  const tickText = (t) => String(Number(t.toPrecision(6))).replace(/-/g, "−");

  // P(class 1) on a GRID x GRID lattice over the plotted region, as an image: the colour of
  // the predicted class, stronger the surer the network is.
  const lattice = document.createElement("canvas");
  lattice.width = GRID; lattice.height = GRID;
  function paintLattice(box) {
    const points = [];
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        points.push([box.x[0] + (c + 0.5) / GRID * (box.x[1] - box.x[0]),
                     box.y[1] - (r + 0.5) / GRID * (box.y[1] - box.y[0])]);
      }
    }
    const Z = forward(net, points, activationChoice.value).Z2;
    const image = lattice.getContext("2d").createImageData(GRID, GRID);
    const rgb = COLORS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    for (let i = 0; i < GRID * GRID; i++) {
      const p1 = 1 / (1 + Math.exp(Z[2 * i] - Z[2 * i + 1]));           // softmax, 2 classes
      const colour = rgb[p1 > 0.5 ? 1 : 0];
      image.data.set([...colour, Math.round(255 * (0.06 + 0.5 * Math.abs(2 * p1 - 1)))], 4 * i);
    }
    lattice.getContext("2d").putImageData(image, 0, 0);
  }

  const regions = bpUI.canvas(regionsBox, {
    aspect: 0.72, maxHeight: 380,
    draw(ctx, w, h) {
      const {X, y} = set();
      const box = bounds(X);
      // equal scales on both axes: centre the square-unit plot in the canvas
      const left = 40, right = 8, top = 22, bottom = 32;
      const scale = Math.min((w - left - right) / (box.x[1] - box.x[0]),
                             (h - top - bottom) / (box.y[1] - box.y[0]));
      const padX = (w - left - right - scale * (box.x[1] - box.x[0])) / 2;
      const padY = (h - top - bottom - scale * (box.y[1] - box.y[0])) / 2;
      const f = bpUI.frame(ctx, w, h, {x: box.x, y: box.y, left: left + padX, right: right + padX,
                                       top: top + padY, bottom: bottom + padY});
      paintLattice(box);
      ctx.save();
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(lattice, f.left, f.top, f.right - f.left, f.bottom - f.top);
      ctx.restore();
      bpUI.axes(ctx, f, {color: ink(), xticks: ticks(box.x[0], box.x[1], 5), yticks: ticks(box.y[0], box.y[1], 5),
                         xfmt: tickText, yfmt: tickText, xlabel: "x₁", ylabel: "x₂"});
      X.forEach((x, n) => bpUI.dot(ctx, f.X(x[0]), f.Y(x[1]), X.length > 20 ? 3 : 6, COLORS[y[n]], ink()));
    },
    label: () => `Decision regions after ${history.length} epochs (${set().label}): the plane ` +
      `is coloured blue where the network predicts class 0 and orange where it predicts class 1, ` +
      `paler where it is unsure, with the ${set().X.length} training points in their class's colour; ` +
      `${percent(accuracyNow)} of them lie in their own class's region.`,
  });

  // The key to the colours, under the regions
  const key = bpUI.el("p", {}, regionsBox);
  Object.assign(key.style, {fontSize: "0.85em", margin: "0.1em 0 0"});
  ["class 0", "class 1"].forEach((name, k) => {
    // the colour on a dot, the words in the text colour (orange text on white is too faint)
    const mark = bpUI.el("span", {}, key);
    Object.assign(mark.style, {fontWeight: "bold", marginRight: "0.8em", whiteSpace: "nowrap"});
    const dot = bpUI.el("span", {"aria-hidden": "true"}, mark);
    Object.assign(dot.style, {display: "inline-block", width: "0.75em", height: "0.75em",
                              borderRadius: "50%", background: COLORS[k], marginRight: "0.3em"});
    bpUI.el("span", {text: name}, mark);
  });
  bpUI.el("span", {text: "— the points, and the region where the network predicts that " +
    "class, paler where it is unsure (probability near ½)."}, key);

  const lossPlot = bpUI.canvas(lossBox, {
    aspect: 0.48, maxHeight: 220,
    draw(ctx, w, h) {
      const curve = history.concat(Number.isFinite(lossNow) ? [lossNow] : []);
      const n = Math.max(curve.length - 1, 10);
      const top = Math.max(...curve.filter(Number.isFinite), 0.1) * 1.08;
      const f = bpUI.frame(ctx, w, h, {x: [0, n], y: [0, top], left: 44, right: 18, top: 22, bottom: 36});
      bpUI.axes(ctx, f, {color: ink(), xticks: ticks(0, n, 4), yticks: ticks(0, top, 4),
                         xfmt: tickText, yfmt: tickText, ylabel: "loss C (cross-entropy)"});
      // the loss after k epochs at x = k (at most about 1000 points drawn)
      const stride = Math.ceil(curve.length / 1000);
      const xs = [], ys = [];
      for (let k = 0; k < curve.length; k += stride) { xs.push(k); ys.push(curve[k]); }
      if (xs[xs.length - 1] !== curve.length - 1) { xs.push(curve.length - 1); ys.push(curve[curve.length - 1]); }
      bpUI.polyline(ctx, f, xs, ys, {color: bpUI.TAB10[3], width: 1.5});
      ctx.save();
      ctx.fillStyle = ink(); ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "right"; ctx.textBaseline = "top";
      ctx.fillText(`epoch ${history.length}, loss ${bpUI.fmt(lossNow, 3)}`, f.right, 2);
      ctx.textBaseline = "bottom";                // the axis's name, under its tick labels
      ctx.fillText("epoch", f.right, h - 1);
      ctx.restore();
    },
    label: () => `The training loss per epoch: ${bpUI.fmt(history.length ? history[0] : lossNow, 3)} ` +
      `before training, ${bpUI.fmt(lossNow, 3)} after ${history.length} epochs.`,
  });

  const percent = (a) => (Number.isFinite(a) ? `${Number((100 * a).toFixed(1))}%` : "no");

  function draw() {
    regions.redraw();
    lossPlot.redraw();
  }

  function show() {
    draw();
    const s = set(), units = `${width.value} ${UNITS[activationChoice.value]} unit${width.value > 1 ? "s" : ""}`;
    const right = Math.round(accuracyNow * s.X.length);
    said.textContent = diverged
      ? `Training diverged at epoch ${history.length + 1} with learning rate ${lr.value}: the loss ` +
        `is no longer a finite number. Press Reset, and choose a smaller rate.`
      : `${history.length ? `After ${history.length} epochs` : "Untrained"}, ${units}, learning rate ` +
        `${lr.value}, ${s.label}: loss ${bpUI.fmt(lossNow, 3)}, training accuracy ` +
        `${percent(accuracyNow)} (${right} of ${s.X.length} points).`;
    bpUI.setResult(root, {epoch: history.length, loss: history, ...net, loss_now: lossNow,
                          accuracy: accuracyNow});
  }

  // A new data set, width or activation is a new network: back to its initial weights.
  // A new rate applies from the next epoch on, to the network as it is.
  dataChoice.onchange = activationChoice.onchange = width.onchange = () => { reset(); show(); };
  lr.onchange = () => show();
  reset();
  show();
}
