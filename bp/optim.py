"""Optimizers: how a step moves every parameter, given the gradients backward left.

Every optimizer follows one contract, :class:`Optimizer` (the shape of ``torch.optim``):
built from a network and a learning rate, ``step()`` updates the parameters in place
from the gradients of the last ``net.backward``, ``zero_grad()`` forgets them, and
``state_dict()``/``load_state_dict()`` save and restore the optimizer's own memory
(momentum, Adam's averages) so a training run can be resumed.

Plain:          theta <- theta - lr * g,                    g = dC/dtheta
With momentum:  v <- momentum * v + g,  theta <- theta - lr * v   (v = g at the first step)
Adam:           m <- b1 m + (1 - b1) g,  s <- b2 s + (1 - b2) g^2,
                theta <- theta - lr * (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)

Gradient descent and momentum are derived and explored in the chapter "Updating the
weights"; each update here equals ``torch.optim``'s with the same arguments (the tests
compare them step by step).
"""
import numpy as np

from .errors import check_positive_number


def _check_fraction(value, who, what, hint):
    """``value`` as a float if it is a real number in [0, 1); a clear error otherwise."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating))
            or not np.isfinite(value) or not 0 <= value < 1):
        raise ValueError(f"{who}: {what} must be a number in [0, 1) ({hint}), got {value!r}.")
    return float(value)


def _check_weight_decay(value, who):
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating))
            or not np.isfinite(value) or value < 0):
        raise ValueError(f"{who}: weight_decay must be a number >= 0 (0 for none, 1e-4 is "
                         f"common), got {value!r}.")
    return float(value)


class Optimizer:
    """What every bp optimizer has: the network it updates, a learning rate, and state.

    Subclasses write ``step()``; they keep their per-parameter memory in ``self.state``,
    a dict keyed by parameter name ("0.W", ...) holding a dict of arrays (and counts) per
    parameter, so that ``state_dict`` and ``load_state_dict`` work for all of them.
    ``hyperparameters`` names the constructor's numbers that ``state_dict`` saves.
    """

    hyperparameters = ("lr",)

    def __init__(self, net, lr):
        who = type(self).__name__
        if not hasattr(net, "named_parameters") or not hasattr(net, "layers"):
            raise TypeError(f"{who}: expected the network itself, a bp.Sequential, got "
                            f"{type(net).__name__}. Write bp.{who}(net, lr).")
        self.net = net
        self.lr = lr
        self.state = {}

    @property
    def lr(self):
        """The learning rate eta; it may be changed between steps (a schedule)."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = check_positive_number(value, type(self).__name__, "the learning rate")

    def gradients(self):
        """Yield (name, param, grad) for every parameter, with the gradient the last
        backward left; a clear error if there is none."""
        for name, param, layer, key in self.net.named_parameters():
            if key not in layer.grads:
                raise RuntimeError(
                    f"{type(self).__name__}.step(): {layer!r} has no gradient for {key!r}. Call "
                    f"net.backward(loss.backward()) after the forward pass, before step()."
                )
            yield name, param, layer.grads[key]

    def step(self):  # pragma: no cover - every optimizer overrides it
        raise NotImplementedError

    def zero_grad(self):
        """Forget every gradient, so a step before the next backward is an error.

        bp's layers assign their gradients rather than add to them, so training does
        not need this call (PyTorch's does); it is here so a loop written for PyTorch
        runs unchanged.
        """
        for layer in self.net.layers:
            layer.grads.clear()

    def state_dict(self):
        """The hyperparameters and a copy of the per-parameter state, to save and restore."""
        state = {name: {key: (value.copy() if isinstance(value, np.ndarray) else value)
                        for key, value in entry.items()}
                 for name, entry in self.state.items()}
        return {"hyperparameters": {key: getattr(self, key) for key in self.hyperparameters},
                "state": state}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict`` returned, for this network's parameters."""
        who = type(self).__name__
        if not isinstance(state_dict, dict) or set(state_dict) != {"hyperparameters", "state"}:
            raise ValueError(f"{who}.load_state_dict: expected what {who}.state_dict() returns, a "
                             f"dict with 'hyperparameters' and 'state'.")
        shapes = {name: param.shape for name, param, _, _ in self.net.named_parameters()}
        for name, entry in state_dict["state"].items():
            if name not in shapes:
                raise KeyError(f"{who}.load_state_dict: the state has {name!r}, which this "
                               f"network does not have (it has {', '.join(shapes)}).")
            for key, value in entry.items():
                if isinstance(value, np.ndarray) and value.shape != shapes[name]:
                    raise ValueError(f"{who}.load_state_dict: {name} {key} has shape "
                                     f"{value.shape}, the parameter has shape {shapes[name]}.")
        for key, value in state_dict["hyperparameters"].items():
            setattr(self, key, value)
        self.state = {name: {key: (value.copy() if isinstance(value, np.ndarray) else value)
                             for key, value in entry.items()}
                      for name, entry in state_dict["state"].items()}

    def __repr__(self):
        shown = ", ".join(f"{key}={getattr(self, key)!r}" for key in self.hyperparameters)
        return f"{type(self).__name__}({shown})"


