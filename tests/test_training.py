"""bp.fit, bp.evaluate and bp.accuracy: training that learns, repeats, stops and diverges as documented."""
import warnings

import numpy as np
import pytest

import bp
from helpers import data, small_net


def test_xor_is_solved(rng):
    X, y = bp.datasets.xor()
    net = bp.Sequential([bp.Dense(2, 4, rng=rng), bp.Tanh(), bp.Dense(4, 2, rng=rng)])
    history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=1000)
    assert history.epochs == 1000 and len(history.accuracy) == 1000
    assert bp.accuracy(net.forward(X), y) == 1.0
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_digits_reach_95_percent_test_accuracy(rng):
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


def test_divergence_names_the_epoch_and_learning_rate(rng):
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
    # already overflow on the validation data (here: validation inputs of 1e200, whose
    # squared errors overflow): that must be TrainingDiverged too, not a numpy warning
    # or a NonFiniteError from inside a layer.
    X, y = bp.datasets.regression_curve(12, np.random.default_rng(1), noise=0.3)
    net = bp.Sequential([bp.Dense(1, 64, rng=np.random.default_rng(6), init="he"), bp.ReLU(),
                         bp.Dense(64, 1, rng=np.random.default_rng(7), init="he")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        with pytest.raises(bp.TrainingDiverged, match="validation loss is inf") as info:
            bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, 0.001), epochs=200, validation=(X * 1e200, y))
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


def test_stopping_rules(rng):
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


def test_progress_prints_one_line_updated_in_place(capsys, rng):
    X, y = bp.datasets.xor()
    net = bp.Sequential([bp.Dense(2, 3, rng=rng), bp.Tanh(), bp.Dense(3, 2, rng=rng)])
    history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=3, progress=True)
    out = capsys.readouterr().out
    assert out.startswith("\rfit: epoch ") and out.endswith("\n") and out.count("\n") == 1
    assert f"\rfit: epoch 3/3  loss {history.loss[-1]:.4g}\n" in out
    bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=3)
    assert capsys.readouterr().out == ""          # silent unless asked


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.

# A helper that checked nothing ------------------------------------------------------------


def test_accuracy_checks_its_labels_and_logits():
    logits = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 0.0]])
    assert bp.accuracy(logits, np.array([0, 1, 0])) == 1.0
    with pytest.raises(bp.LabelError, match=r"shape \(3,\).*\(3, 1\).*ravel"):
        bp.accuracy(logits, np.array([[0], [1], [0]]))
    with pytest.raises(bp.NonFiniteError, match="nan"):
        bp.accuracy(np.array([[np.nan, 0.0], [0.0, 1.0], [1.0, 0.0]]), np.array([0, 1, 0]))


# fit's arguments, checked before any training --------------------------------------------


@pytest.mark.parametrize("bad, match", [
    (dict(batch_size=-5), "batch_size must be None or a positive integer"),
    (dict(batch_size=2.5), "batch_size must be None or a positive integer"),
    (dict(batch_size=0), "batch_size must be None or a positive integer"),
    (dict(epochs=None), "epochs must be a positive integer"),
    (dict(tol="x"), "tol must be None or a positive number"),
    (dict(patience=0, validation=data(seed=5)), "patience must be None or a positive integer"),
    (dict(validation=(np.ones((2, 3)),)), r"validation must be a pair \(X_val, y_val\)"),
])
def test_fit_refuses_bad_arguments_before_training(bad, match):
    net, (X, y) = small_net(), data()
    before = [param.copy() for _, param, _ in net.parameters()]
    arguments = dict(epochs=3, rng=np.random.default_rng(0)) | bad
    with pytest.raises((ValueError, TypeError), match=match):
        bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.1), **arguments)
    for original, (_, param, _) in zip(before, net.parameters()):
        np.testing.assert_array_equal(original, param)


def test_fit_refuses_an_optimizer_built_for_another_network():
    net, other, (X, y) = small_net(), small_net(seed=9), data()
    with pytest.raises(ValueError, match="SGD optimizer was built for another network"):
        bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(other, 0.1), epochs=1)


# Bad data is not divergence ----------------------------------------------------------------


def test_nan_in_targets_or_validation_data_is_named_before_training():
    net = small_net()
    X = np.random.default_rng(0).normal(size=(4, 3))
    Y = np.zeros((4, 2))
    Y[2, 1] = np.nan
    with pytest.raises(bp.NonFiniteError, match=r"fit: y contains nan at index \(2, 1\)"):
        bp.fit(net, bp.MSELoss(), X, Y, bp.SGD(net, 0.1), epochs=1)
    X_val = X.copy()
    X_val[1, 0] = np.nan
    with pytest.raises(bp.NonFiniteError, match=r"fit: X_val \(validation\) contains nan"):
        bp.fit(net, bp.MSELoss(), X, np.zeros((4, 2)), bp.SGD(net, 0.1), epochs=1,
               validation=(X_val, np.zeros((4, 2))))


