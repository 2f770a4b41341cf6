"""Core tests of bp: gradients by finite differences, clear errors, training, data sets.

Gradient checks follow ../shared/conventions.md: float64, all sizes distinct
(3 -> 5 -> 2), a batch of N = 4, random non-zero parameters, inputs away from
ReLU's kink, every parameter tensor of every layer and the input checked. Each
planted-bug test shows that the check is able to fail.
"""
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bp

ACTIVATIONS = {"sigmoid": bp.Sigmoid, "tanh": bp.Tanh, "relu": bp.ReLU}


def make_net(sizes, activation, rng, final_activation=None):
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
    X = rng.normal(size=(N, n_in))
    y = rng.integers(0, n_out, N) if loss == "ce" else rng.normal(size=(N, n_out))
    return X, y


def relu_inputs_away_from_kink(net, X, margin=1e-3):
    """min |z| over every pre-activation that feeds a ReLU."""
    smallest, A = np.inf, X
    for layer in net.layers:
        if isinstance(layer, bp.ReLU):
            smallest = min(smallest, np.abs(A).min())
        A = layer.forward(A)
    return smallest > margin


LOSSES = {"mse": bp.MSELoss, "ce": bp.CrossEntropyLoss}


# --- gradients ----------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["mse", "ce"])
def test_every_gradient_matches_finite_differences(activation, loss):
    rng = np.random.default_rng(1)
    net = make_net((3, 5, 2), activation, rng)
    X, y = batch(rng, 4, 3, loss, 2)
    assert relu_inputs_away_from_kink(net, X)
    report = bp.gradcheck(net, LOSSES[loss](), X, y)
    assert set(report.errors) == {"0.W", "0.b", "2.W", "2.b", "input"}
    report.assert_ok(1e-6)


def test_deeper_network_with_activation_on_the_output():
    rng = np.random.default_rng(2)
    net = make_net((3, 4, 5, 2), "tanh", rng, final_activation="sigmoid")
    X, y = batch(rng, 5, 3, "mse", 2)
    report = bp.gradcheck(net, bp.MSELoss(), X, y)
    assert set(report.errors) == {"0.W", "0.b", "2.W", "2.b", "4.W", "4.b", "input"}
    report.assert_ok(1e-6)


def test_relu_derivative_at_the_kink_is_zero_like_pytorch():
    relu = bp.ReLU()
    out = relu.forward(np.array([[-1.0, 0.0, 2.0]]))
    assert out.tolist() == [[0.0, 0.0, 2.0]]
    assert relu.backward(np.ones((1, 3))).tolist() == [[0.0, 0.0, 1.0]]


def test_backward_twice_after_one_forward_gives_the_same_gradients():
    rng = np.random.default_rng(3)
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 4, 3, "ce", 2)
    loss = bp.CrossEntropyLoss()
    loss.forward(net.forward(X), y)
    d_input_1 = net.backward(loss.backward())
    first = {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}
    d_input_2 = net.backward(loss.backward())
    np.testing.assert_array_equal(d_input_1, d_input_2)
    for name, _, layer, key in net.named_parameters():
        np.testing.assert_array_equal(layer.grads[key], first[name])


@settings(max_examples=25, deadline=None)
@given(N=st.integers(3, 6), sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
       activation=st.sampled_from(["sigmoid", "tanh", "relu"]), loss=st.sampled_from(["mse", "ce"]),
       seed=st.integers(0, 10_000))
def test_gradcheck_passes_for_random_shapes(N, sizes, activation, loss, seed):
    rng = np.random.default_rng(seed)
    if loss == "ce" and sizes[-1] < 2:
        sizes = sizes[:-1] + [2]
    net = make_net(tuple(sizes), activation, rng)
    X, y = batch(rng, N, sizes[0], loss, sizes[-1])
    if activation == "relu" and not relu_inputs_away_from_kink(net, X):
        return  # too close to the kink for finite differences to mean anything
    bp.gradcheck(net, LOSSES[loss](), X, y).assert_ok(1e-6)


# --- the checker must catch classic mistakes -------------------------------------------


class SigmoidDerivativeAtA(bp.Sigmoid):
    """sigma'(a) instead of sigma'(z): sigmoid(a) * (1 - sigmoid(a))."""

    def backward(self, dA):
        A = self._cached()
        s = bp.sigmoid(A)
        return dA * s * (1 - s)