class SGD(Optimizer):
    """(Stochastic) gradient descent on every parameter of ``net``, with optional momentum.

    ``step()`` uses the gradients left by the last ``net.backward``; it updates the
    arrays in place, so layers keep the same parameter objects. For every parameter
    array ``theta`` (any shape) and its gradient ``g`` (the same shape):

    - ``weight_decay=lam > 0`` first adds the gradient of the penalty ``lam/2 |theta|^2``:
      ``g = g + lam * theta``;
    - ``momentum=0`` (the default): ``theta -= lr * g``;
    - ``0 < momentum < 1``: the heavy-ball method in the form of ``torch.optim.SGD``
      (dampening 0): a velocity ``v`` of ``theta``'s shape is kept per parameter,
      ``v = g`` at the first step and ``v = momentum * v + g`` after that; then
      ``theta -= lr * v``, or with ``nesterov=True`` ``theta -= lr * (g + momentum * v)``.
      ``velocity`` holds these arrays, keyed by parameter name ("0.W", ...), once the
      first step has made them.

    ``lr`` may be changed between steps (a schedule); it must stay positive. The
    velocity does not contain ``lr``, so a new rate applies to the whole of it at once,
    as in PyTorch.
    """

    hyperparameters = ("lr", "momentum", "nesterov", "weight_decay")

    def __init__(self, net, lr, momentum=0.0, *, nesterov=False, weight_decay=0.0):
        super().__init__(net, lr)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.nesterov = nesterov

    @property
    def momentum(self):
        """The momentum mu in [0, 1); 0 is plain gradient descent."""
        return self._momentum

    @momentum.setter
    def momentum(self, value):
        self._momentum = _check_fraction(value, "SGD", "the momentum",
                                         "0 for plain gradient descent, 0.9 is common")

    @property
    def nesterov(self):
        return self._nesterov

    @nesterov.setter
    def nesterov(self, value):
        if value and not self.momentum:
            raise ValueError("SGD: nesterov=True needs a momentum > 0 (Nesterov's method is a "
                             "form of momentum), e.g. bp.SGD(net, lr, momentum=0.9, nesterov=True).")
        self._nesterov = bool(value)

    @property
    def weight_decay(self):
        return self._weight_decay

    @weight_decay.setter
    def weight_decay(self, value):
        self._weight_decay = _check_weight_decay(value, "SGD")

    @property
    def velocity(self):
        """The velocity of every parameter, by name (empty before the first momentum step)."""
        return {name: entry["velocity"] for name, entry in self.state.items()}

    def step(self):
        for name, param, grad in self.gradients():
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            if self.momentum:
                if name in self.state:
                    velocity = self.momentum * self.state[name]["velocity"] + grad
                else:
                    velocity = grad.copy()                     # the first step: v = g
                self.state[name] = {"velocity": velocity}
                grad = grad + self.momentum * velocity if self.nesterov else velocity
            param -= self.lr * grad

    def __repr__(self):
        shown = [f"lr={self.lr:g}"]
        if self.momentum:
            shown.append(f"momentum={self.momentum:g}")
        if self.nesterov:
            shown.append("nesterov=True")
        if self.weight_decay:
            shown.append(f"weight_decay={self.weight_decay:g}")
        return f"SGD({', '.join(shown)})"


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): a step per parameter entry, scaled by running averages.

    For every parameter ``theta`` with gradient ``g``, at step t = 1, 2, ...:

        m <- b1 m + (1 - b1) g              (the average gradient; m = 0 before step 1)
        s <- b2 s + (1 - b2) g*g            (the average squared gradient; s = 0 before)
        theta <- theta - lr * (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)

    Dividing by ``1 - b^t`` undoes the pull of the zero start on the first steps. Entries
    with large gradients get smaller steps, entries with small ones larger steps: every
    entry moves by about ``lr`` at first, whatever the scale of its gradient.
    ``weight_decay=lam`` adds ``lam * theta`` to ``g`` first (an L2 penalty, as
    ``torch.optim.Adam``); :class:`AdamW` decays the weights apart from the averages.
    ``amsgrad=True`` divides by the largest ``s`` seen so far instead. Defaults and
    arithmetic are ``torch.optim.Adam``'s.
    """

    hyperparameters = ("lr", "betas", "eps", "weight_decay", "amsgrad")
    decoupled_weight_decay = False

    def __init__(self, net, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(net, lr)
        who = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{who}: betas must be a pair (b1, b2) of numbers in [0, 1), "
                             f"(0.9, 0.999) by default, got {betas!r}.")
        self.betas = tuple(_check_fraction(b, who, "each of betas", "(0.9, 0.999) by default")
                           for b in betas)
        self.eps = check_positive_number(eps, who, "eps")
        self.weight_decay = _check_weight_decay(weight_decay, who)
        self.amsgrad = bool(amsgrad)

    def step(self):
        b1, b2 = self.betas
        for name, param, grad in self.gradients():
            if self.weight_decay:
                if self.decoupled_weight_decay:
                    param *= 1 - self.lr * self.weight_decay     # AdamW: shrink the weights
                else:
                    grad = grad + self.weight_decay * param      # Adam: an L2 penalty's gradient
            state = self.state.setdefault(name, {"step": 0, "m": np.zeros_like(param),
                                                 "s": np.zeros_like(param)})
            state["step"] += 1
            t = state["step"]
            state["m"] = b1 * state["m"] + (1 - b1) * grad
            state["s"] = b2 * state["s"] + (1 - b2) * grad * grad
            s = state["s"]
            if self.amsgrad:
                s = state["s_max"] = np.maximum(state.get("s_max", s), s)
            denominator = np.sqrt(s) / np.sqrt(1 - b2 ** t) + self.eps
            param -= (self.lr / (1 - b1 ** t)) * state["m"] / denominator


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as ``torch.optim.AdamW``.

    Each step first shrinks every weight, ``theta <- theta * (1 - lr * weight_decay)``,
    then takes Adam's step without the decay in the averages. (In :class:`Adam`, an L2
    penalty's gradient goes through the averages and is divided by ``sqrt(s)`` like the
    rest, so large weights with large gradients are hardly decayed.) The default
    ``weight_decay`` is 0.01, as in PyTorch.
    """

    decoupled_weight_decay = True

    def __init__(self, net, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(net, lr, betas, eps, weight_decay, amsgrad)
