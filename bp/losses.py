"""Loss functions: the cost C of a batch, and its gradient dC/d(prediction).

Both are means over the batch, C = (1/N) sum_x C_x, as PyTorch's
``reduction="mean"``. The 1/N appears exactly once: in the gradient that
``backward()`` returns, so no layer divides by N again.

Usage: ``value = loss.forward(pred, target)`` returns a float;
``loss.backward()`` returns dC/d pred with the shape of ``pred``.
``loss.value(pred, target)`` returns the same float and keeps nothing, so a
backward still pending is not disturbed (``bp.evaluate`` uses it).
"""
import numpy as np

from .errors import (BackwardBeforeForwardError, ShapeError, as_float_array, check_finite,
                     check_labels, check_shape)


class Loss:
    """Shared bookkeeping: backward() needs what forward() stored.

    Each loss defines ``_compute(pred, target) -> (value, what backward needs)``.
    """

    def __init__(self):
        self._cache = None

    def forward(self, pred, target):
        """The mean cost of the batch; keeps what backward() needs."""
        value, self._cache = self._compute(pred, target)
        return value

    def value(self, pred, target):
        """The mean cost of the batch, keeping nothing (a pending backward is not disturbed)."""
        return self._compute(pred, target)[0]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_cache"] = None      # not saved with the loss: the values of one batch
        return state

    def _cached(self):
        if self._cache is None:
            raise BackwardBeforeForwardError(
                f"{type(self).__name__}: backward() was called before forward(pred, target)."
            )
        return self._cache

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error over every element, exactly ``torch.nn.MSELoss()``.

    C = (1 / (N n_out)) sum_{x, j} (a_j - y_j)^2, so each example contributes
    C_x = (1/n_out) ||a - y||^2 (for one output: (a - y)^2).
    Gradient: dC/da = 2 (a - y) / (N n_out).

    pred and target: (N, n_out), the same shape.
    """

    def _compute(self, pred, target):
        pred = as_float_array(pred, "MSELoss", "prediction")
        target = as_float_array(target, "MSELoss", "target")
        if pred.shape != target.shape:
            hint = ""
            if target.ndim == 1 and pred.shape == (target.shape[0], 1):
                hint = " Use target.reshape(-1, 1) for one output per example."
            elif pred.ndim == 1 and target.ndim == 2 and target.shape[0] == pred.shape[0]:
                hint = (" Are the arguments swapped? Write loss.forward(prediction, target): the "
                        "network's output first, as in PyTorch.")
            raise ShapeError(f"MSELoss: target shape {target.shape} does not match prediction "
                             f"shape {pred.shape}.{hint}")
        check_finite(pred, "MSELoss", "prediction")
        check_finite(target, "MSELoss", "target")
        diff = pred - target
        return float(np.mean(diff * diff)), diff

    def backward(self):
        diff = self._cached()
        return 2.0 * diff / diff.size


def softmax(Z):
    """Row-wise softmax p_k = e^{z_k} / sum_j e^{z_j} for logits Z of shape (N, K).

    Subtracting each row's maximum first changes nothing mathematically and
    keeps exp() from overflowing (logits of 1000 are fine).
    """
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2:
        hint = " For one example use softmax(z.reshape(1, -1))." if Z.ndim == 1 else ""
        raise ShapeError(f"softmax: expected logits of shape (N, K), one row per example, "
                         f"got {Z.shape}.{hint}")
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


class CrossEntropyLoss(Loss):
    """Softmax + cross-entropy on logits, exactly ``torch.nn.CrossEntropyLoss()``.

    C = (1/N) sum_x -log p_{y_x}, with p = softmax(z) row by row.
    Gradient: dC/dz = (p - onehot(y)) / N.

    logits: (N, K) floats; labels: (N,) integers in [0, K).
    The softmax is fused in, so the network's last layer is a Dense layer
    producing raw scores (logits); use :func:`bp.softmax` for probabilities.
    """

    def _compute(self, logits, labels):
        if (np.ndim(logits) == 1 and np.ndim(labels) == 2
                and np.issubdtype(np.asarray(logits).dtype, np.integer)):
            raise ShapeError(f"CrossEntropyLoss: the arguments look swapped: got labels-like "
                             f"integers of shape {np.shape(logits)} first and an array of shape "
                             f"{np.shape(labels)} second. Write loss.forward(logits, labels): the "
                             f"network's output first, as in PyTorch.")
        logits = as_float_array(logits, "CrossEntropyLoss", "logits")
        check_shape(logits, (None, None), "CrossEntropyLoss", "logits")
        check_finite(logits, "CrossEntropyLoss", "logits")
        labels = check_labels(labels, logits.shape[0], logits.shape[1], "CrossEntropyLoss")
        N = logits.shape[0]
        # log p_y = z_y - logsumexp(z), with the row maximum taken out for stability
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        value = float(np.mean(log_norm - shifted[np.arange(N), labels]))
        return value, (shifted, log_norm, labels)

    def backward(self):
        shifted, log_norm, labels = self._cached()
        N = shifted.shape[0]
        dZ = np.exp(shifted - log_norm[:, None])      # p = softmax(z)
        dZ[np.arange(N), labels] -= 1.0               # p - onehot(y)
        return dZ / N

