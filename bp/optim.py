"""Gradient descent: theta <- theta - lr * dC/dtheta, for every parameter.

Derived and explored in "Updating the weights".
"""
from .errors import check_positive_number


class SGD:
    """Plain (stochastic) gradient descent on every parameter of ``net``.

    ``step()`` uses the gradients left by the last ``net.backward``; it
    updates the arrays in place, so layers keep the same parameter objects.
    ``lr`` may be changed between steps (a schedule); it must stay positive.
    """

    def __init__(self, net, lr):
        if not hasattr(net, "named_parameters") or not hasattr(net, "layers"):
            raise TypeError(f"SGD: expected the network itself, a bp.Sequential, got "
                            f"{type(net).__name__}. Write bp.SGD(net, lr).")
        self.net = net
        self.lr = lr

    @property
    def lr(self):
        """The learning rate eta."""
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = check_positive_number(value, "SGD", "the learning rate")

    def step(self):
        for _, param, layer, key in self.net.named_parameters():
            if key not in layer.grads:
                raise RuntimeError(
                    f"SGD.step(): {layer!r} has no gradient for {key!r}. Call "
                    f"net.backward(loss.backward()) after the forward pass, before step()."
                )
            param -= self.lr * layer.grads[key]

    def __repr__(self):
        return f"SGD(lr={self.lr:g})"
