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


def _torch_twin(torch, net):
    twin = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    with torch.no_grad():
        for value, param in zip(net.state_dict().values(), twin.parameters()):
            param.copy_(torch.from_numpy(value))
    return twin


def _step_both(torch, net, twin, ours, theirs, X, y):
    """One step of bp's optimizer on net and of torch's on its twin, on the batch (X, y)."""
    _gradients(net, X, y, bp.MSELoss())
    ours.step()
    theirs.zero_grad()
    torch.nn.functional.mse_loss(twin(torch.from_numpy(X)), torch.from_numpy(y)).backward()
    theirs.step()


def test_momentum_matches_torch_optim_sgd_over_several_steps(rng):
    torch = pytest.importorskip("torch")
    net = make_net((3, 5, 2), "tanh", rng)
    twin = _torch_twin(torch, net)
    for value, param in zip(net.state_dict().values(), twin.parameters()):
        assert param.shape == value.shape               # W (n_out, n_in) as in torch
    ours = bp.SGD(net, 0.1, momentum=0.9)
    theirs = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
    for step in range(7):
        X, y = batch(rng, 4, 3, "mse", 2)          # a new mini-batch every step
        if step == 4:                              # a schedule: the rate drops mid-way
            ours.lr = 0.03
            theirs.param_groups[0]["lr"] = 0.03
        _step_both(torch, net, twin, ours, theirs, X, y)
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


# --- every optimizer equals torch.optim, step by step ----------------------------------------

OPTIMIZERS = [
    # (bp optimizer, its arguments, torch.optim's class name, its arguments)
    ("SGD", dict(lr=0.1), "SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01), "SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.8, nesterov=True), "SGD", dict(lr=0.1, momentum=0.8, nesterov=True)),
    ("Adam", dict(), "Adam", dict()),                                   # the defaults, lr 1e-3
    ("Adam", dict(lr=0.05, weight_decay=0.1), "Adam", dict(lr=0.05, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True), "Adam", dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True)),
    ("AdamW", dict(lr=0.05), "AdamW", dict(lr=0.05)),                   # weight decay 0.01 by default
    ("AdamW", dict(lr=0.05, weight_decay=0.3, eps=1e-6), "AdamW", dict(lr=0.05, weight_decay=0.3, eps=1e-6)),
]


@pytest.mark.parametrize("ours_name, ours_args, torch_name, torch_args", OPTIMIZERS,
                         ids=[f"{o[0]}-{'-'.join(o[1]) or 'defaults'}" for o in OPTIMIZERS])
def test_every_optimizer_equals_torch_optim_over_many_steps(rng, ours_name, ours_args, torch_name, torch_args):
    torch = pytest.importorskip("torch")
    net = make_net((3, 5, 2), "tanh", rng)
    twin = _torch_twin(torch, net)
    ours = getattr(bp, ours_name)(net, **ours_args)
    theirs = getattr(torch.optim, torch_name)(twin.parameters(), **torch_args)
    start, largest = net.state_dict(), 0.0
    for step in range(30):
        X, y = batch(rng, 4, 3, "mse", 2)          # a new mini-batch every step
        _step_both(torch, net, twin, ours, theirs, X, y)
        for (name, value), param in zip(net.state_dict().items(), twin.parameters()):
            difference = np.max(np.abs(value - param.detach().numpy()))
            assert difference <= 1e-12, f"{ours_name} {name} after step {step + 1}: {difference:.2e}"
            largest = max(largest, difference)
    moved = max(np.max(np.abs(value - start[name])) for name, value in net.state_dict().items())
    assert moved > 1e-3                                 # the weights did move
    print(f"{ours_name}({ours_args}): largest difference from torch.optim.{torch_name} over 30 steps {largest:.1e}")


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_every_optimizer_follows_the_contract(rng, name):
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 4, 3, "mse", 2)
    optimizer = getattr(bp, name)(net, lr=0.05, **({"momentum": 0.9} if name == "SGD" else {}))
    assert isinstance(optimizer, bp.Optimizer) and optimizer.net is net
    for _ in range(3):
        _gradients(net, X, y, bp.MSELoss())
        optimizer.step()
    # the state saved, the run continued, restored into a fresh optimizer: the same next step
    saved, weights = optimizer.state_dict(), net.state_dict()
    _gradients(net, X, y, bp.MSELoss())
    optimizer.step()
    after_one_more = net.state_dict()
    net.load_state_dict(weights)
    fresh = getattr(bp, name)(net, lr=1.0)
    fresh.load_state_dict(saved)
    assert fresh.lr == 0.05
    _gradients(net, X, y, bp.MSELoss())
    fresh.step()
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value, after_one_more[key])
    # zero_grad forgets the gradients: a step now is an error that says what to do
    fresh.zero_grad()
    with pytest.raises(RuntimeError, match=rf"{name}.step\(\): .* Call net.backward"):
        fresh.step()
    with pytest.raises(ValueError, match=f"{name}: the learning rate must be a positive"):
        fresh.lr = -1
    with pytest.raises(TypeError, match=rf"bp.{name}\(net, lr\)"):
        getattr(bp, name)([net], lr=0.1)


def test_optimizer_arguments_outside_their_range_are_refused_by_name():
    net = small_net()
    with pytest.raises(ValueError, match=r"nesterov=True needs a momentum > 0"):
        bp.SGD(net, 0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"weight_decay must be a number >= 0"):
        bp.SGD(net, 0.1, weight_decay=-1e-4)
    with pytest.raises(ValueError, match=r"betas must be a pair"):
        bp.Adam(net, betas=0.9)
    with pytest.raises(ValueError, match=r"each of betas must be a number in \[0, 1\)"):
        bp.AdamW(net, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match=r"eps must be a positive"):
        bp.Adam(net, eps=0)


def test_adam_moves_every_entry_by_about_lr_at_its_first_step(rng):
    # m/(1-b1) = g and s/(1-b2) = g^2 after one step: the step is lr * g / (|g| + eps)
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 4, 3, "mse", 2)
    start = net.state_dict()
    g = _gradients(net, X, y, bp.MSELoss())
    bp.Adam(net, lr=0.01).step()
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(start[name] - value, 0.01 * g[name] / (np.abs(g[name]) + 1e-8),
                                   rtol=1e-12, atol=1e-15)


@pytest.mark.filterwarnings("ignore::bp.TrainingWarning")   # random targets: no better than their mean
def test_fit_takes_any_optimizer_and_names_the_class_when_it_refuses_one(rng):
    net = make_net((3, 5, 2), "tanh", rng)
    X, y = batch(rng, 16, 3, "mse", 2)
    for optimizer in (bp.Adam(net, lr=0.01), bp.AdamW(net, lr=0.01), bp.SGD(net, 0.05, momentum=0.5)):
        history = bp.fit(net, bp.MSELoss(), X, y, optimizer, epochs=20)
        assert history.loss[-1] < history.loss[0]
    with pytest.raises(TypeError, match=r"optimizer is None; fit needs an optimizer"):
        bp.fit(net, bp.MSELoss(), X, y, None, epochs=1)
    with pytest.raises(TypeError, match=r"must be a bp optimizer .* got float"):
        bp.fit(net, bp.MSELoss(), X, y, 0.1, epochs=1)
    with pytest.raises(ValueError, match=r"the Adam optimizer was built for another network.*bp.Adam\(net"):
        bp.fit(net, bp.MSELoss(), X, y, bp.Adam(small_net()), epochs=1)
