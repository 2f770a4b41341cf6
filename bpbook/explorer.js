// The learning-rate explorer's view: controls, the result in words, and a two-panel
// figure (the loss per epoch above, the fitted curve below) drawn on a canvas.
//
// One view, two sources of runs (bpbook/widgets.py):
// - in Jupyter, an anywidget model: moving a control sets lr, epochs or seed, the
//   kernel retrains with bp and sends the new run back as numbers, and this view draws
//   them; nothing is drawn in the kernel.
// - on the book's static website, a small stand-in model over runs that bp computed
//   when the site was built (model.get("choices") lists their learning rates).
//
// A run is {lr, epochs, loss: [...], prediction: [...] or null, diverged_at, message}.
// The view also records, for the lab test, the time from a key press or drag on the
// learning-rate slider to the redrawn figure (element attribute data-latencies, ms).

const COLOURS = { loss: "#1f77b4", network: "#ff7f0e", diverged: "#d62728",
                  data: "#666666", truth: "#999999", axis: "#222222" };
const FONT = "13px sans-serif";

function fmt3(x) {
  // Python's f"{x:.3g}" for the rates and losses shown here
  return String(Number(Number(x).toPrecision(3)));
}

function superscript(k) {
  const digits = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074",
                   5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };
  return "10" + String(k).split("").map((c) => digits[c]).join("");
}

