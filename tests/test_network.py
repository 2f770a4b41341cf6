"""Sequential: backpropagation through a whole network, and what keeps its gradients right.

Gradient checks follow CONTRIBUTING.md: float64, all sizes distinct
(3 -> 5 -> 2), a batch of N = 4, random non-zero parameters, inputs away from
ReLU's kink, every parameter tensor of every layer and the input checked. The
planted-bug tests of test_gradcheck.py show that the check is able to fail.
"""
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bp
from helpers import batch, data, make_net, small_net


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


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.


def gradients(net):
    return {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}


def backprop(net, loss, X, y):
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    return gradients(net)


# One layer object used twice ------------------------------------------------------------


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


# A forward pass between the loss and backward ----------------------------------------


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


# Changing the input or an output in place before backward ------------------------------


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


# Saving -------------------------------------------------------------------------------------------


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


def test_pickling_leaves_the_caches_out_and_errors_unpickle(rng):
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


def test_calling_a_network_or_a_layer_is_forward_and_predict_proba_is_the_softmax():
    rng = np.random.default_rng(0)
    net = bp.Sequential([bp.Dense(2, 4, rng=0), bp.Tanh(), bp.Dense(4, 3, rng=1)])
    X = rng.normal(size=(5, 2))
    np.testing.assert_array_equal(net(X), net.forward(X))
    np.testing.assert_array_equal(net.layers[0](X), net.layers[0].forward(X))
    P = net.predict_proba(X)
    np.testing.assert_allclose(P, bp.softmax(net.predict(X)), rtol=0, atol=0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    regression = bp.Sequential([bp.Dense(2, 1, rng=0)])
    with pytest.raises(bp.ShapeError, match=r"predict_proba: expected the network to output K >= 2 logits"):
        regression.predict_proba(X)
