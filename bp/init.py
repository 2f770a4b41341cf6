"""Weight initializers for a Dense layer's W of shape (n_out, n_in).

Each takes ``(n_out, n_in, rng)`` and returns a float64 array; ``rng`` is a
``numpy.random.Generator``, so every random choice is explicit and
repeatable. The chapter "The backpropagation algorithm" shows why the
scale matters and why all-equal weights never break symmetry.
"""
import numpy as np

from .errors import check_rng


def zeros(n_out, n_in, rng=None):
    """All weights 0: every hidden unit computes the same thing, forever (the symmetry problem)."""
    return np.zeros((n_out, n_in))


zeros.needs_rng = False      # Dense(..., init="zeros") needs no rng


def constant(value):
    """Return an initializer that sets every weight to ``value`` (also symmetric)."""
    def init(n_out, n_in, rng=None):
        return np.full((n_out, n_in), float(value))
    init.needs_rng = False
    return init


def normal(std=0.01):
    """Return an initializer drawing W ~ Normal(0, std^2), with a fixed ``std``."""
    def init(n_out, n_in, rng):
        rng = check_rng(rng, f"normal({std}) initializer")
        return rng.normal(0.0, std, size=(n_out, n_in))
    return init


def xavier(n_out, n_in, rng):
    """Xavier/Glorot normal: Var(w) = 2 / (n_in + n_out); suits tanh and sigmoid.

    Same as ``torch.nn.init.xavier_normal_``.
    """
    rng = check_rng(rng, "xavier initializer")
    std = np.sqrt(2.0 / (n_in + n_out))
    return rng.normal(0.0, std, size=(n_out, n_in))


def he(n_out, n_in, rng):
    """He/Kaiming normal: Var(w) = 2 / n_in; suits ReLU.

    Same as ``torch.nn.init.kaiming_normal_(w, nonlinearity="relu")``.
    """
    rng = check_rng(rng, "he initializer")
    std = np.sqrt(2.0 / n_in)
    return rng.normal(0.0, std, size=(n_out, n_in))


def pytorch_default(n_out, n_in, rng):
    """PyTorch's default for ``nn.Linear``: W ~ Uniform(-1/sqrt(n_in), 1/sqrt(n_in))."""
    rng = check_rng(rng, "pytorch initializer")
    bound = 1.0 / np.sqrt(n_in)
    return rng.uniform(-bound, bound, size=(n_out, n_in))


BY_NAME = {
    "zeros": zeros,
    "normal": normal(),
    "xavier": xavier,
    "he": he,
    "pytorch": pytorch_default,
}