# --- training that notices: each silent failure now has its own message -------------------------


def test_a_loss_that_grows_a_million_fold_is_called_divergence_before_it_overflows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * 30
    y = X @ np.array([[1.0], [2.0], [3.0]])
    net = bp.Sequential([bp.Dense(3, 1, rng=0)])
    with pytest.raises(bp.TrainingDiverged, match=r"the loss grew from \S+ to \S+, more than 1e\+06 times its start") as caught:
        bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, 0.01), epochs=100)
    assert caught.value.epoch < 10 and np.all(np.isfinite(caught.value.history.loss))


def _unscaled_classification(scale):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] + X[:, 1] > 0.8).astype(int)        # a third of the examples in class 1
    X = X * np.array([1.0, 1.0, 1.0, scale]) + np.array([0.0, 0.0, 0.0, scale])
    return X, y


def test_a_run_no_better_than_the_commonest_class_warns_and_suggests_standardising():
    X, y = _unscaled_classification(3000.0)
    net = bp.Sequential([bp.Dense(4, 8, rng=0), bp.Tanh(), bp.Dense(8, 2, rng=1)])
    with pytest.warns(bp.TrainingWarning, match=r"no better than always predicting the commonest "
                                                 r"class, 0 .* The inputs reach \S+: standardise them"):
        history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.1), epochs=30)
    assert "standardise" in history.warning
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    net = bp.Sequential([bp.Dense(4, 8, rng=0), bp.Tanh(), bp.Dense(8, 2, rng=1)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")                # standardised, it learns: no warning
        history = bp.fit(net, bp.CrossEntropyLoss(), Xs, y, bp.SGD(net, 0.5), epochs=30)
    assert history.warning == "" and history.accuracy[-1] > 0.8


def test_a_regression_no_better_than_the_mean_warns_and_suggests_another_rate():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(40, 2))
    y = np.sin(3 * X[:, :1])
    net = bp.Sequential([bp.Dense(2, 6, rng=0), bp.Tanh(), bp.Dense(6, 1, rng=1)])
    with pytest.warns(bp.TrainingWarning, match=r"no lower than that of always predicting the mean "
                                                 r"target .* Try another learning rate \(this run used 1e-09"):
        bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, 1e-9), epochs=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                # too short a run to judge
        bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, 1e-9), epochs=19)


def test_the_progress_line_ends_on_the_epoch_where_early_stopping_stopped(capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = X @ np.array([[1.0], [2.0], [3.0]])
    net = bp.Sequential([bp.Dense(3, 1, rng=0)])
    history = bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, 0.1), epochs=200, tol=1e-3, progress=True)
    last = capsys.readouterr().out.split("\r")[-1]
    assert history.epochs < 200 and last.startswith(f"fit: epoch {history.epochs}/200 "), last


@pytest.mark.parametrize("labels, message", [
    (np.array(list("abcabc")), r"got strings \('a', 'b', 'c', \.\.\.\)\. Number the classes first: "
                               r"classes, y = np.unique\(y, return_inverse=True\)"),
    (np.eye(3)[[0, 1, 2, 0, 1, 2]], r"look one-hot encoded, shape \(6, 3\).*y.argmax\(axis=1\)"),
])
def test_labels_in_another_form_get_their_own_hint(labels, message):
    net = bp.Sequential([bp.Dense(2, 3, rng=0)])
    X = np.random.default_rng(0).normal(size=(6, 2))
    with pytest.raises(bp.LabelError, match=message):
        bp.fit(net, bp.CrossEntropyLoss(), X, labels, bp.SGD(net, 0.1), epochs=1)


def test_swapped_loss_arguments_are_named_as_swapped():
    logits = np.random.default_rng(0).normal(size=(6, 3))
    labels = np.array([0, 1, 2, 0, 1, 2])
    with pytest.raises(bp.ShapeError, match=r"the arguments look swapped.*loss.forward\(logits, labels\)"):
        bp.CrossEntropyLoss().forward(labels, logits)
    with pytest.raises(bp.ShapeError, match=r"Are the arguments swapped\? Write loss.forward\(prediction, target\)"):
        bp.MSELoss().forward(np.zeros(6), logits)
