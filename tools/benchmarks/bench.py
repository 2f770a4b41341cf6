"""How fast is bp? Training epochs and gradients timed against PyTorch and scikit-learn.

    make bench   (installs tools/benchmarks/requirements.txt into .venv/, then runs this file)

One process, one thread for every library. Prints the medians and the ratios
(bp time / other time: below 1 means bp is faster) and writes every figure,
with the machine it was measured on, to tools/benchmarks/results.json, which
the book page "How fast is bp?" (book/11_how_fast.ipynb) displays.

Fairness rules (each comparison follows all of them):

- one thread: OMP/OPENBLAS/MKL_NUM_THREADS=1 are set below before numpy is
  imported, and torch.set_num_threads(1);
- the same network (Dense-ReLU-Dense, softmax cross-entropy as the mean over the
  batch), the same initial weights (bp's, copied into torch.nn.Linear and into
  MLPClassifier's coefs_/intercepts_, which store W transposed), the same learning
  rate, plain SGD (no momentum, no weight decay), float64 everywhere;
- the same batches in the same order: each epoch's shuffle is
  numpy.random.default_rng(seed).permutation(N). PyTorch gets those indices;
  scikit-learn gets the data permuted by them (MLPClassifier with shuffle=False,
  the permutation is inside its timed epoch); bp.fit is timed itself and is
  given a Generator with the same seed, from which it draws the same permutation;
- before any timing, one epoch from the same start must give the same epoch loss
  (and the same weights) to a relative 1e-10 in every library, or that
  comparison is aborted with a message;
- the contenders alternate (bp, torch, sklearn, bp, torch, ...) and the medians
  are compared; every timed epoch starts from the same initial weights, untimed
  garbage collection runs before each timed run and the collector is off during it.
"""
import os

# One thread for every library. This must happen before numpy (OpenBLAS) or torch
# (MKL, OpenMP) is imported: the libraries read these variables when they load.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import datetime  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

import bp  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
warnings.filterwarnings("ignore", category=ConvergenceWarning)  # max_iter=1 is on purpose

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
AGREE_RTOL = 1e-10
SEED = 2024


# --- timing -----------------------------------------------------------------------------


def timed(run):
    """Seconds taken by run(), with the garbage collector off during the run."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def alternate(contenders, repeats, prepare=None):
    """Time each contender `repeats` times, in turn: a, b, c, a, b, c, ...

    contenders: {name: callable(r)} (r = repeat number); prepare: optional
    {name: callable(r)} run, untimed, just before. Returns {name: [seconds, ...]}.
    """
    times = {name: [] for name in contenders}
    for r in range(repeats):
        for name, run in contenders.items():
            if prepare is not None:
                prepare[name](r)
            times[name].append(timed(lambda: run(r)))
    return times


def per_call(run, number):
    """A callable that runs `run` `number` times (to time something short as a block)."""
    def block(_r=None):
        for _ in range(number):
            run()
    return block


def relative(a, b):
    """max|a - b| / max(|a|, |b|) over all entries (0 when both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))))
    return float(np.max(np.abs(a - b))) / scale if scale > 0 else 0.0


# --- the three contenders for one epoch of minibatch SGD ----------------------------------


def order_of(seed, n):
    """The shuffle of one epoch: what bp.fit draws from default_rng(seed)."""
    return np.random.default_rng(seed).permutation(n)