// One panel: a frame at box = {x, y, w, h} (CSS pixels) with data ranges and ticks.
// Returns functions from data to canvas coordinates.
function axes(ctx, box, { xmin, xmax, ymin, ymax, logy, xticks, yticks, ylabel, xlabel, title }) {
  const ty = (v) => (logy ? Math.log10(v) : v);
  const X = (v) => box.x + ((v - xmin) / (xmax - xmin)) * box.w;
  const Y = (v) => box.y + box.h - ((ty(v) - ty(ymin)) / (ty(ymax) - ty(ymin))) * box.h;
  ctx.strokeStyle = COLOURS.axis;
  ctx.fillStyle = COLOURS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x, box.y, box.w, box.h);
  ctx.font = FONT;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xticks) {
    ctx.beginPath();
    ctx.moveTo(X(t), box.y + box.h);
    ctx.lineTo(X(t), box.y + box.h + 4);
    ctx.stroke();
    ctx.fillText(String(t).replace("-", "\u2212"), X(t), box.y + box.h + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of yticks) {
    ctx.beginPath();
    ctx.moveTo(box.x - 4, Y(t));
    ctx.lineTo(box.x, Y(t));
    ctx.stroke();
    const label = logy ? superscript(Math.round(Math.log10(t))) : String(t).replace("-", "\u2212");
    ctx.fillText(label, box.x - 6, Y(t));
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(title, box.x + box.w / 2, box.y - 6);
  ctx.textBaseline = "top";
  ctx.fillText(xlabel, box.x + box.w / 2, box.y + box.h + 22);
  ctx.save();
  ctx.translate(box.x - 42, box.y + box.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "bottom";
  ctx.fillText(ylabel, 0, 0);
  ctx.restore();
  return { X, Y };
}

function polyline(ctx, xs, ys, X, Y, colour, width, dash) {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.setLineDash(dash || []);
  ctx.beginPath();
  xs.forEach((x, i) => (i ? ctx.lineTo(X(x), Y(ys[i])) : ctx.moveTo(X(x), Y(ys[i]))));
  ctx.stroke();
  ctx.restore();
}

function boxedText(ctx, text, x, y, colour) {
  ctx.font = FONT;
  const lines = text.split("\n");
  const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 12;
  const h = 18 * lines.length + 6;
  ctx.fillStyle = "#ffffff";
  ctx.strokeStyle = colour;
  ctx.fillRect(x - w / 2, y - h / 2, w, h);
  ctx.strokeRect(x - w / 2, y - h / 2, w, h);
  ctx.fillStyle = colour;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  lines.forEach((l, i) => ctx.fillText(l, x, y - h / 2 + 12 + 18 * i));
}

// The figure of one run, the same picture bpbook/widgets.py drew with matplotlib before.
function drawRun(canvas, problem, run) {
  const width = canvas.clientWidth || 368;
  const height = Math.round(width * 1.3);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.height = height + "px";
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = "#ffffff"; // white in the dark theme too: the colours are for white
  ctx.fillRect(0, 0, width, height);
  const left = 62, right = 18, panelH = (height - 150) / 2;

  const top = { x: left, y: 28, w: width - left - right, h: panelH };
  const epochs = run.epochs;
  const step = epochs <= 200 ? 50 : epochs <= 500 ? 100 : 250;
  const xticks = [];
  for (let t = 0; t <= epochs; t += step) xticks.push(t);
  const lossAxes = axes(ctx, top, {
    xmin: 0, xmax: epochs, ymin: 1e-3, ymax: 1e2, logy: true, xticks,
    yticks: [1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2], ylabel: "loss (MSE, log scale)",
    xlabel: "epoch", title: "Loss, learning rate " + fmt3(run.lr),
  });
  // losses near 1e308 overflow the picture; above 1e3 they are off the axes anyway
  const loss = run.loss.map((v) => Math.min(Math.max(v, 1e-4), 1e3));
  ctx.save();
  ctx.beginPath();
  ctx.rect(top.x, top.y, top.w, top.h);
  ctx.clip();
  polyline(ctx, loss.map((_, i) => i + 1), loss, lossAxes.X, lossAxes.Y, COLOURS.loss, 1.5);
  if (run.diverged_at !== null) {
    polyline(ctx, [run.diverged_at, run.diverged_at], [1e-3, 1e2], lossAxes.X, lossAxes.Y,
             COLOURS.diverged, 1.5, [6, 4]);
    boxedText(ctx, "diverged at epoch " + run.diverged_at, top.x + top.w / 2, top.y + top.h / 2,
              COLOURS.diverged);
  }
  ctx.restore();

  const bottom = { x: left, y: top.y + panelH + 80, w: top.w, h: panelH };
  const modelAxes = axes(ctx, bottom, {
    xmin: -3.2, xmax: 3.2, ymin: -2.5, ymax: 2.5, logy: false, xticks: [-3, -2, -1, 0, 1, 2, 3],
    yticks: [-2, -1, 0, 1, 2], ylabel: "y", xlabel: "x", title: "The fitted curve",
  });
  ctx.save();
  ctx.beginPath();
  ctx.rect(bottom.x, bottom.y, bottom.w, bottom.h);
  ctx.clip();
  polyline(ctx, problem.grid, problem.curve, modelAxes.X, modelAxes.Y, COLOURS.truth, 1.5, [2, 3]);
  ctx.fillStyle = COLOURS.data;
  problem.X.forEach((x, i) => {
    ctx.beginPath();
    ctx.arc(modelAxes.X(x), modelAxes.Y(problem.y[i]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  });
  if (run.prediction) {
    polyline(ctx, problem.grid, run.prediction, modelAxes.X, modelAxes.Y, COLOURS.network, 2.5);
  } else {
    boxedText(ctx, "no usable model:\nthe weights blew up", bottom.x + bottom.w / 2,
              bottom.y + bottom.h / 2, COLOURS.diverged);
  }
  ctx.restore();
  // legend, upper left
  const entries = [["data", COLOURS.data, "dot"], ["true curve", COLOURS.truth, [2, 3]],
                   ["network", COLOURS.network, []]];
  ctx.font = FONT;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  entries.forEach(([label, colour, style], i) => {
    const y = bottom.y + 14 + 18 * i, x = bottom.x + 8;
    if (style === "dot") {
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(x + 10, y, 3, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      polyline(ctx, [x, x + 20], [y, y], (v) => v, (v) => v, colour, 2, style);
    }
    ctx.fillStyle = COLOURS.axis;
    ctx.fillText(label, x + 26, y);
  });
}

function slider(labelText, attrs) {
  const label = document.createElement("label");
  label.style.marginRight = "1em";
  label.style.whiteSpace = "nowrap";
  label.append(labelText + " ");
  const input = document.createElement("input");
  input.type = "range";
  Object.entries(attrs).forEach(([k, v]) => input.setAttribute(k, v));
  input.style.verticalAlign = "middle";
  input.style.width = "min(200px, 45vw)";
  const value = document.createElement("code");
  value.style.color = "inherit";
  value.style.background = "none";
  label.append(input, " ", value);
  return { label, input, value };
}

function render({ model, el }) {
  const problem = model.get("points");
  const choices = model.get("choices") || [];      // static page: the precomputed rates
  const epochChoices = model.get("epoch_choices") || [];
  const live = choices.length === 0;
  const root = document.createElement("div");
  root.className = "bp-lr-explorer";
  root.style.fontFamily = "sans-serif";
  root.style.maxWidth = "460px";

  const lr = live
    ? slider("learning rate", { min: Math.log10(model.get("lr_min")), max: Math.log10(model.get("lr_max")),
                                step: model.get("lr_step"), value: Math.log10(model.get("lr")) })
    : slider("learning rate", { min: 0, max: choices.length - 1, step: 1,
                                value: choices.indexOf(model.get("lr")) });
  const epochs = live
    ? slider("epochs", { min: 10, max: 1000, step: 10, value: model.get("epochs") })
    : slider("epochs", { min: 0, max: epochChoices.length - 1, step: 1,
                         value: epochChoices.indexOf(model.get("epochs")) });
  const seed = slider("init seed", { min: 0, max: 9, step: 1, value: model.get("seed") });
  const controls = document.createElement("div");
  // one control per line when the notebook is narrow
  Object.assign(controls.style, { display: "flex", flexWrap: "wrap", alignItems: "center", rowGap: "4px" });
  controls.append(lr.label, epochs.label);
  if (live) controls.append(seed.label);
  const message = document.createElement("p");
  message.className = "bp-lr-message";
  message.setAttribute("aria-live", "polite");
  message.style.fontWeight = "bold";
  message.style.margin = "4px 0";
  const canvas = document.createElement("canvas");
  canvas.className = "bp-lr-figure";
  canvas.setAttribute("role", "img");
  canvas.style.width = "100%";
  canvas.style.maxWidth = "460px";
  canvas.style.display = "block";
  root.append(controls, message, canvas);
  el.append(root);

  const lrValue = () => (live ? 10 ** Number(lr.input.value) : choices[Number(lr.input.value)]);
  const epochsValue = () => (live ? Number(epochs.input.value) : epochChoices[Number(epochs.input.value)]);
  function showControls() {
    lr.value.textContent = fmt3(lrValue());
    lr.input.setAttribute("aria-valuetext", "learning rate " + fmt3(lrValue()));
    epochs.value.textContent = String(epochsValue());
    epochs.input.setAttribute("aria-valuetext", epochsValue() + " epochs");
    seed.value.textContent = seed.input.value;
  }

  // latency of the learning-rate slider: from the key press (or drag) to the new picture
  let pending = null;
  const latencies = [];
  lr.input.addEventListener("keydown", () => { pending = { since: performance.now() }; });
  lr.input.addEventListener("pointerdown", () => { pending = { since: performance.now() }; });

  // Keys pressed on the sliders are theirs. JupyterLab hears keys as they bubble up to the
  // document and Notebook 7 as they go down to the slider, and both act on them in command
  // mode (the arrow keys select another cell): the slider's keys stop at the window, before
  // either hears them, and the slider still steps (its default action). Tab, Escape,
  // Shift+Enter and shortcuts with Ctrl, Cmd or Alt (Ctrl+S saves) go on to the notebook.
  // The same rule as the explorables' (bpbook/explorables/common.js).
  function keepKeys(event) {
    if (!root.contains(event.target) || !root.closest(".jp-OutputArea")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {     // leaves the explorer for the notebook, as in explorables/common.js
      setTimeout(() => {
        const cell = root.closest(".jp-Cell"), notebook = root.closest(".jp-Notebook");
        if (cell) cell.focus();
        if (document.activeElement !== cell && notebook) notebook.focus();
      }, 0);
      return;
    }
    if (event.key === "Tab" || (event.key === "Enter" && event.shiftKey)) return;
    if (event.target === lr.input) pending = { since: performance.now() };   // its listener is not reached
    event.stopPropagation();
  }
  window.addEventListener("keydown", keepKeys, true);

  function draw(error) {
    const run = model.get("run");
    if (!run) {   // a static page still loading the runs of this many epochs
      message.textContent = error ? `The runs of ${epochsValue()} epochs could not be loaded (${error.message}).`
                                  : `Loading the runs of ${epochsValue()} epochs…`;
      return;
    }
    drawRun(canvas, problem, run);
    message.textContent = run.message;
    canvas.setAttribute("aria-label", "Training loss per epoch and the fitted curve, learning rate "
                        + fmt3(run.lr) + ", " + run.epochs + " epochs: " + run.message);
    if (pending && pending.lr === run.lr && pending.epochs === run.epochs) {
      latencies.push(performance.now() - pending.since);
      root.dataset.latencies = latencies.map((t) => t.toFixed(1)).join(" ");
      pending = null;
    }
  }
  function send() {
    showControls();
    if (pending) Object.assign(pending, { lr: lrValue(), epochs: epochsValue() });
    model.set("lr", lrValue());
    model.set("epochs", epochsValue());
    if (live) model.set("seed", Number(seed.input.value));
    model.save_changes();
  }
  for (const s of [lr, epochs, seed]) s.input.addEventListener("input", send);
  // a static page loads its longer runs as soon as the reader reaches for the epochs slider
  if (model.prefetch) {
    for (const event of ["focus", "pointerdown"]) epochs.input.addEventListener(event, model.prefetch);
  }
  model.on("change:run", draw);
  showControls();
  draw();
  const resize = () => draw();
  window.addEventListener("resize", resize);
  return () => {
    model.off("change:run", draw);
    window.removeEventListener("resize", resize);
    window.removeEventListener("keydown", keepKeys, true);
  };
}

// On a static page: the runs bp computed at build time, behind the little of the
// anywidget model interface that render() uses. The runs of the longer trainings are
// most of the bytes; `lazy` is the <script data-bp-lazy> element that holds them, or
// that names the file the site's build moved them to (tools/sphinx/lazy_data.py): they
// are read, or loaded, the first time a reader asks for them.
function staticModel(data, lazy) {
  const state = { lr: data.lr, epochs: data.epochs, seed: data.seed };
  const handlers = [];
  let loading = null;
  function loadMore() {
    if (loading || data.runs.length === data.epoch_choices.length || !lazy) return loading;
    if (lazy.textContent.trim()) {          // kept in the page
      data.runs.push(...JSON.parse(lazy.textContent));
      loading = Promise.resolve();
    } else {                                // in a file of its own: a <script> works from file:// too
      loading = new Promise((resolve, reject) => {
        const tag = document.createElement("script");
        tag.src = lazy.dataset.src;
        tag.onload = () => { data.runs.push(...window.bpLazy[lazy.dataset.bpLazy]); resolve(); };
        tag.onerror = () => reject(new Error("could not load " + lazy.dataset.src));
        document.head.append(tag);
      });
    }
    return loading;
  }
  const runOf = () => {
    const runs = data.runs[data.epoch_choices.indexOf(state.epochs)];
    return runs ? runs[data.choices.indexOf(state.lr)] : null;   // null: not loaded yet
  };
  const notify = () => handlers.forEach((h) => h());
  return {
    get: (key) => (key === "run" ? runOf() : key in state ? state[key] : data[key]),
    set: (key, value) => { state[key] = value; },
    save_changes: () => {
      notify();
      if (!runOf() && loadMore()) loadMore().then(notify, (error) => handlers.forEach((h) => h(error)));
    },
    prefetch: () => { if (loadMore()) loadMore().catch(() => {}); },
    on: (event, handler) => handlers.push(handler),
    off: () => {},
  };
}

export default { render, staticModel };