class DenseBiasMean(bp.Dense):
    """db = dZ.mean(0): the 1/N applied a second time."""

    def backward(self, dZ):
        dA = super().backward(dZ)
        self.grads["b"] = dZ.mean(axis=0)
        return dA


class DenseWeightOverN(bp.Dense):
    """dW divided by N again."""

    def backward(self, dZ):
        dA = super().backward(dZ)
        self.grads["W"] = dZ.T @ self._cache / len(dZ)
        return dA


class ReLUPassEverything(bp.ReLU):
    def backward(self, dA):
        return dA


class CrossEntropyWithoutOverN(bp.CrossEntropyLoss):
    def backward(self):
        return super().backward() * len(self._cache[0])


def planted(layers, loss, seed=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4, 3))
    net = bp.Sequential(layers)
    y = rng.integers(0, 2, 4) if isinstance(loss, bp.CrossEntropyLoss) else rng.normal(size=(4, 2))
    return bp.gradcheck(net, loss, X, y)


@pytest.mark.parametrize("first", ["dense", "rnn", "conv"])
def test_backward_without_the_input_gradient_gives_the_same_parameter_gradients(first):
    # bp.fit asks Sequential.backward(dY, input_grad=False): the first layer, whatever its
    # type, then skips dC/dX (the data never change). Every parameter gradient must stay
    # exactly the same.
    rng = np.random.default_rng(11)
    X, layers = {
        "dense": (rng.normal(size=(4, 3)), [bp.Dense(3, 5, rng=rng), bp.Tanh()]),
        "rnn": (rng.normal(size=(4, 6, 3)), [bp.RNN(3, 5, rng=rng), bp.LastTimeStep()]),
        "conv": (rng.normal(size=(4, 2, 5, 4)), [bp.Conv2D(2, 1, (2, 3), rng=rng), bp.Flatten(),
                                                  bp.Dense(8, 5, rng=rng)]),
    }[first]
    net = bp.Sequential(layers + [bp.Dense(5, 2, rng=rng)])
    y = np.array([0, 1, 1, 0])
    loss = bp.CrossEntropyLoss()
    loss.forward(net.forward(X), y)
    dX = net.backward(loss.backward())
    full = {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}
    assert dX.shape == X.shape
    for layer in net.layers:
        layer.grads.clear()          # so that stale gradients cannot pass for new ones
    assert net.backward(loss.backward(), input_grad=False) is None
    for name, _, layer, key in net.named_parameters():
        np.testing.assert_array_equal(layer.grads[key], full[name])


@pytest.mark.parametrize("name", ["sigma_prime_at_a", "db_mean", "dW_over_N", "relu_no_mask", "ce_no_1_over_N"])
def test_gradcheck_catches_a_planted_mistake(name):
    rng = np.random.default_rng(5)
    d1, d2 = (lambda cls=bp.Dense: cls(3, 5, rng=rng)), (lambda cls=bp.Dense: cls(5, 2, rng=rng))
    cases = {
        "sigma_prime_at_a": ([d1(), SigmoidDerivativeAtA(), d2()], bp.MSELoss()),
        "db_mean": ([d1(DenseBiasMean), bp.Tanh(), d2()], bp.MSELoss()),
        "dW_over_N": ([d1(), bp.Tanh(), d2(DenseWeightOverN)], bp.CrossEntropyLoss()),
        "relu_no_mask": ([d1(), ReLUPassEverything(), d2()], bp.MSELoss()),
        "ce_no_1_over_N": ([d1(), bp.Tanh(), d2()], CrossEntropyWithoutOverN()),
    }
    report = planted(*cases[name])
    assert not report.ok(1e-6)
    assert report.worst > 1e-3
    with pytest.raises(AssertionError, match="gradient check failed"):
        report.assert_ok(1e-6)


def test_numerical_gradient_of_a_known_function():
    x = np.array([[0.5, -1.0, 2.0]])
    grad = bp.numerical_gradient(lambda: float(np.sum(x ** 3)), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=1e-8)
    assert x.tolist() == [[0.5, -1.0, 2.0]]  # restored exactly
    assert bp.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert bp.relative_error([1.0], [-1.0]) == 1.0


# --- losses -----------------------------------------------------------------------------


def test_mse_value_and_gradient_are_torch_mean_over_all_entries():
    pred, target = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, 1.0]]), np.array([[0.0, 2.0], [1.0, 1.0], [0.0, 0.0]])
    loss = bp.MSELoss()
    assert loss.forward(pred, target) == pytest.approx((1 + 0 + 4 + 16 + 0 + 1) / 6)
    np.testing.assert_allclose(loss.backward(), 2 * (pred - target) / 6)


