"""bp.autodiff: each gate's local derivative, gradients adding at forks, and a network of
scalar Values giving exactly the gradients of bp's layers and losses."""
import math

import numpy as np
import pytest

import bp
from bp.autodiff import Value, graph_size


def centred(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


UNARY = {
    "tanh": (lambda v: v.tanh(), math.tanh),
    "exp": (lambda v: v.exp(), math.exp),
    "log": (lambda v: v.log(), math.log),
    "relu": (lambda v: v.relu(), lambda x: max(x, 0.0)),
    "square": (lambda v: v ** 2, lambda x: x * x),
    "reciprocal": (lambda v: 1 / v, lambda x: 1 / x),
    "negate and shift": (lambda v: 3 - v, lambda x: 3 - x),
}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("x", [0.7, 1.9, -0.4])
def test_each_function_passes_back_its_derivative(name, x):
    on_value, on_float = UNARY[name]
    if name == "log":
        x = abs(x) + 0.1               # log is defined for positive numbers only
    v = Value(x)
    out = on_value(v)
    out.backward()
    assert out.data == pytest.approx(on_float(x), rel=1e-15)
    assert v.grad == pytest.approx(centred(on_float, x), rel=1e-8, abs=1e-10)


def test_add_distributes_multiply_swaps_relu_routes():
    a, b = Value(2.0), Value(-3.0)
    (a + b).backward()
    assert (a.grad, b.grad) == (1.0, 1.0)
    a, b = Value(2.0), Value(-3.0)
    (a * b).backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)
    a, b = Value(2.0), Value(-3.0)
    (a.relu() + b.relu()).backward()
    assert (a.grad, b.grad) == (1.0, 0.0)


def test_gradients_add_where_a_value_is_used_twice():
    x = Value(3.0)
    (x * x).backward()                 # d(x^2)/dx = 2x: two uses, two contributions
    assert x.grad == 6.0
    x = Value(3.0)
    y = x + x
    (y * x).backward()                 # 2x^2 -> 4x, through three uses of x
    assert x.grad == 12.0


def test_backward_twice_accumulates_as_in_pytorch():
    x = Value(1.5)
    y = x * 4
    y.backward()
    y.backward()
    assert x.grad == 8.0


def test_long_chains_do_not_overflow_the_stack():
    x = Value(0.5)
    total = Value(0.0)
    for _ in range(5000):
        total = total + x
    total.backward()
    assert x.grad == 5000.0 and graph_size(total) > 5000


def test_clear_errors():
    with pytest.raises(ValueError, match="log of -1.0: expected a positive number"):
        Value(-1.0).log()
    with pytest.raises(TypeError, match="only a fixed number is supported"):
        Value(2.0) ** Value(3.0)


# --- a network of Values against bp's layers ---------------------------------------------

def value_network_gradients(net, X, y, loss, value=Value):
    """The cost of a Dense-Tanh-Dense (or ReLU) network, built from scalar Values entry by
    entry, and its gradients by Value.backward(): {"0.W": array, ...} like bp's names."""
    params = {name: np.vectorize(value, otypes=[object])(param)
              for name, param, _, _ in net.named_parameters()}
    N = X.shape[0]
    total = value(0.0)
    for n in range(N):
        a = [value(x) for x in X[n]]
        for i, layer in enumerate(net.layers):
            if isinstance(layer, bp.Dense):
                W, b = params[f"{i}.W"], params[f"{i}.b"]
                a = [sum((W[j, k] * a[k] for k in range(len(a))), b[j]) for j in range(W.shape[0])]
            elif isinstance(layer, bp.Tanh):
                a = [v.tanh() for v in a]
            elif isinstance(layer, bp.ReLU):
                a = [v.relu() for v in a]
        if loss == "mse":
            total = total + sum((v - t) ** 2 for v, t in zip(a, y[n])) / len(a)
        else:                          # softmax cross-entropy on the logits a, label y[n]
            total = total + (sum(v.exp() for v in a).log() - a[int(y[n])])
    cost = total / N
    cost.backward()
    return cost.data, {name: np.vectorize(lambda v: v.grad)(p) for name, p in params.items()}


def bp_gradients(net, X, y, loss):
    loss_fn = bp.MSELoss() if loss == "mse" else bp.CrossEntropyLoss()
    cost = loss_fn.forward(net.forward(X), y)
    net.backward(loss_fn.backward())
    return cost, {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}


def setting(loss, activation, rng):
    # distinct sizes (a transposed matrix fails loudly) and N = 3 (a missing 1/N shows)
    net = bp.Sequential([bp.Dense(2, 3, rng=rng), activation(), bp.Dense(3, 4, rng=rng)])
    X = rng.normal(size=(3, 2))
    y = rng.normal(size=(3, 4)) if loss == "mse" else np.array([0, 3, 1])
    return net, X, y


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("activation", [bp.Tanh, bp.ReLU])
def test_a_network_of_values_gives_bps_gradients(loss, activation, rng):
    net, X, y = setting(loss, activation, rng)
    cost_graph, by_graph = value_network_gradients(net, X, y, loss)
    cost_bp, by_bp = bp_gradients(net, X, y, loss)
    assert cost_graph == pytest.approx(cost_bp, rel=1e-12)
    for name in by_bp:
        assert bp.relative_error(by_graph[name], by_bp[name]) < 1e-12, name


class MultiplyForgetsToSwap(Value):
    """A planted mistake: each input of a product receives its own value times the gradient."""

    def __mul__(self, other):
        other = other if isinstance(other, Value) else MultiplyForgetsToSwap(other)
        out = MultiplyForgetsToSwap(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += self.data * out.grad
            other.grad += other.data * out.grad
        out._backward = _backward
        return out


class ForkOverwrites(Value):
    """A planted mistake: a gradient is assigned, not added, so one use of a forked value wins."""

    def __add__(self, other):
        other = other if isinstance(other, Value) else ForkOverwrites(other)
        out = ForkOverwrites(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad
            other.grad = out.grad
        out._backward = _backward
        return out


@pytest.mark.parametrize("broken", [MultiplyForgetsToSwap, ForkOverwrites])
def test_the_comparison_catches_a_planted_mistake(broken, rng):
    net, X, y = setting("mse", bp.Tanh, rng)
    _, by_graph = value_network_gradients(net, X, y, "mse", value=broken)
    _, by_bp = bp_gradients(net, X, y, "mse")
    worst = max(bp.relative_error(by_graph[name], by_bp[name]) for name in by_bp)
    assert worst > 1e-3
