"""The fully connected (dense) layer.

Forward (chapter "Forward propagation"), per example and batched:

    z = W a_prev + b            (column vectors)
    Z = A_prev @ W.T + b        (a batch, one example per row)

Backward (chapter "Backpropagation calculations"), with dZ = dC/dZ:

    dC/dW      = dZ.T @ A_prev      -- the equation  dC/dW^l = delta^l (a^{l-1})^T, summed over the batch
    dC/db      = dZ.sum(axis=0)     -- the equation  dC/db^l = delta^l, summed over the batch
    dC/dA_prev = dZ @ W             -- the (W^{l+1})^T delta^{l+1} part of the delta recursion

The 1/N of the mean cost is already inside dZ (the loss divides by N once),
so nothing here divides by N.
"""
import numpy as np

from . import init as initializers
from .errors import ShapeError, as_float_array, check_finite, check_rng, check_shape
from .layer import Layer


class Dense(Layer):
    """A fully connected layer ``Z = A_prev @ W.T + b``, like ``torch.nn.Linear``.

    Parameters
    ----------
    n_in, n_out : int
        Number of input and output features.
    rng : numpy.random.Generator or int
        Source of the random initial weights, or an integer seed for one (required
        unless ``init`` is deterministic, like ``"zeros"``).
    init : str or callable
        ``"pytorch"`` (default, as ``torch.nn.Linear``: W and b uniform in
        +-1/sqrt(n_in)), ``"xavier"``, ``"he"``, ``"normal"``, ``"zeros"``,
        or a function ``(n_out, n_in, rng) -> W``. Except for ``"pytorch"``
        the bias starts at zero.

    Shapes: ``params["W"]`` (n_out, n_in), ``params["b"]`` (n_out,);
    input (N, n_in), output (N, n_out).
    """

    def __init__(self, n_in, n_out, *, rng=None, init="pytorch"):
        super().__init__()
        if int(n_in) != n_in or int(n_out) != n_out or n_in < 1 or n_out < 1:
            raise ValueError(f"Dense: n_in and n_out must be positive integers, got {n_in} and {n_out}.")
        self.n_in, self.n_out = int(n_in), int(n_out)
        init_fn = initializers.BY_NAME.get(init, init) if isinstance(init, str) else init
        if isinstance(init_fn, str) or not callable(init_fn):
            raise ValueError(f"Dense: unknown init {init!r}; expected one of "
                             f"{sorted(initializers.BY_NAME)} or a function (n_out, n_in, rng) -> W.")
        if rng is not None or getattr(init_fn, "needs_rng", True):
            rng = check_rng(rng, f"Dense({self.n_in}, {self.n_out})")
        W = np.asarray(init_fn(self.n_out, self.n_in, rng), dtype=np.float64)
        if W.shape != (self.n_out, self.n_in):
            raise ShapeError(f"Dense: init returned W of shape {W.shape}, expected {(self.n_out, self.n_in)}.")
        if init_fn is initializers.pytorch_default:  # nn.Linear draws b from W's range too
            bound = 1.0 / np.sqrt(self.n_in)
            b = rng.uniform(-bound, bound, size=self.n_out)
        else:
            b = np.zeros(self.n_out)
        self.params = {"W": W, "b": b}

    def forward(self, A_prev):
        """Z = A_prev @ W.T + b.  A_prev: (N, n_in) -> Z: (N, n_out)."""
        A_prev = as_float_array(A_prev, self)
        check_shape(A_prev, (None, self.n_in), self)
        check_finite(A_prev, self)
        self._cache = A_prev
        return A_prev @ self.params["W"].T + self.params["b"]

    def backward(self, dZ, input_grad=True):
        """Given dZ = dC/dZ (N, n_out): fill grads["W"], grads["b"]; return dC/dA_prev (N, n_in).

        ``input_grad=False`` skips dC/dA_prev and returns None. Training never needs it
        for the first layer, whose input is the data (see ``Sequential.backward``).
        """
        A_prev = self._cached()
        dZ = as_float_array(dZ, self, "gradient dZ")
        check_shape(dZ, (A_prev.shape[0], self.n_out), self, "gradient dZ")
        self.grads["W"] = dZ.T @ A_prev      # (n_out, N) @ (N, n_in) -> (n_out, n_in)
        self.grads["b"] = dZ.sum(axis=0)     # one delta per example, summed over the batch
        if not input_grad:
            return None
        return dZ @ self.params["W"]         # (N, n_out) @ (n_out, n_in) -> (N, n_in)

    def __repr__(self):
        return f"Dense({self.n_in} -> {self.n_out})"