def test_cross_entropy_value_gradient_and_large_logits():
    logits, labels = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0], [1.0, 1.0, 1.0]]), np.array([0, 2, 1])
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    loss = bp.CrossEntropyLoss()
    assert loss.forward(logits, labels) == pytest.approx(-np.mean(np.log(p[[0, 1, 2], labels])))
    onehot = np.eye(3)[labels]
    np.testing.assert_allclose(loss.backward(), (p - onehot) / 3)
    big = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])
    assert loss.forward(big, np.array([0, 0])) == pytest.approx(0.0, abs=1e-12)
    assert loss.forward(big, np.array([1, 1])) == pytest.approx(2000.0)
    assert np.all(np.isfinite(loss.backward()))
    np.testing.assert_allclose(bp.softmax(big).sum(1), 1.0)


# --- clear errors -------------------------------------------------------------------------


def test_shape_errors_name_the_layer_and_both_shapes():
    rng = np.random.default_rng(0)
    net = bp.Sequential([bp.Dense(3, 5, rng=rng), bp.Tanh(), bp.Dense(5, 2, rng=rng)])
    with pytest.raises(bp.ShapeError, match=r"Dense\(3 -> 5\): expected input of shape \(N, 3\), got \(4, 2\)"):
        net.forward(np.ones((4, 2)))
    with pytest.raises(bp.ShapeError, match=r"reshape\(1, -1\)"):
        net.forward(np.ones(3))
    with pytest.raises(bp.ShapeError, match=r"target shape \(4,\) does not match prediction shape \(4, 1\)"):
        bp.MSELoss().forward(np.ones((4, 1)), np.ones(4))
    net.forward(np.ones((4, 3)))
    with pytest.raises(bp.ShapeError, match=r"gradient dZ of shape \(4, 2\), got \(4, 3\)"):
        net.backward(np.ones((4, 3)))


@pytest.mark.parametrize("where", ["network", "dense", "activation", "loss"])
def test_nan_input_is_refused_with_its_position(where):
    rng = np.random.default_rng(0)
    X = np.ones((3, 2))
    X[1, 0] = np.nan
    call = {
        "network": lambda: bp.Sequential([bp.Dense(2, 3, rng=rng)]).forward(X),
        "dense": lambda: bp.Dense(2, 3, rng=rng).forward(X),
        "activation": lambda: bp.Sigmoid().forward(X),
        "loss": lambda: bp.MSELoss().forward(X, np.ones((3, 2))),
    }[where]
    with pytest.raises(bp.NonFiniteError, match=r"nan at index \(1, 0\)"):
        call()


@pytest.mark.parametrize("thing", [lambda: bp.Dense(2, 3, rng=np.random.default_rng(0)), bp.Sigmoid,
                                   bp.Tanh, bp.ReLU])
def test_backward_before_forward(thing):
    with pytest.raises(bp.BackwardBeforeForwardError, match="before forward"):
        thing().backward(np.ones((2, 3)))


@pytest.mark.parametrize("loss", [bp.MSELoss, bp.CrossEntropyLoss])
def test_loss_backward_before_forward(loss):
    with pytest.raises(bp.BackwardBeforeForwardError, match="before forward"):
        loss().backward()


def test_label_errors_say_what_was_expected():
    loss, logits = bp.CrossEntropyLoss(), np.zeros((3, 4))
    with pytest.raises(bp.LabelError, match=r"label 4 is out of range.*\[0, 3\]"):
        loss.forward(logits, np.array([0, 4, 1]))
    with pytest.raises(bp.LabelError, match=r"label -1 is out of range"):
        loss.forward(logits, np.array([0, -1, 1]))
    with pytest.raises(bp.LabelError, match="must be integers"):
        loss.forward(logits, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(bp.LabelError, match=r"expected labels of shape \(3,\)"):
        loss.forward(logits, np.array([[0], [1], [2]]))


def test_construction_errors():
    with pytest.raises(TypeError, match="default_rng"):
        bp.Dense(3, 5)
    with pytest.raises(ValueError, match="unknown init"):
        bp.Dense(3, 5, rng=np.random.default_rng(0), init="glorious")
    with pytest.raises(TypeError, match="not a bp layer"):
        bp.Sequential([bp.Tanh(), "relu"])
    net = bp.Sequential([bp.Dense(2, 3, rng=np.random.default_rng(0))])
    for bad in (0, -0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="positive finite"):
            bp.SGD(net, bad)
    with pytest.raises(RuntimeError, match=r"no gradient for 'W'.*backward"):
        bp.SGD(net, 0.1).step()


# --- optimisation and training --------------------------------------------------------------


def test_sgd_step_is_theta_minus_lr_times_grad_in_place():
    rng = np.random.default_rng(0)
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 4, 3, "mse", 2)
    loss = bp.MSELoss()
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    before = {name: p.copy() for name, p, _ in net.parameters()}
    arrays = {name: p for name, p, _ in net.parameters()}
    bp.SGD(net, 0.3).step()
    for name, p, layer, key in net.named_parameters():
        assert p is arrays[name]
        np.testing.assert_allclose(p, before[name] - 0.3 * layer.grads[key])


