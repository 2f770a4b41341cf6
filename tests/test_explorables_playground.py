"""The playground explorable (bpbook/explorables/playground.py): its reference numbers agree
with an independent numpy implementation and with finite differences, its page data is
bp's, and its text and figure are made."""
import json

import numpy as np
import pytest

import bp
from bpbook.explorables import playground

ACTIVATION = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0),
              "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}


def mean_cross_entropy(weights, X, y, activation):
    """The cost of the chapter's network, written out from the formulas, not with bp."""
    W1, b1, W2, b2 = (np.asarray(weights[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    logits = ACTIVATION[activation](X @ W1.T + b1) @ W2.T + b2
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])


def finite_difference_gradient(weights, X, y, activation, eps=1e-6):
    grads = {}
    for key in ("W1", "b1", "W2", "b2"):
        value = np.asarray(weights[key], dtype=float)
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {k: np.array(v, dtype=float) for k, v in weights.items() if k in ("W1", "b1", "W2", "b2")}
            shifted[key][index] += eps
            up = mean_cross_entropy(shifted, X, y, activation)
            shifted[key][index] -= 2 * eps
            down = mean_cross_entropy(shifted, X, y, activation)
            grad[index] = (up - down) / (2 * eps)
        grads[key] = grad
    return grads


def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-300)


@pytest.mark.parametrize("data, width, activation", [("xor", 3, "tanh"), ("moons", 5, "sigmoid"),
                                                     ("spirals", 4, "relu")])
def test_one_step_is_minus_rate_times_the_finite_difference_gradient(data, width, activation):
    X, y = playground.data_set(data)
    lr = 0.3
    before = playground.train(data, width, activation, [])
    after = playground.train(data, width, activation, [(lr, 1)])
    numeric = finite_difference_gradient(before, X, y, activation)
    for key in ("W1", "b1", "W2", "b2"):
        step = (np.asarray(before[key]) - np.asarray(after[key])) / lr
        assert relative_error(step, numeric[key]) < 1e-7, key
    # the loss of the epoch is measured before its update, as bp.fit records it
    assert after["loss"][0] == pytest.approx(mean_cross_entropy(before, X, y, activation), rel=1e-12)


def test_loss_per_epoch_is_the_loss_of_the_weights_after_the_epochs_before():
    X, y = playground.data_set("moons")
    run = playground.train("moons", 6, "tanh", [(1.0, 20)])
    for k in (0, 7, 19):
        weights = playground.train("moons", 6, "tanh", [(1.0, k)] if k else [])
        assert run["loss"][k] == pytest.approx(mean_cross_entropy(weights, X, y, "tanh"), rel=1e-10)
    assert run["loss_now"] == pytest.approx(mean_cross_entropy(run, X, y, "tanh"), rel=1e-10)
    assert run["epoch"] == len(run["loss"]) == 20


def test_a_new_rate_applies_from_the_next_epoch_on():
    both = playground.train("spirals", 8, "tanh", [(0.1, 5), (0.3, 5)])
    first = playground.train("spirals", 8, "tanh", [(0.1, 5)])
    assert both["loss"][:5] == first["loss"]
    X, y = playground.data_set("spirals")
    # the sixth epoch starts from the weights after five epochs at the first rate
    assert both["loss"][5] == pytest.approx(mean_cross_entropy(first, X, y, "tanh"), rel=1e-12)


def test_accuracy_counts_the_points_on_their_side():
    run = playground.train("xor", 2, "tanh", [(1.0, 300)])
    X, y = playground.data_set("xor")
    W1, b1, W2, b2 = (np.asarray(run[k]) for k in ("W1", "b1", "W2", "b2"))
    logits = np.tanh(X @ W1.T + b1) @ W2.T + b2
    assert run["accuracy"] == np.mean(logits.argmax(axis=1) == y) == 1.0


def test_page_data_is_bp_s_data_and_initial_weights_and_json_ready():
    data = json.loads(json.dumps(playground.page_data()))
    for name in playground.DATA_NAMES:
        X, y = playground.data_set(name)
        assert np.array_equal(np.asarray(data["sets"][name]["X"]), X)
        assert data["sets"][name]["y"] == y.tolist()
    raw, _ = bp.datasets.two_spirals(playground.N_PER_CLASS, np.random.default_rng(0))
    assert np.max(np.abs(np.asarray(data["sets"]["spirals"]["X"]) - raw)) <= 0.5 * 10.0 ** -playground.DECIMALS
    assert sorted(map(int, data["initial"])) == list(playground.WIDTHS)
    for width in (1, 7, 16):
        rng = np.random.default_rng(playground.SEED)
        first, second = bp.Dense(2, width, rng=rng), bp.Dense(width, 2, rng=rng)
        weights = data["initial"][str(width)]
        assert np.array_equal(weights["W1"], first.params["W"]) and np.array_equal(weights["b1"], first.params["b"])
        assert np.array_equal(weights["W2"], second.params["W"]) and np.array_equal(weights["b2"], second.params["b"])
    assert data["start"]["lr"] in data["rates"]


def test_reference_cases_touch_every_control_and_match_their_actions():
    cases = playground.reference()
    assert 3 <= len(cases) <= 6
    used = {name for case in cases for _, name, _ in case["actions"]}
    assert {"data", "activation", "width", "lr", "train10", "train100", "reset"} <= used
    for case in cases:
        epochs = 0
        for kind, name, value in case["actions"]:
            if name in ("reset", "width", "data", "activation"):
                epochs = 0                       # a new network
            elif name in ("train10", "train100"):
                epochs += int(name[5:]) * int(value)
        result = case["result"]
        assert result["epoch"] == epochs == len(result["loss"])
        assert np.all(np.isfinite(result["loss"]))
        json.dumps(result)


def test_describe_and_static_figure():
    text = playground.describe()
    assert "1000 epochs" in text and "200 points" in text
    figure = playground.static_figure()
    assert len(figure.axes) == 2
    import matplotlib.pyplot as plt
    plt.close(figure)