class BpFit:
    """bp.fit(..., epochs=1, batch_size, rng=default_rng(seed)): the way a reader trains."""

    name = "bp"

    def __init__(self, sizes, weights, X, y, batch_size, lr):
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i:
                layers.append(bp.ReLU())
            layers.append(bp.Dense(n_in, n_out, init="zeros"))
        self.net = bp.Sequential(layers)
        self.dense = [layer for layer in self.net.layers if isinstance(layer, bp.Dense)]
        self.loss = bp.CrossEntropyLoss()
        self.opt = bp.SGD(self.net, lr)
        self.X, self.y, self.batch_size, self.weights0 = X, y, batch_size, weights
        self.reset()

    def reset(self):
        for layer, (W, b) in zip(self.dense, self.weights0):
            layer.params["W"][...] = W  # in place: SGD updates these same arrays
            layer.params["b"][...] = b

    def epoch(self, seed):
        history = bp.fit(self.net, self.loss, self.X, self.y, self.opt, epochs=1,
                         batch_size=self.batch_size, rng=np.random.default_rng(seed))
        return history.loss[0]

    def weights(self):
        return [(layer.params["W"].copy(), layer.params["b"].copy()) for layer in self.dense]


class Torch:
    """The usual PyTorch loop: zero_grad, forward, CrossEntropyLoss, backward, SGD step."""

    name = "torch"

    def __init__(self, sizes, weights, X, y, batch_size, lr):
        modules = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i:
                modules.append(torch.nn.ReLU())
            modules.append(torch.nn.Linear(n_in, n_out, dtype=torch.float64))
        self.model = torch.nn.Sequential(*modules)
        self.linear = [m for m in modules if isinstance(m, torch.nn.Linear)]
        self.loss = torch.nn.CrossEntropyLoss()  # mean over the batch, like bp's
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)  # no momentum, no decay
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)  # shares memory: no copy
        self.batch_size, self.weights0 = batch_size, weights
        self.reset()

    def reset(self):
        with torch.no_grad():
            for linear, (W, b) in zip(self.linear, self.weights0):
                linear.weight.copy_(torch.from_numpy(W))  # nn.Linear stores W as (n_out, n_in), as bp
                linear.bias.copy_(torch.from_numpy(b))

    def epoch(self, seed):
        order = torch.from_numpy(order_of(seed, len(self.X)))
        total = 0.0
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            self.opt.zero_grad()
            loss = self.loss(self.model(self.X[idx]), self.y[idx])
            loss.backward()
            self.opt.step()
            total += loss.item() * len(idx)
        return total / len(order)

    def weights(self):
        return [(m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy()) for m in self.linear]


class Sklearn:
    """MLPClassifier(solver="sgd"), one epoch per fit() on the data permuted by the epoch's order."""

    name = "sklearn"

    def __init__(self, sizes, weights, X, y, batch_size, lr):
        self.clf = MLPClassifier(
            hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", solver="sgd", alpha=0.0,
            batch_size=batch_size, learning_rate="constant", learning_rate_init=lr,
            momentum=0.0, nesterovs_momentum=False, shuffle=False, max_iter=1,
            warm_start=True, early_stopping=False, n_iter_no_change=10**9)
        # One partial_fit on one example of each class creates the model's attributes
        # (classes, softmax output); the weights are then replaced by bp's in reset().
        one_each = [np.flatnonzero(y == k)[0] for k in range(sizes[-1])]
        with warnings.catch_warnings():  # "batch_size larger than sample size": expected here
            warnings.simplefilter("ignore", UserWarning)
            self.clf.partial_fit(X[one_each], y[one_each], classes=np.arange(sizes[-1]))
        self.X, self.y, self.weights0 = X, y, weights
        self.reset()

    def reset(self):
        self.clf.coefs_ = [W.T.copy() for W, _ in self.weights0]  # sklearn: (n_in, n_out)
        self.clf.intercepts_ = [b.copy() for _, b in self.weights0]

    def epoch(self, seed):
        order = order_of(seed, len(self.X))
        self.clf.fit(self.X[order], self.y[order])
        return self.clf.loss_  # mean over the epoch of each batch's mean loss, as bp.fit's

    def weights(self):
        return [(W.T.copy(), b.copy()) for W, b in zip(self.clf.coefs_, self.clf.intercepts_)]


CONTENDERS = (BpFit, Torch, Sklearn)