def test_xor_is_solved():
    rng = np.random.default_rng(0)
    X, y = bp.datasets.xor()
    net = bp.Sequential([bp.Dense(2, 4, rng=rng), bp.Tanh(), bp.Dense(4, 2, rng=rng)])
    history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=1000)
    assert history.epochs == 1000 and len(history.accuracy) == 1000
    assert bp.accuracy(net.forward(X), y) == 1.0
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_digits_reach_95_percent_test_accuracy():
    rng = np.random.default_rng(0)
    data = bp.datasets.digits()
    net = bp.Sequential([bp.Dense(64, 32, rng=rng), bp.ReLU(), bp.Dense(32, 10, rng=rng)])
    bp.fit(net, bp.CrossEntropyLoss(), data.X_train, data.y_train, bp.SGD(net, 0.1),
           epochs=30, batch_size=32, rng=rng)
    assert bp.accuracy(net.forward(data.X_test), data.y_test) >= 0.95


def test_training_is_repeatable_with_the_same_seeds():
    def run():
        rng = np.random.default_rng(7)
        X, y = bp.datasets.moons(40, rng)
        net = bp.Sequential([bp.Dense(2, 6, rng=rng), bp.Tanh(), bp.Dense(6, 2, rng=rng)])
        return bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.3), epochs=5, batch_size=16, rng=rng).loss
    assert run() == run()


def test_divergence_names_the_epoch_and_learning_rate():
    rng = np.random.default_rng(0)
    x, t = bp.datasets.regression_curve(50, rng)
    net = bp.Sequential([bp.Dense(1, 8, rng=rng), bp.Tanh(), bp.Dense(8, 1, rng=rng)])
    with pytest.raises(bp.TrainingDiverged, match=r"diverged at epoch \d+ with learning rate 500") as info:
        bp.fit(net, bp.MSELoss(), x, t, bp.SGD(net, 500.0), epochs=200)
    err = info.value
    assert err.lr == 500.0 and 1 <= err.epoch <= 200
    assert err.history.epochs == err.epoch - 1
    assert all(np.isfinite(err.history.loss))


def test_divergence_seen_first_on_the_validation_data_is_reported_the_same_way():
    # The training loss of an epoch can still be finite when the weights it ends with
    # already overflow on the validation data: that must be TrainingDiverged too,
    # not a numpy warning or a NonFiniteError from inside a layer.
    X, y = bp.datasets.regression_curve(12, np.random.default_rng(1), noise=0.3)
    net = bp.Sequential([bp.Dense(1, 64, rng=np.random.default_rng(6), init="he"), bp.ReLU(),
                         bp.Dense(64, 1, rng=np.random.default_rng(7), init="he")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        with pytest.raises(bp.TrainingDiverged, match="validation loss is inf") as info:
            bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, 0.05), epochs=200, validation=(X, y))
    assert info.value.epoch == len(info.value.history.loss)


def test_drop_last_leaves_out_the_short_last_batch():
    class CountingSGD(bp.SGD):
        steps = 0

        def step(self):
            CountingSGD.steps += 1
            super().step()

    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10)
    for drop_last, steps_per_epoch in ((False, 3), (True, 2)):   # 10 = 4 + 4 + 2
        net = bp.Sequential([bp.Dense(2, 3, rng=rng), bp.Tanh(), bp.Dense(3, 2, rng=rng)])
        CountingSGD.steps = 0
        bp.fit(net, bp.CrossEntropyLoss(), X, y, CountingSGD(net, 0.1), epochs=5, batch_size=4,
               rng=rng, drop_last=drop_last)
        assert CountingSGD.steps == 5 * steps_per_epoch
    with pytest.raises(ValueError, match="drop_last=True needs a batch_size"):
        bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.1), epochs=1, drop_last=True)


