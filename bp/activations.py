"""Element-wise activation layers: a = sigma(z).

Each backward pass is the chain rule for an element-wise function,
dC/dz = dC/da (.) sigma'(z), written right under its forward pass. The
derivative is evaluated at z (the layer's input), expressed through the
stored output where that is cheaper: for the sigmoid, sigma'(z) =
sigma(z)(1 - sigma(z)) = a(1 - a). Derived in "Backpropagation calculations".
No parameters: ``params`` and ``grads`` stay empty dicts.
"""
import numpy as np

from .errors import as_float_array, check_finite, check_shape
from .layer import Layer


def _check_input(layer, Z):
    Z = as_float_array(Z, layer)
    check_finite(Z, layer)
    return Z


def _check_grad(layer, dA, shape):
    dA = as_float_array(dA, layer, "gradient dA")
    check_shape(dA, shape, layer, "gradient dA")
    return dA


def sigmoid(Z):
    """The logistic function 1 / (1 + e^-z), computed without overflow.

    1 / (1 + exp(-z)) overflows for z below about -709; the identity
    sigma(z) = (1 + tanh(z/2)) / 2 gives the same numbers with no overflow.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * Z))


class Sigmoid(Layer):
    """a = 1 / (1 + e^-z), element-wise. Any input shape; output has the same shape."""

    def forward(self, Z):
        Z = _check_input(self, Z)
        A = sigmoid(Z)
        self._cache = A
        return A

    def backward(self, dA, input_grad=True):
        """dC/dz = dC/da (.) sigma'(z), with sigma'(z) = a (1 - a)."""
        A = self._cached()
        dA = _check_grad(self, dA, A.shape)
        return dA * A * (1.0 - A)


class Tanh(Layer):
    """a = tanh(z), element-wise. Any input shape; output has the same shape."""

    def forward(self, Z):
        Z = _check_input(self, Z)
        A = np.tanh(Z)
        self._cache = A
        return A

    def backward(self, dA, input_grad=True):
        """dC/dz = dC/da (.) tanh'(z), with tanh'(z) = 1 - tanh(z)^2 = 1 - a^2."""
        A = self._cached()
        dA = _check_grad(self, dA, A.shape)
        return dA * (1.0 - A * A)


class ReLU(Layer):
    """a = max(0, z), element-wise. Any input shape; output has the same shape.

    At the kink z = 0 the derivative is taken to be 0, as PyTorch does.
    """

    def forward(self, Z):
        Z = _check_input(self, Z)
        # Keep the derivative as a 0/1 float mask: multiplying by it in backward
        # is several times faster than boolean indexing like dZ[Z <= 0] = 0.
        mask = (Z > 0).astype(Z.dtype)
        self._cache = mask
        return Z * mask

    def backward(self, dA, input_grad=True):
        """dC/dz = dC/da (.) 1[z > 0]."""
        mask = self._cached()
        dA = _check_grad(self, dA, mask.shape)
        return dA * mask
