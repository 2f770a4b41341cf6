"""The errors bp raises (bp/errors.py) say what was wrong in the reader's terms.

Which layer, which shape it expected and which it got, where the nan is, what a
label must be: shown here on Dense, the activations, the losses, Sequential and
SGD. The recurrent and convolutional layers' messages are tested in their own files.
"""
import numpy as np
import pytest

import bp


def test_shape_errors_name_the_layer_and_both_shapes(rng):
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
def test_nan_input_is_refused_with_its_position(where, rng):
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


def test_dense_and_network_construction_errors():
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


# Every layer's nan and backward-before-forward errors: test_layer.py, over helpers.LAYER_FACTORIES.