def test_stopping_rules():
    rng = np.random.default_rng(0)
    X, y = bp.datasets.xor()
    net = bp.Sequential([bp.Dense(2, 4, rng=rng), bp.Tanh(), bp.Dense(4, 2, rng=rng)])
    history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=5000, tol=1e-6)
    assert history.epochs < 5000 and "tol" in history.stopped
    assert abs(history.loss[-2] - history.loss[-1]) < 1e-6
    data = bp.datasets.digits()
    net = bp.Sequential([bp.Dense(64, 16, rng=rng), bp.ReLU(), bp.Dense(16, 10, rng=rng)])
    history = bp.fit(net, bp.CrossEntropyLoss(), data.X_train, data.y_train, bp.SGD(net, 0.5),
                     epochs=300, batch_size=32, rng=rng, validation=(data.X_test, data.y_test), patience=3)
    best = int(np.argmin(history.val_loss))
    assert history.epochs < 300 and history.epochs - 1 - best == 3 and "validation" in history.stopped


def test_symmetric_initialization_never_breaks_symmetry():
    X, y = bp.datasets.xor()
    for init in (bp.init.zeros, bp.init.constant(0.3)):
        net = bp.Sequential([bp.Dense(2, 4, init=init), bp.Tanh(), bp.Dense(4, 2, init=init)])
        bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=200)
        W = net.layers[0].params["W"]
        assert np.allclose(W, W[0])  # every hidden unit has the same incoming weights


def test_initializer_scales():
    rng = np.random.default_rng(0)
    assert np.std(bp.init.he(400, 300, rng)) == pytest.approx(np.sqrt(2 / 300), rel=0.05)
    assert np.std(bp.init.xavier(400, 300, rng)) == pytest.approx(np.sqrt(2 / 700), rel=0.05)
    W = bp.init.pytorch_default(400, 300, rng)
    assert np.abs(W).max() <= 1 / np.sqrt(300) and np.abs(W).max() > 0.95 / np.sqrt(300)


# --- data sets and import ------------------------------------------------------------------


def test_data_sets_shapes_and_repeatability():
    X, y = bp.datasets.xor()
    assert X.shape == (4, 2) and y.tolist() == [0, 1, 1, 0]
    for make in (bp.datasets.two_spirals, bp.datasets.moons):
        X1, y1 = make(50, np.random.default_rng(3))
        X2, _ = make(50, np.random.default_rng(3))
        assert X1.shape == (100, 2) and y1.shape == (100,) and np.bincount(y1).tolist() == [50, 50]
        np.testing.assert_array_equal(X1, X2)
    x, t = bp.datasets.regression_curve(30, np.random.default_rng(0))
    assert x.shape == t.shape == (30, 1)


def test_digits_split_is_stratified_and_fixed():
    data = bp.datasets.digits()
    assert data.X_train.shape == (1347, 64) and data.X_test.shape == (450, 64)
    assert data.X_train.min() >= 0.0 and data.X_train.max() <= 1.0
    counts_all = np.bincount(np.concatenate([data.y_train, data.y_test]))
    assert counts_all.sum() == 1797
    assert np.all(np.abs(np.bincount(data.y_test) - 0.25 * counts_all) <= 1)
    np.testing.assert_array_equal(bp.datasets.digits().y_test, data.y_test)


def test_import_bp_is_numpy_only():
    code = ("import sys, bp; heavy = [m for m in ('sympy', 'matplotlib', 'ipywidgets', 'sklearn') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_progress_prints_one_line_updated_in_place(capsys):
    rng = np.random.default_rng(0)
    X, y = bp.datasets.xor()
    net = bp.Sequential([bp.Dense(2, 3, rng=rng), bp.Tanh(), bp.Dense(3, 2, rng=rng)])
    history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=3, progress=True)
    out = capsys.readouterr().out
    assert out.startswith("\rfit: epoch ") and out.endswith("\n") and out.count("\n") == 1
    assert f"\rfit: epoch 3/3  loss {history.loss[-1]:.4g}\n" in out
    bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=3)
    assert capsys.readouterr().out == ""          # silent unless asked