def matmul_flops(sizes, n_examples):
    """Floating-point operations of the matrix products one epoch of training needs.

    Per layer of n_in -> n_out and example: 2 n_in n_out for the forward product,
    as many for dC/dW, and as many for dC/d(input) except for the first layer,
    whose input is the data (PyTorch and scikit-learn skip that product).
    """
    flops = 0
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        flops += (2 if i == 0 else 3) * 2 * n_in * n_out
    return flops * n_examples


def compare_epochs(title, X, y, sizes, batch_size, lr, repeats, extra=None):
    """Check that bp, PyTorch and scikit-learn agree on one epoch, then time them alternately."""
    print(f"\n== {title}: {'-'.join(map(str, sizes))}, batch {batch_size}, lr {lr}, "
          f"{len(X)} examples ({-(-len(X) // batch_size)} steps per epoch) ==")
    rng = np.random.default_rng(SEED)
    init = bp.Sequential([bp.Dense(a, b, rng=rng) for a, b in zip(sizes[:-1], sizes[1:])])
    weights = [(layer.params["W"].copy(), layer.params["b"].copy()) for layer in init.layers]
    runners = {cls.name: cls(sizes, weights, X, y, batch_size, lr) for cls in CONTENDERS}

    # 1. Agreement: one epoch from the same weights with the same batches.
    losses, finals = {}, {}
    for name, runner in runners.items():
        runner.reset()
        losses[name] = runner.epoch(SEED)
        finals[name] = runner.weights()
    agreement = {}
    for name in ("torch", "sklearn"):
        loss_err = abs(losses[name] - losses["bp"]) / abs(losses["bp"])
        weight_err = max(relative(Wo, Wb) for (Wo, _), (Wb, _) in zip(finals[name], finals["bp"]))
        weight_err = max([weight_err] + [relative(bo, bb) for (_, bo), (_, bb) in zip(finals[name], finals["bp"])])
        agreement[name] = {"loss_rel_diff": loss_err, "weights_rel_diff": weight_err}
    print("agreement after one epoch (epoch loss: " +
          ", ".join(f"{n} {v:.15g}" for n, v in losses.items()) + "):")
    disagree = []
    for name, a in agreement.items():
        good = a["loss_rel_diff"] <= AGREE_RTOL and a["weights_rel_diff"] <= AGREE_RTOL
        if not good:
            disagree.append(name)
        print(f"  bp vs {name:8s} loss rel. diff {a['loss_rel_diff']:.1e}, weights rel. diff "
              f"{a['weights_rel_diff']:.1e}  -> {'agree' if good else 'DISAGREE'}")
    result = {"title": title, "sizes": list(sizes), "batch_size": batch_size, "lr": lr,
              "n_examples": len(X), "repeats": repeats, "epoch_loss": losses, "agreement": agreement,
              "agree_rtol": AGREE_RTOL}
    if disagree:
        result["aborted"] = (f"bp and {' and '.join(disagree)} do not agree to a relative {AGREE_RTOL:g} "
                             f"after one epoch from the same weights; not timed")
        print(f"ABORTED {title}: {result['aborted']}")
        return result

    # 2. Timing: every run starts from the same weights (reset, untimed) and uses the
    #    shuffle of seed r, the same for every contender.
    contenders = {name: (lambda r, run=runner: run.epoch(SEED + 1 + r)) for name, runner in runners.items()}
    prepare = {name: (lambda r, run=runner: run.reset()) for name, runner in runners.items()}
    if extra is not None:
        extra(contenders, prepare)
    times = alternate(contenders, repeats, prepare)
    medians = {name: statistics.median(t) for name, t in times.items()}
    result["seconds"] = times
    result["median_seconds"] = medians
    result["ratio_bp_torch"] = medians["bp"] / medians["torch"]
    result["ratio_bp_sklearn"] = medians["bp"] / medians["sklearn"]
    result["matmul_gflop_per_epoch"] = matmul_flops(sizes, len(X)) / 1e9
    for name, m in medians.items():
        what = "epoch" if name in runners else "run  "
        print(f"  {name:8s} median {what} {m * 1e3:9.2f} ms  (min {min(times[name]) * 1e3:.2f}, "
              f"max {max(times[name]) * 1e3:.2f}, {len(times[name])} runs)")
    print(f"  bp / torch = {result['ratio_bp_torch']:.3f}   bp / sklearn = {result['ratio_bp_sklearn']:.3f}")
    return result


