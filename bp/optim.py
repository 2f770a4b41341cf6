"""Gradient descent, plain or with momentum, for every parameter of a network.

Plain:          theta <- theta - lr * g,                    g = dC/dtheta
With momentum:  v <- momentum * v + g,  theta <- theta - lr * v   (v = g at the first step)

Derived and explored in the chapter "Updating the weights", momentum on a quadratic
cost eigendirection by eigendirection.
"""
import numpy as np

from .errors import check_positive_number


def _check_momentum(value):
    """``value`` as a float if it is a real number in [0, 1); a clear error otherwise."""
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating))
            or not np.isfinite(value) or not 0 <= value < 1):
        raise ValueError(f"SGD: the momentum must be a number in [0, 1) (0 for plain gradient "
                         f"descent, 0.9 is common), got {value!r}.")
    return float(value)


class SGD:
    """(Stochastic) gradient descent on every parameter of ``net``, with optional momentum.

    ``step()`` uses the gradients left by the last ``net.backward``; it updates the
    arrays in place, so layers keep the same parameter objects. For every parameter
    array ``theta`` (any shape) and its gradient ``g`` (the same shape):

    - ``momentum=0`` (the default): ``theta -= lr * g``;
    - ``0 < momentum < 1``: the heavy-ball method in the form of ``torch.optim.SGD``
      (dampening 0, nesterov False): a velocity ``v`` of ``theta``'s shape is kept per
      parameter, ``v = g`` at the first step and ``v = momentum * v + g`` after that;
      then ``theta -= lr * v``. ``velocity`` holds these arrays, keyed by parameter
      name ("0.W", ...), once the first step has made them.

    ``lr`` may be changed between steps (a schedule); it must stay positive. The
    velocity does not contain ``lr``, so a new rate applies to the whole of it at once,
    as in PyTorch.
    """

    def __init__(self, net, lr, momentum=0.0):
        if not hasattr(net, "named_parameters") or not hasattr(net, "layers"):
            raise TypeError(f"SGD: expected the network itself, a bp.Sequential, got "
                            f"{type(net).__name__}. Write bp.SGD(net, lr).")
        self.net = net
        self.lr = lr
        self.momentum = momentum
        self.velocity = {}

    @property
    def lr(self):
        """The learning rate eta."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = check_positive_number(value, "SGD", "the learning rate")

    @property
    def momentum(self):
        """The momentum mu in [0, 1); 0 is plain gradient descent."""
        return self._momentum

    @momentum.setter
    def momentum(self, value):
        self._momentum = _check_momentum(value)

    def step(self):
        for name, param, layer, key in self.net.named_parameters():
            if key not in layer.grads:
                raise RuntimeError(
                    f"SGD.step(): {layer!r} has no gradient for {key!r}. Call "
                    f"net.backward(loss.backward()) after the forward pass, before step()."
                )
            grad = layer.grads[key]
            if self.momentum:
                if name in self.velocity:
                    grad = self.velocity[name] = self.momentum * self.velocity[name] + grad
                else:
                    grad = self.velocity[name] = grad.copy()   # the first step: v = g
            param -= self.lr * grad

    def __repr__(self):
        if self.momentum:
            return f"SGD(lr={self.lr:g}, momentum={self.momentum:g})"
        return f"SGD(lr={self.lr:g})"
