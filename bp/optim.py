"""Gradient descent: theta <- theta - lr * dC/dtheta, for every parameter.

Derived and explored in "Updating the weights".
"""
import math


class SGD:
    """Plain (stochastic) gradient descent on every parameter of ``net``.

    ``step()`` uses the gradients left by the last ``net.backward``; it
    updates the arrays in place, so layers keep the same parameter objects.
    """

    def __init__(self, net, lr):
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"SGD: the learning rate must be a positive finite number, got {lr!r}.")
        self.net = net
        self.lr = float(lr)

    def step(self):
        for layer in self.net.layers:
            for key, param in layer.params.items():
                if key not in layer.grads:
                    raise RuntimeError(
                        f"SGD.step(): {layer!r} has no gradient for {key!r}. Call "
                        f"net.backward(loss.backward()) after the forward pass, before step()."
                    )
                param -= self.lr * layer.grads[key]

    def __repr__(self):
        return f"SGD(lr={self.lr:g})"
