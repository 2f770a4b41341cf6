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


# --- momentum: the heavy ball in torch.optim.SGD's form -------------------------------------


def _gradients(net, X, y, loss):
    """Forward, loss and backward; the gradient of every parameter, copied, by name."""
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    return {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}


def test_momentum_steps_are_the_sums_written_out_by_hand(rng):
    # v1 = g1, v2 = mu g1 + g2, v3 = mu^2 g1 + mu g2 + g3, v4 = mu^3 g1 + ... + g4; theta
    # moves by -lr_t v_t, with the rate changed before step 3 (it scales all of v, as in
    # PyTorch). Each step's gradients are those at the weights the step starts from.
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 4, 3, "mse", 2)
    loss = bp.MSELoss()
    mu, rates = 0.7, [0.3, 0.3, 0.1, 0.1]
    optimizer = bp.SGD(net, rates[0], momentum=mu)
    start = net.state_dict()
    g = []
    for lr in rates:
        g.append(_gradients(net, X, y, loss))
        optimizer.lr = lr
        optimizer.step()
    for name in start:
        g1, g2, g3, g4 = (gt[name] for gt in g)
        v = [g1, mu * g1 + g2, mu**2 * g1 + mu * g2 + g3, mu**3 * g1 + mu**2 * g2 + mu * g3 + g4]
        expected = start[name] - sum(lr * vt for lr, vt in zip(rates, v))
        np.testing.assert_allclose(net.state_dict()[name], expected, rtol=0, atol=1e-14)
        np.testing.assert_allclose(optimizer.velocity[name], v[-1], rtol=0, atol=1e-14)
    assert not np.allclose(g[0]["0.W"], g[1]["0.W"])   # the gradients did change


def test_momentum_zero_is_plain_gradient_descent_and_keeps_no_velocity(rng):
    net, twin = (make_net((3, 5, 2), "tanh", np.random.default_rng(4)) for _ in range(2))
    X, y = batch(rng, 4, 3, "mse", 2)
    plain, zero = bp.SGD(net, 0.2), bp.SGD(twin, 0.2, momentum=0.0)
    for _ in range(3):
        for model, optimizer in ((net, plain), (twin, zero)):
            _gradients(model, X, y, bp.MSELoss())
            optimizer.step()
    for name, value in net.state_dict().items():
        assert np.array_equal(value, twin.state_dict()[name])
    assert zero.velocity == {} and repr(zero) == "SGD(lr=0.2)"


def test_momentum_matches_torch_optim_sgd_over_several_steps(rng):
    torch = pytest.importorskip("torch")
    net = make_net((3, 5, 2), "tanh", rng)
    twin = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    with torch.no_grad():
        for (name, value), (torch_name, param) in zip(net.state_dict().items(), twin.named_parameters()):
            assert param.shape == value.shape, (name, torch_name)   # W (n_out, n_in) as in torch
            param.copy_(torch.from_numpy(value))
    ours = bp.SGD(net, 0.1, momentum=0.9)
    theirs = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
    for step in range(7):
        X, y = batch(rng, 4, 3, "mse", 2)          # a new mini-batch every step
        if step == 4:                              # a schedule: the rate drops mid-way
            ours.lr = 0.03
            theirs.param_groups[0]["lr"] = 0.03
        _gradients(net, X, y, bp.MSELoss())
        ours.step()
        theirs.zero_grad()
        torch.nn.functional.mse_loss(twin(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        theirs.step()
        for (name, value), param in zip(net.state_dict().items(), twin.parameters()):
            np.testing.assert_allclose(value, param.detach().numpy(), rtol=0, atol=1e-12,
                                       err_msg=f"{name} after step {step + 1}")
    for name, param in zip(net.state_dict(), twin.parameters()):
        buffer = theirs.state[param]["momentum_buffer"].numpy()
        np.testing.assert_allclose(ours.velocity[name], buffer, rtol=0, atol=1e-12)


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1, float("nan"), float("inf"), True, "0.9", None])
def test_momentum_outside_zero_to_one_is_refused_by_name(momentum):
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\)"):
        bp.SGD(small_net(), 0.1, momentum=momentum)
    optimizer = bp.SGD(small_net(), 0.1, momentum=np.float32(0.5))
    assert optimizer.momentum == 0.5 and repr(optimizer) == "SGD(lr=0.1, momentum=0.5)"
    with pytest.raises(ValueError, match="momentum"):
        optimizer.momentum = momentum


def test_velocity_is_its_own_array_so_clipping_gradients_in_place_leaves_it_alone(rng):
    # Gradient clipping often scales layer.grads in place between backward and step;
    # the velocity kept from an earlier step must not change with them.
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 4, 3, "mse", 2)
    optimizer = bp.SGD(net, 0.1, momentum=0.9)
    first = _gradients(net, X, y, bp.MSELoss())
    optimizer.step()
    for _, _, layer, key in net.named_parameters():
        layer.grads[key] *= 0.0
    for name, g in first.items():
        np.testing.assert_array_equal(optimizer.velocity[name], g)
