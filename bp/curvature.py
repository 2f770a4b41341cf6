"""The curvature of the cost: its Hessian, and the largest eigenvalue ("sharpness").

Gradient descent with rate eta is stable along a direction of curvature lambda
only while eta * lambda < 2 (chapter "Updating the weights"). To see where a
network stands, we need lambda_max of the Hessian H = d^2 C / d theta^2 at the
current weights.

H is the derivative of the gradient, and backpropagation gives the gradient.
So column i of H is a centred difference of two backpropagated gradients:

    H[:, i] = (grad C(theta + h e_i) - grad C(theta - h e_i)) / (2 h)

which costs 2 backward passes per parameter: fine for the book's small
networks (a few hundred parameters), not for large ones, where one would use
Hessian-vector products and the power method instead.
"""
import numpy as np


def flat_gradient(net, loss_fn, X, y):
    """Backpropagate once and return every parameter's gradient as one vector,
    in the order of ``net.parameters()``."""
    loss_fn.forward(net.forward(X), y)
    net.backward(loss_fn.backward())
    return np.concatenate([layer.grads[key].ravel() for _, _, layer, key in net.named_parameters()])


def hessian(net, loss_fn, X, y, h=1e-5):
    """The Hessian of the cost at the current weights, shape (P, P) for P parameters.

    Rows and columns follow ``net.parameters()``, each tensor flattened in C order.
    Columns are centred differences of backpropagated gradients (error of order
    h^2); the result is symmetrised, as the exact Hessian is. The weights are
    restored exactly afterwards.
    """
    params = [param for _, param, _ in net.parameters()]
    n = sum(param.size for param in params)
    H = np.empty((n, n))
    column = 0
    for param in params:
        flat = param.reshape(-1)            # a view: writing to it moves the weight
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + h
            plus = flat_gradient(net, loss_fn, X, y)
            flat[i] = original - h
            minus = flat_gradient(net, loss_fn, X, y)
            flat[i] = original
            H[:, column] = (plus - minus) / (2 * h)
            column += 1
    return (H + H.T) / 2


def sharpness(net, loss_fn, X, y, h=1e-5):
    """lambda_max, the largest eigenvalue of the Hessian of the cost at the current weights.

    Full-batch gradient descent with learning rate eta is stable near these weights
    only if lambda_max < 2 / eta.
    """
    return float(np.linalg.eigvalsh(hessian(net, loss_fn, X, y, h))[-1])
