"""Misuse gets a clear error or the right answer, never a silently wrong one.

One test (or a few) per class of misuse found by trying bp as its users would;
each was seen failing before its fix. Messages are matched on the words that
tell the user what was wrong and what to do.
"""
import pickle

import numpy as np
import pytest

import bp


def small_net(seed=0):
    rng = np.random.default_rng(seed)
    return bp.Sequential([bp.Dense(3, 5, rng=rng), bp.Tanh(), bp.Dense(5, 2, rng=rng)])


def data(seed=1, N=4):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, 3)), rng.integers(0, 2, size=N)


def gradients(net):
    return {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}


def backprop(net, loss, X, y):
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    return gradients(net)


# 1. One layer object used twice ------------------------------------------------------------

def test_the_same_layer_object_twice_in_one_network_is_refused():
    rng = np.random.default_rng(0)
    tanh = bp.Tanh()
    with pytest.raises(ValueError, match=r"layer 3 .*is the same object as layer 1.*new Tanh\(\)"):
        bp.Sequential([bp.Dense(3, 4, rng=rng), tanh, bp.Dense(4, 4, rng=rng), tanh])
    dense = bp.Dense(4, 4, rng=rng)
    with pytest.raises(ValueError, match="same object"):
        bp.Sequential([dense, bp.Tanh(), dense])


def test_a_layer_that_ran_in_another_network_since_the_forward_pass_is_caught_at_backward():
    net = small_net()
    other = bp.Sequential([net.layers[0], bp.Sigmoid()])     # shares the first Dense layer
    X, y = data()
    loss = bp.CrossEntropyLoss()
    loss.forward(net.forward(X), y)
    other.forward(data(seed=2)[0])                            # overwrites what layer 0 stored
    with pytest.raises(RuntimeError, match=r"layer 0 \(Dense\(3 -> 5\)\) has run a forward pass"):
        net.backward(loss.backward())


# 2. A forward pass between the loss and backward ----------------------------------------

def test_evaluate_and_predict_between_the_loss_and_backward_change_nothing():
    X, y = data()
    X_val, y_val = data(seed=3, N=4)
    expected = backprop(small_net(), bp.CrossEntropyLoss(), X, y)

    net, loss = small_net(), bp.CrossEntropyLoss()
    loss.forward(net.forward(X), y)
    bp.evaluate(net, loss, X_val, y_val)          # logging the validation loss
    net.predict(X_val)
    net.backward(loss.backward())
    for name, grad in gradients(net).items():
        np.testing.assert_array_equal(grad, expected[name])


# 3. Changing the input or an output in place before backward ------------------------------

def test_changing_the_input_in_place_after_forward_does_not_change_the_gradients():
    X, y = data()
    expected = backprop(small_net(), bp.CrossEntropyLoss(), X, y)
    net, loss = small_net(), bp.CrossEntropyLoss()
    X_mine = X.copy()
    loss.forward(net.forward(X_mine), y)
    X_mine *= 2                                   # the user reuses their array
    net.backward(loss.backward())
    for name, grad in gradients(net).items():
        np.testing.assert_array_equal(grad, expected[name])


def test_an_output_cannot_be_changed_in_place():
    net = small_net()
    out = net.forward(data()[0])
    with pytest.raises(ValueError, match="read-only"):
        out[:] = 0.0


# 4. Helpers that checked nothing ------------------------------------------------------------

def test_accuracy_checks_its_labels_and_logits():
    logits = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 0.0]])
    assert bp.accuracy(logits, np.array([0, 1, 0])) == 1.0
    with pytest.raises(bp.LabelError, match=r"shape \(3,\).*\(3, 1\).*ravel"):
        bp.accuracy(logits, np.array([[0], [1], [0]]))
    with pytest.raises(bp.NonFiniteError, match="nan"):
        bp.accuracy(np.array([[np.nan, 0.0], [0.0, 1.0], [1.0, 0.0]]), np.array([0, 1, 0]))


def test_numerical_gradient_needs_a_float64_array():
    for x in (np.array([1, 2, 3]), np.array([1.0, 2.0], dtype=np.float32)):
        with pytest.raises(TypeError, match="float64"):
            bp.numerical_gradient(lambda: float(np.sum(x ** 2)), x)
    with pytest.raises(ValueError, match="eps"):
        bp.numerical_gradient(lambda: 0.0, np.zeros(2), eps=0)


def test_relative_error_needs_equal_shapes():
    with pytest.raises(bp.ShapeError, match=r"\(3,\) .*\(3, 3\)"):
        bp.relative_error(np.ones(3), np.ones((3, 3)))
    assert np.isnan(bp.relative_error(np.array([np.nan]), np.array([1.0])))


# 5. fit's arguments, checked before any training --------------------------------------------

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
    with pytest.raises(ValueError, match="optimizer was built for another network"):
        bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(other, 0.1), epochs=1)


# 6. Bad data is not divergence ----------------------------------------------------------------

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


# 7. SGD ---------------------------------------------------------------------------------------

