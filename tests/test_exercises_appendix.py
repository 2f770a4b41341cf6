"""The appendix's exercise solutions, executed: what their folded cells used to assert
(the cells printed the answers after Run All, so they left the notebook)."""
import json
import math
from pathlib import Path

import numpy as np

import bp
from bp.exercises import get

ROOT = Path(__file__).resolve().parent.parent


def test_exercise_1_dense_backward_does_twice_the_forward_multiplications():
    rng = np.random.default_rng(2)
    N, n_in, n_out = 4, 3, 5
    layer = bp.Dense(n_in, n_out, rng=rng)
    A, dZ = rng.normal(size=(N, n_in)), rng.normal(size=(N, n_out))
    layer.forward(A)
    dA_bp = layer.backward(dZ)
    W, count = layer.params["W"], {"forward": 0, "backward": 0}
    Z = np.zeros((N, n_out))
    for n in range(N):
        for j in range(n_out):
            for k in range(n_in):
                Z[n, j] += A[n, k] * W[j, k]
                count["forward"] += 1
    dW, dA = np.zeros_like(W), np.zeros_like(A)
    for j in range(n_out):
        for k in range(n_in):
            for n in range(N):
                dW[j, k] += dZ[n, j] * A[n, k]
                count["backward"] += 1
    for n in range(N):
        for k in range(n_in):
            for j in range(n_out):
                dA[n, k] += dZ[n, j] * W[j, k]
                count["backward"] += 1
    db, additions = dZ[0].copy(), 0
    for n in range(1, N):
        for j in range(n_out):
            db[j] += dZ[n, j]
            additions += 1
    assert np.allclose(dW, layer.grads["W"]) and np.allclose(dA, dA_bp)
    assert np.allclose(db, layer.grads["b"]) and additions == (N - 1) * n_out
    assert count["forward"] == N * n_in * n_out and count["backward"] == 2 * count["forward"]


def test_exercise_2_the_caches_take_10464_bytes_per_example():
    rng = np.random.default_rng(0)
    net = bp.Sequential([bp.Dense(784, 256, rng=rng), bp.ReLU(), bp.Dense(256, 10, rng=rng)])
    loss_fn = bp.CrossEntropyLoss()
    N = 128
    loss_fn.forward(net.forward(rng.normal(size=(N, 784))), rng.integers(0, 10, size=N))
    kept = sum(layer._cache.nbytes for layer in net.layers)
    kept += sum(np.asarray(part).nbytes for part in loss_fn._cache)
    assert kept == 10_464 * N
    assert math.isclose(kept / 1e6, get("A.2").reference)
    weights = sum(p.nbytes for _, p, _, _ in net.named_parameters())
    assert weights == 8 * 203_530


def test_exercise_3_the_counted_share_and_the_measured_one():
    results = json.loads((ROOT / "tools" / "benchmarks" / "results.json").read_text())
    shares = {}
    for name, g in results["gradient_vs_forward"].items():
        n0, H, n2 = g["sizes"]
        s = g["median_seconds"]
        shares[name] = (s["gradient_and_input"] - s["gradient"]) / s["gradient_and_input"]
    # the solution's claim: the large network spends about its counted share (0.33) on
    # the data's gradient, the small one much less than its 0.29
    assert 0.15 < shares["784-256-10"] < 0.5 and shares["64-128-10"] < shares["784-256-10"]


def test_exercise_4_float32_takes_half_the_bytes_for_the_same_product():
    product = {}
    for dtype in (np.float64, np.float32):
        A = np.random.default_rng(0).normal(size=(512, 512)).astype(dtype)
        product[dtype.__name__] = A @ A
    assert product["float32"].nbytes * 2 == product["float64"].nbytes
    assert bp.relative_error(product["float32"].astype(np.float64), product["float64"]) < 1e-5