# --- gradients: cost of backprop against a forward pass and against finite differences ----


def small_batch(sizes, n, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if i:
            layers.append(bp.ReLU())
        layers.append(bp.Dense(n_in, n_out, rng=rng))
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], n)
    return bp.Sequential(layers), bp.CrossEntropyLoss(), X, y


def gradient_vs_forward(sizes, n, number, repeats):
    """Time of forward+loss+backward over time of forward+loss (bp, one batch).

    The gradient is the parameters' one, as bp.fit computes it (input_grad=False);
    the gradient that also includes dC/dX is timed too, for information.
    """
    net, loss, X, y = small_batch(sizes, n, SEED)

    def forward():
        loss.forward(net.forward(X), y)

    def gradient():
        loss.forward(net.forward(X), y)
        net.backward(loss.backward(), input_grad=False)

    def gradient_and_input():
        loss.forward(net.forward(X), y)
        net.backward(loss.backward())

    times = alternate({"forward": per_call(forward, number), "gradient": per_call(gradient, number),
                       "gradient_and_input": per_call(gradient_and_input, number)}, repeats)
    med = {k: statistics.median(v) / number for k, v in times.items()}
    ratio = med["gradient"] / med["forward"]
    ratio_input = med["gradient_and_input"] / med["forward"]
    print(f"  {'-'.join(map(str, sizes))}, batch {n}: forward+loss {med['forward'] * 1e6:.1f} us, "
          f"+ backward {med['gradient'] * 1e6:.1f} us -> ratio {ratio:.2f} "
          f"(with dC/dX too: {med['gradient_and_input'] * 1e6:.1f} us, ratio {ratio_input:.2f})")
    return {"sizes": list(sizes), "batch_size": n, "median_seconds": med, "ratio": ratio,
            "ratio_with_input_gradient": ratio_input}


def finite_differences_vs_backprop(sizes, n, repeats):
    """Time of a centred finite-difference gradient of every parameter over one backprop gradient."""
    net, loss, X, y = small_batch(sizes, n, SEED)
    P = net.n_params

    def cost():
        return loss.forward(net.forward(X), y)

    def backprop():
        cost()
        net.backward(loss.backward())

    def finite_differences(_r=None):
        return [bp.numerical_gradient(cost, param) for _, param, _ in net.parameters()]

    backprop()  # check that both give the same gradient before timing them
    numeric = finite_differences()
    err = max(bp.relative_error(layer.grads[name.split(".", 1)[1]], g)
              for (name, _, layer), g in zip(net.parameters(), numeric))
    number = 200
    times = alternate({"finite_differences": finite_differences, "backprop": per_call(backprop, number)},
                      repeats)
    fd = statistics.median(times["finite_differences"])
    bpt = statistics.median(times["backprop"]) / number
    ratio = fd / bpt
    print(f"  {'-'.join(map(str, sizes))}, batch {n}, P = {P} parameters: finite differences "
          f"{fd * 1e3:.2f} ms, backprop {bpt * 1e6:.1f} us -> ratio {ratio:.0f} "
          f"(0.5 P = {0.5 * P:g}); gradients agree to {err:.1e}")
    return {"sizes": list(sizes), "batch_size": n, "n_params": P, "grad_rel_error": err,
            "median_seconds": {"finite_differences": fd, "backprop": bpt}, "ratio": ratio,
            "goal": 0.5 * P}


# --- import time -------------------------------------------------------------------------


