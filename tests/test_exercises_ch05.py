"""Chapter 5's exercise solutions, executed: what their folded cells used to assert."""
import numpy as np
import sympy as sp

import bp
from bp.exercises import chapter05, get


def test_exercise_1_sympy_differentiates_the_cost_to_the_stated_slopes():
    s = get("05.1").symbols()
    a = 1 / (1 + sp.exp(-(s["w"] * s["x"] + s["b"])))
    cost = (a - s["y"]) ** 2
    assert sp.simplify(sp.diff(cost, s["w"]) - 2 * (a - s["y"]) * a * (1 - a) * s["x"]) == 0
    assert sp.simplify(sp.diff(cost, s["b"]) - get("05.1").reference) == 0


def test_exercise_3_the_sigmoid_factor_cancels():
    y, z = sp.symbols("y z", real=True)
    a = 1 / (1 + sp.exp(-z))
    cross_entropy = -y * sp.log(a) - (1 - y) * sp.log(1 - a)
    assert sp.simplify(sp.diff(cross_entropy, z) - (a - y)) == 0
    # the check's dC/da, by sympy, at a as a symbol
    s = get("05.3").symbols()
    by_sympy = sp.diff(-s["y"] * sp.log(s["a"]) - (1 - s["y"]) * sp.log(1 - s["a"]), s["a"])
    assert sp.simplify(by_sympy - get("05.3").reference) == 0


def test_exercise_5_the_backward_pass_without_decay_equals_bps_layers():
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
    net = bp.Sequential([bp.Dense(3, 4, rng=rng), bp.Tanh(), bp.Dense(4, 2, rng=rng)])
    W1, b1 = net.layers[0].params["W"], net.layers[0].params["b"]
    W2, b2 = net.layers[2].params["W"], net.layers[2].params["b"]
    mine = dict(zip(["0.W", "0.b", "2.W", "2.b"], chapter05.backward_two_layers(X, y, W1, b1, W2, b2)))
    loss = bp.CrossEntropyLoss()
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    for name, _, layer, key in net.named_parameters():
        assert np.allclose(mine[name], layer.grads[key], rtol=1e-12, atol=1e-15), name
    # with lambda = 0 the exercise's reference is the same backward pass
    assert all(np.array_equal(a, b) for a, b in zip(get("05.5").reference(X, y, W1, b1, W2, b2, 0.0),
                                                   chapter05.backward_two_layers(X, y, W1, b1, W2, b2)))


def test_exercise_5_the_reference_is_the_gradient_of_the_penalised_cost():
    """Finite differences of bp's cross-entropy plus lam/2 (|W1|^2 + |W2|^2), the weights
    alone: the solution's claim that (BP3) gains lam W^l, with no 1/N, and (BP4) nothing."""
    rng = np.random.default_rng(6)
    X, y, lam = rng.normal(size=(7, 3)), rng.integers(0, 2, size=7), 0.3
    net = bp.Sequential([bp.Dense(3, 4, rng=rng), bp.Tanh(), bp.Dense(4, 2, rng=rng)])
    W1, b1 = net.layers[0].params["W"], net.layers[0].params["b"]
    W2, b2 = net.layers[2].params["W"], net.layers[2].params["b"]
    loss = bp.CrossEntropyLoss()

    def cost():
        return loss.forward(net.forward(X), y) + lam / 2 * (np.sum(W1 ** 2) + np.sum(W2 ** 2))

    reference = get("05.5").reference(X, y, W1, b1, W2, b2, lam)
    for param, grad in zip((W1, b1, W2, b2), reference):
        assert bp.relative_error(grad, bp.numerical_gradient(cost, param)) < 1e-7
