"""How fast is bp? Training epochs and gradients timed against PyTorch and scikit-learn.

    make bench   (installs tools/benchmarks/requirements.txt into .venv/, then runs this file)

One process, one thread for every library. Prints the medians and the ratios
(bp time / other time: below 1 means bp is faster) and writes every figure,
with the machine it was measured on, to tools/benchmarks/results.json, which
the book page "How fast is bp?" (book/A_how_fast.ipynb) displays.

Four files, read in this order:
  harness.py     one thread per library, timing (alternate, medians), agreement, the machine
  contenders.py  one SGD epoch as bp, PyTorch and scikit-learn train; PyTorch twins of bp's layers
  bench.py       this file: what is measured, each comparison checked for agreement first
  report.py      the table of goals and results.json

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
from tools.benchmarks import harness  # first: it sets one thread per library before numpy and torch load

import datetime
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

import bp
from tools.benchmarks import report
from tools.benchmarks.contenders import CONTENDERS, torch_conv2d_like, torch_rnn_like
from tools.benchmarks.harness import AGREE_RTOL, SEED, alternate, per_call, relative


# --- one epoch of minibatch SGD: bp, PyTorch and scikit-learn ---------------------------


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
        return [bp.numerical_gradient(cost, param) for _, param, _, _ in net.named_parameters()]

    backprop()  # check that both give the same gradient before timing them
    numeric = finite_differences()
    err = max(bp.relative_error(layer.grads[key], g)
              for (_, _, layer, key), g in zip(net.named_parameters(), numeric))
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
    tconv = torch_conv2d_like(conv)
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
    trnn = torch_rnn_like(rnn)
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


# --- the data and the run ---------------------------------------------------------------------------------


def synthetic(n, n_in, n_classes, seed):
    """Random inputs in [0, 1) (like pixels) labelled by a random linear teacher."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, n_in))
    y = np.argmax((X - 0.5) @ rng.normal(size=(n_in, n_classes)), axis=1)
    return X, y.astype(np.int64)


def main():
    started = time.perf_counter()
    info = harness.machine()
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

    total = time.perf_counter() - started
    info["load_average_end"] = list(os.getloadavg())
    results = {"machine": info, "epochs": epochs, "matmul": matmul, "gradient_vs_forward": grad_fwd,
               "finite_differences": fd, "imports": imports, "conv2d": conv, "rnn": rnn,
               "total_seconds": total,
               "notes": {"ratio": "bp time / other time: below 1 means bp is faster",
                         "bp_epoch": "bp.fit(net, loss, X, y, SGD, epochs=1, batch_size, rng) timed as a whole",
                         "matmul_flops": "forward and dC/dW products of every layer, dC/d(input) of every "
                                         "layer but the first (whose input is the data)"}}
    results["goals"] = report.goal_rows(results)
    report.write_results(results)
    report.print_table(results["goals"], info, total)


if __name__ == "__main__":
    main()