def import_times(repeats):
    """Whole-process time of `python -c "import bp"` and `python -c "import numpy"`, alternating."""
    def run(module):
        return lambda _r=None: subprocess.run([sys.executable, "-c", f"import {module}"], check=True)

    contenders = {"bp": run("bp"), "numpy": run("numpy")}
    for go in contenders.values():  # warm the file cache
        go()
    times = alternate(contenders, repeats)
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["bp"] / med["numpy"]
    print(f"  python -c 'import bp' {med['bp'] * 1e3:.1f} ms, python -c 'import numpy' "
          f"{med['numpy'] * 1e3:.1f} ms -> ratio {ratio:.2f}")
    return {"median_seconds": med, "seconds": times, "ratio": ratio}


# --- layers: Conv2D and RNN forward + backward -----------------------------------------------


def layer_comparison(title, bp_layer, torch_layer, torch_forward, X, dY, grad_pairs, number, repeats):
    """Check bp_layer against torch_layer (output, parameter and input gradients), then time both.

    grad_pairs: [(name, bp gradient key or None for the input, function(torch) -> tensor grad)].
    """
    Xt = torch.from_numpy(X.copy()).requires_grad_(True)  # the input gradient is computed by both
    dYt = torch.from_numpy(dY)

    def bp_step():
        bp_layer.forward(X)
        return bp_layer.backward(dY)

    def torch_step():
        torch_layer.zero_grad(set_to_none=True)
        Xt.grad = None
        out = torch_forward(Xt)
        out.backward(dYt)
        return out

    Y = bp_layer.forward(X)
    dX = bp_layer.backward(dY)
    out = torch_step()
    errors = {"output": relative(Y, out.detach().numpy()), "input": relative(dX, Xt.grad.numpy())}
    for name, key, get in grad_pairs:
        errors[name] = relative(bp_layer.grads[key], get().numpy())
    worst = max(errors.values())
    ok = worst <= AGREE_RTOL
    print(f"  {title}: agreement (output, gradients) worst rel. diff {worst:.1e} -> "
          f"{'agree' if ok else 'DISAGREE'}")
    result = {"title": title, "agreement": errors, "agree_rtol": AGREE_RTOL}
    if not ok:
        result["aborted"] = f"bp and PyTorch disagree ({worst:.1e} > {AGREE_RTOL:g}); not timed"
        print(f"ABORTED {title}: {result['aborted']}")
        return result
    times = alternate({"bp": per_call(bp_step, number), "torch": per_call(torch_step, number)}, repeats)
    med = {k: statistics.median(v) / number for k, v in times.items()}
    result.update(median_seconds=med, ratio=med["bp"] / med["torch"])
    print(f"    bp {med['bp'] * 1e6:.1f} us, torch {med['torch'] * 1e6:.1f} us per forward+backward "
          f"-> ratio {result['ratio']:.2f}")
    return result


def conv_comparison(number, repeats):
    N, C_in, C_out, H, W, k, pad = 32, 1, 8, 8, 8, 3, 1
    rng = np.random.default_rng(SEED)
    conv = bp.Conv2D(C_in, C_out, k, padding=pad, rng=rng)
    tconv = torch.nn.Conv2d(C_in, C_out, k, padding=pad, dtype=torch.float64)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(conv.params["W"]))
        tconv.bias.copy_(torch.from_numpy(conv.params["b"]))
    X = rng.normal(size=(N, C_in, H, W))
    dY = rng.normal(size=(N, C_out, H, W))
    title = f"Conv2D N={N}, {C_in}->{C_out} channels, {k}x{k}, padding {pad}, {H}x{W}"
    result = layer_comparison(title, conv, tconv, tconv, X, dY,
                              [("W", "W", lambda: tconv.weight.grad), ("b", "b", lambda: tconv.bias.grad)],
                              number, repeats)
    result["shape"] = {"N": N, "c_in": C_in, "c_out": C_out, "H": H, "W": W, "kernel": k, "padding": pad}
    return result


