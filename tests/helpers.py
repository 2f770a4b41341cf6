"""Plain functions that several test files share: small networks, batches, layer checks.

A test imports them (``from helpers import small_net, data``) and calls them, often
more than once with other seeds or sizes, and sometimes inside a parametrize list,
which pytest evaluates before any fixture exists. The import works because tests/
has no __init__.py: pytest puts tests/ on sys.path before it imports conftest.py
and the test files. The fixtures are in conftest.py.
"""
import numpy as np

import bp


ACTIVATIONS = {"sigmoid": bp.Sigmoid, "tanh": bp.Tanh, "relu": bp.ReLU}


def make_net(sizes, activation, rng, final_activation=None):
    """Dense layers of the given sizes with `activation` between them; Xavier weights and
    random biases."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(bp.Dense(n_in, n_out, rng=rng, init="xavier"))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[activation]())
    if final_activation:
        layers.append(ACTIVATIONS[final_activation]())
    for layer in layers:  # non-zero biases too: zeros would hide a broken db
        if "b" in layer.params:
            layer.params["b"][:] = rng.normal(0.0, 0.5, layer.params["b"].shape)
    return bp.Sequential(layers)


def batch(rng, N, n_in, loss, n_out):
    """N random inputs and their targets: class labels for loss "ce", real numbers for "mse"."""
    X = rng.normal(size=(N, n_in))
    y = rng.integers(0, n_out, N) if loss == "ce" else rng.normal(size=(N, n_out))
    return X, y


def small_net(seed=0):
    """Dense(3 -> 5), Tanh, Dense(5 -> 2); another seed gives other weights."""
    rng = np.random.default_rng(seed)
    return bp.Sequential([bp.Dense(3, 5, rng=rng), bp.Tanh(), bp.Dense(5, 2, rng=rng)])


def data(seed=1, N=4):
    """N examples for small_net: inputs with 3 features and labels 0 or 1."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, 3)), rng.integers(0, 2, size=N)


def show(title, report):
    """Print a report (visible with pytest -s), then return it."""
    print(f"\n{title}: worst relative error {report.worst:.1e}\n{report}")
    return report


def _with_random_parameters(layer, seed=1):
    """The layer with every parameter drawn from N(0, 0.6^2): non-zero, and large enough
    that tanh and the gates are well away from linear (zeros would hide a broken backward)."""
    rng = np.random.default_rng(seed)
    for value in layer.params.values():
        value[:] = rng.normal(0.0, 0.6, value.shape)
    return layer


# Every layer of bp, once: how to make one (random non-zero parameters) and an input shape
# with all sizes distinct. The shared layer tests (test_layer.py) run over this table, and
# one of them fails if a layer of bp is missing from it: a new layer is added here, once.
LAYER_FACTORIES = {
    "Dense": (lambda: _with_random_parameters(bp.Dense(3, 5, rng=0)), (4, 3)),
    "Sigmoid": (bp.Sigmoid, (4, 3)),
    "Tanh": (bp.Tanh, (4, 3)),
    "ReLU": (bp.ReLU, (4, 3)),
    "RNN": (lambda: _with_random_parameters(bp.RNN(3, 5, rng=0)), (4, 6, 3)),
    "LSTM": (lambda: _with_random_parameters(bp.LSTM(3, 5, rng=0)), (4, 6, 3)),
    "LastTimeStep": (bp.LastTimeStep, (4, 6, 5)),
    "Conv2D": (lambda: _with_random_parameters(bp.Conv2D(2, 3, (2, 3), rng=0)), (3, 2, 7, 6)),
    "MaxPool2D": (lambda: bp.MaxPool2D(2), (3, 2, 7, 6)),
    "Flatten": (bp.Flatten, (3, 2, 7, 6)),
}
