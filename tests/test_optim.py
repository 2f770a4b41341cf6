"""SGD: theta <- theta - lr * dC/dtheta, in place, for every parameter."""
import numpy as np
import pytest

import bp
from helpers import batch, make_net, small_net


def test_sgd_step_is_theta_minus_lr_times_grad_in_place(rng):
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


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.


def test_sgd_takes_numpy_numbers_and_refuses_what_is_not_a_network():
    net = small_net()
    assert bp.SGD(net, np.float32(0.1)).lr == pytest.approx(0.1)
    with pytest.raises(TypeError, match=r"bp.SGD\(net, lr\)"):
        bp.SGD(net.parameters(), 0.1)
    optimizer = bp.SGD(net, 0.1)
    with pytest.raises(ValueError, match="positive finite"):
        optimizer.lr = float("nan")