def test_sgd_takes_numpy_numbers_and_refuses_what_is_not_a_network():
    net = small_net()
    assert bp.SGD(net, np.float32(0.1)).lr == pytest.approx(0.1)
    with pytest.raises(TypeError, match=r"bp.SGD\(net, lr\)"):
        bp.SGD(net.parameters(), 0.1)
    optimizer = bp.SGD(net, 0.1)
    with pytest.raises(ValueError, match="positive finite"):
        optimizer.lr = float("nan")


# 8. Empty or huge data --------------------------------------------------------------------------

def test_data_sets_refuse_empty_or_impossible_sizes():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_per_class must be a positive integer"):
        bp.datasets.moons(-5, rng)
    with pytest.raises(ValueError, match="noise must be"):
        bp.datasets.moons(5, rng, noise=-0.1)
    with pytest.raises(ValueError, match="at most"):
        bp.datasets.two_spirals(10**9, rng)
    with pytest.raises(ValueError, match="no training examples"):
        bp.datasets.digits(test_fraction=0.9999)


def test_flatten_takes_an_empty_batch():
    assert bp.Flatten().forward(np.zeros((0, 2, 3, 3))).shape == (0, 18)


# 9. Obscure messages ------------------------------------------------------------------------------

def test_conv2d_padding_same_as_in_pytorch():
    rng = np.random.default_rng(0)
    conv = bp.Conv2D(2, 3, kernel_size=(3, 5), padding="same", rng=rng)
    assert conv.padding == (1, 2)
    assert conv.forward(rng.normal(size=(2, 2, 6, 7))).shape == (2, 3, 6, 7)
    with pytest.raises(ValueError, match=r"padding must be .*'same'.*'valid'"):
        bp.Conv2D(2, 3, 3, padding="full", rng=rng)
    with pytest.raises(ValueError, match="odd kernel"):
        bp.Conv2D(2, 3, 2, padding="same", rng=rng)
    with pytest.raises(ValueError, match="stride 1"):
        bp.Conv2D(2, 3, 3, stride=2, padding="same", rng=rng)
    with pytest.raises(ValueError, match="kernel_size must be an int >= 1 or a pair"):
        bp.Conv2D(2, 3, None, rng=rng)


def test_softmax_of_one_row_and_gradcheck_eps():
    with pytest.raises(bp.ShapeError, match=r"reshape\(1, -1\)"):
        bp.softmax(np.array([1.0, 2.0]))
    net, (X, y) = small_net(), data()
    with pytest.raises(ValueError, match="eps"):
        bp.gradcheck(net, bp.CrossEntropyLoss(), X, y, eps=0)


def test_symbolic_network_refuses_float_labels():
    from bp.symbolic import SymbolicNetwork
    with pytest.raises(ValueError, match="integers"):
        SymbolicNetwork(sizes=(2, 2), activations=("identity",), N=2, loss="cross_entropy", labels=(0.7, 1.2))


# 10. Saving -------------------------------------------------------------------------------------------

def test_state_dict_round_trip_and_clear_errors():
    net, twin = small_net(), small_net(seed=7)
    state = net.state_dict()
    assert list(state) == ["0.W", "0.b", "2.W", "2.b"]
    state["0.W"][0, 0] += 1.0                    # a copy: the network is unchanged
    assert net.layers[0].params["W"][0, 0] != state["0.W"][0, 0]
    twin.load_state_dict(net.state_dict())
    X = data()[0]
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))

    missing = net.state_dict()
    del missing["2.b"]
    with pytest.raises(KeyError, match=r"missing: 2.b"):
        twin.load_state_dict(missing)
    extra = net.state_dict() | {"4.W": np.zeros(1)}
    with pytest.raises(KeyError, match=r"unexpected: 4.W"):
        twin.load_state_dict(extra)
    wrong = net.state_dict() | {"0.W": np.zeros((3, 5))}
    with pytest.raises(bp.ShapeError, match=r"0.W.*\(3, 5\).*\(5, 3\)"):
        twin.load_state_dict(wrong)


def test_pickling_leaves_the_caches_out_and_errors_unpickle():
    rng = np.random.default_rng(0)
    net = bp.Sequential([bp.Dense(64, 32, rng=rng), bp.ReLU(), bp.Dense(32, 10, rng=rng)])
    weights_only = len(pickle.dumps(net))
    net.forward(rng.normal(size=(2000, 64)))     # large caches
    assert len(pickle.dumps(net)) == weights_only
    restored = pickle.loads(pickle.dumps(net))
    X = rng.normal(size=(3, 64))
    np.testing.assert_array_equal(restored.forward(X), net.forward(X))

    error = bp.TrainingDiverged("diverged", epoch=3, lr=0.5, history=bp.History(loss=[1.0]))
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.epoch, again.lr, again.history.loss) == ("diverged", 3, 0.5, [1.0])


def test_pytorch_init_by_name_or_by_function_gives_the_same_layer():
    by_name = bp.Dense(4, 3, rng=np.random.default_rng(0), init="pytorch")
    by_function = bp.Dense(4, 3, rng=np.random.default_rng(0), init=bp.init.pytorch_default)
    for key in ("W", "b"):
        np.testing.assert_array_equal(by_name.params[key], by_function.params[key])
    assert np.all(by_function.params["b"] != 0)