def rnn_comparison(number, repeats):
    N, T, n_in, n_hidden = 32, 20, 8, 32
    rng = np.random.default_rng(SEED)
    rnn = bp.RNN(n_in, n_hidden, rng=rng)
    trnn = torch.nn.RNN(n_in, n_hidden, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        trnn.weight_ih_l0.copy_(torch.from_numpy(rnn.params["W_xh"]))
        trnn.weight_hh_l0.copy_(torch.from_numpy(rnn.params["W_hh"]))
        trnn.bias_ih_l0.copy_(torch.from_numpy(rnn.params["b"]))  # bp's b is b_ih + b_hh
        trnn.bias_hh_l0.zero_()
    X = rng.normal(size=(N, T, n_in))
    dH = rng.normal(size=(N, T, n_hidden))
    title = f"RNN N={N}, T={T}, {n_in}->{n_hidden} (tanh)"
    result = layer_comparison(title, rnn, trnn, lambda Xt: trnn(Xt)[0], X, dH,
                              [("W_xh", "W_xh", lambda: trnn.weight_ih_l0.grad),
                               ("W_hh", "W_hh", lambda: trnn.weight_hh_l0.grad),
                               ("b", "b", lambda: trnn.bias_ih_l0.grad)],
                              number, repeats)
    result["shape"] = {"N": N, "T": T, "n_in": n_in, "n_hidden": n_hidden}
    return result


# --- the machine ------------------------------------------------------------------------------


def machine():
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info
        pools = [{"library": p.get("internal_api"), "file": Path(p.get("filepath", "")).name,
                  "num_threads": p.get("num_threads")} for p in threadpool_info()]
    except ImportError:  # pragma: no cover - scikit-learn depends on threadpoolctl
        pools = []
    torch_blas = re.findall(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return {
        "cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
        "sklearn": sklearn.__version__, "bp": bp.__version__,
        "numpy_blas": np.__config__.CONFIG["Build Dependencies"]["blas"]["name"],
        "torch_blas": torch_blas[0] if torch_blas else "unknown",
        "torch_threads": torch.get_num_threads(), "threadpools": pools,
        "load_average_start": list(os.getloadavg()),
    }


# --- main ---------------------------------------------------------------------------------


def synthetic(n, n_in, n_classes, seed):
    """Random inputs in [0, 1) (like pixels) labelled by a random linear teacher."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, n_in))
    y = np.argmax((X - 0.5) @ rng.normal(size=(n_in, n_classes)), axis=1)
    return X, y.astype(np.int64)


def goal_row(key, figure, value, op, target, kind="goal", shown=None, goal=None):
    """One line of the final table. op is "<=" or ">="; kind "goal" or "aim"; value None if aborted."""
    if value is None:
        met, shown = False, "aborted"
    else:
        met = value <= target if op == "<=" else value >= target
        shown = shown or f"{value:.2f}"
    return {"key": key, "figure": figure, "value": value, "shown": shown, "op": op, "target": target,
            "goal": goal or f"{op} {target:g}" + (" (aim)" if kind == "aim" else ""), "kind": kind,
            "met": bool(met)}


README = Path(__file__).with_name("README.md")
START, END = "<!-- the run: written by bench.py -->", "<!-- end of the run -->"


def run_section(results):
    """The README's section on the last run, in Markdown, from the figures just measured."""
    info, epochs, matmul = results["machine"], results["epochs"], results["matmul"]
    lines = [f"Measured with `make bench` on {info['date']} on this machine: {info['cpu']}, "
             f"{info['cores']} cores, {info['platform']}; Python {info['python']}, numpy {info['numpy']} "
             f"({info['numpy_blas']}), PyTorch {info['torch']} ({info['torch_blas']}), scikit-learn "
             f"{info['sklearn']}; one thread each. Load average {info['load_average_start'][0]:.2f} at the "
             f"start and {info['load_average_end'][0]:.2f} at the end; total run time "
             f"{results['total_seconds']:.0f} s. These are the figures in `results.json`.", "",
             "| figure | measured | goal | met |", "|---|---|---|---|"]
    lines += [f"| {r['figure']} | {r['shown']} | {r['goal']} | {'yes' if r['met'] else 'no'} |"
              for r in results["goals"]]
    lines += ["", "Median epoch times behind the ratios:", "",
              "| network | bp (`bp.fit`) | PyTorch | scikit-learn |", "|---|---|---|---|"]
    for key, label in (("digits_32", "64-32-10, batch 32, digits"), ("digits_128", "64-128-10, batch 32, digits"),
                       ("synthetic_784", "784-256-10, batch 128, 60000 synthetic")):
        med = epochs[key].get("median_seconds", {})
        cells = [f"{med[c] * 1e3:.4g} ms" if c in med else "-" for c in ("bp", "torch", "sklearn")]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if matmul:
        lines += ["", f"On 784-256-10 bp does the epoch's {epochs['synthetic_784']['matmul_gflop_per_epoch']:.1f} "
                      f"GFLOP of matrix products at {matmul['bp_gflops']:.1f} GFLOP/s; numpy's 1024x1024 "
                      f"product ran at {matmul['numpy_gflops']:.1f} GFLOP/s in the same run."]
    return "\n".join(lines)


def update_readme(results):
    """Replace the section between the README's markers with this run's figures."""
    text = README.read_text()
    if START not in text or END not in text:
        print(f"note: {README} has no markers for the run's section; not updated")
        return
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(before + START + "\n" + run_section(results) + "\n" + END + after)


def main():
    started = time.perf_counter()
    info = machine()
    info["date"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    print(f"bp benchmark, {info['date']}")
    print(f"{info['cpu']}, {info['cores']} cores; python {info['python']}, numpy {info['numpy']} "
          f"({info['numpy_blas']}), torch {info['torch']} ({info['torch_blas']}), scikit-learn "
          f"{info['sklearn']}; threads: torch {info['torch_threads']}, " +
          ", ".join(f"{p['file']} {p['num_threads']}" for p in info["threadpools"]))

    digits = bp.datasets.digits()
    Xd, yd = digits.X_train, digits.y_train
    Xs, ys = synthetic(60_000, 784, 10, SEED)

    epochs = {}
    epochs["digits_32"] = compare_epochs("digits", Xd, yd, (64, 32, 10), 32, 0.1, repeats=31)
    epochs["digits_128"] = compare_epochs("digits", Xd, yd, (64, 128, 10), 32, 0.1, repeats=31)

    # The large net: also time numpy's own 1024 x 1024 product between its epochs.
    A, B = np.random.default_rng(1).random((2, 1024, 1024))

    def add_matmul(contenders, prepare):
        contenders["numpy 1024x1024 matmul x10"] = per_call(lambda: A @ B, 10)
        prepare["numpy 1024x1024 matmul x10"] = lambda r: None

    epochs["synthetic_784"] = compare_epochs("synthetic", Xs, ys, (784, 256, 10), 128, 0.05,
                                             repeats=7, extra=add_matmul)
    big = epochs["synthetic_784"]
    matmul = {}
    if "median_seconds" in big:
        mm = big["median_seconds"].pop("numpy 1024x1024 matmul x10") / 10
        matmul_times = [t / 10 for t in big["seconds"].pop("numpy 1024x1024 matmul x10")]
        numpy_gflops = 2 * 1024 ** 3 / mm / 1e9
        bp_gflops = big["matmul_gflop_per_epoch"] / big["median_seconds"]["bp"]
        matmul = {"numpy_1024_seconds": matmul_times, "numpy_gflops": numpy_gflops, "bp_gflops": bp_gflops,
                  "ratio": bp_gflops / numpy_gflops}
        print(f"  matmul throughput: bp epoch {bp_gflops:.1f} GFLOP/s "
              f"({big['matmul_gflop_per_epoch']:.1f} GFLOP per epoch), numpy 1024x1024 "
              f"{numpy_gflops:.1f} GFLOP/s -> ratio {matmul['ratio']:.2f}")

    print("\n== one backprop gradient / one forward pass (bp) ==")
    grad_fwd = {"64-128-10": gradient_vs_forward((64, 128, 10), 32, number=200, repeats=15),
                "784-256-10": gradient_vs_forward((784, 256, 10), 128, number=5, repeats=15)}
    print("\n== finite-difference gradient / backprop gradient (bp) ==")
    fd = finite_differences_vs_backprop((10, 16, 5), 32, repeats=7)
    print("\n== import time, fresh interpreter ==")
    imports = import_times(repeats=10)
    print("\n== layers: forward + backward, bp / PyTorch ==")
    conv = conv_comparison(number=100, repeats=15)
    rnn = rnn_comparison(number=50, repeats=15)

    # The table of goals.
    rows = []
    names = {"digits_32": "64-32-10, batch 32, digits", "digits_128": "64-128-10, batch 32, digits",
             "synthetic_784": "784-256-10, batch 128, 60000 synthetic"}
    torch_goal = {"digits_32": 0.5, "digits_128": 0.5, "synthetic_784": 1.2}
    for key, label in names.items():
        rows.append(goal_row(f"torch_{key}", f"bp / PyTorch epoch, {label}",
                             epochs[key].get("ratio_bp_torch"), "<=", torch_goal[key]))
    for key, label in names.items():
        rows.append(goal_row(f"sklearn_{key}", f"bp / scikit-learn epoch, {label}",
                             epochs[key].get("ratio_bp_sklearn"), "<=", 0.8))
    rows.append(goal_row("matmul", "bp matmul throughput (784-256-10) / numpy 1024x1024 matmul",
                         matmul.get("ratio"), ">=", 0.5))
    for key, g in grad_fwd.items():
        rows.append(goal_row(f"grad_forward_{key}", f"backprop gradient / forward pass, {key}, "
                             f"batch {g['batch_size']}", g["ratio"], "<=", 3))
    rows.append(goal_row("finite_differences", f"finite-difference gradient / backprop, "
                         f"{'-'.join(map(str, fd['sizes']))} (P = {fd['n_params']})", fd["ratio"], ">=",
                         fd["goal"], shown=f"{fd['ratio']:.0f}", goal=f">= {fd['goal']:g} (0.5 P)"))
    rows.append(goal_row("import", "import bp / import numpy (whole process)", imports["ratio"], "<=", 2))
    for key, layer in (("conv2d", conv), ("rnn", rnn)):
        name = layer["title"].split(" ")[0]
        rows.append(goal_row(key, f"bp / PyTorch {name} forward+backward", layer.get("ratio"), "<=", 2,
                             kind="aim"))

    total = time.perf_counter() - started
    info["load_average_end"] = list(os.getloadavg())
    results = {"machine": info, "epochs": epochs, "matmul": matmul, "gradient_vs_forward": grad_fwd,
               "finite_differences": fd, "imports": imports, "conv2d": conv, "rnn": rnn,
               "goals": rows, "total_seconds": total,
               "notes": {"ratio": "bp time / other time: below 1 means bp is faster",
                         "bp_epoch": "bp.fit(net, loss, X, y, SGD, epochs=1, batch_size, rng) timed as a whole",
                         "matmul_flops": "forward and dC/dW products of every layer, dC/d(input) of every "
                                         "layer but the first (whose input is the data)"}}
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")

    width = max(len(r["figure"]) for r in rows)
    print(f"\n{'figure':<{width}}  {'measured':>9}  {'goal':<20} met")
    print("-" * (width + 38))
    for r in rows:
        print(f"{r['figure']:<{width}}  {r['shown']:>9}  {r['goal']:<20} {'yes' if r['met'] else 'NO'}")
    print(f"\n{sum(r['met'] for r in rows)} of {len(rows)} goals and aims met; total time {total:.0f} s; "
          f"load average at start {info['load_average_start'][0]:.2f}, at end {info['load_average_end'][0]:.2f}")
    update_readme(results)
    print(f"wrote {RESULTS} and the table in {README}")


if __name__ == "__main__":
    main()
