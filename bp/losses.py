"""Loss functions: the cost C of a batch, and its gradient dC/d(prediction).

Both are means over the batch, C = (1/N) sum_x C_x, as PyTorch's
``reduction="mean"``. The 1/N appears exactly once: in the gradient that
``backward()`` returns, so no layer divides by N again.

Usage: ``value = loss.forward(pred, target)`` returns a float;
``loss.backward()`` returns dC/d pred with the shape of ``pred``.
"""
import numpy as np

from .errors import (BackwardBeforeForwardError, LabelError, ShapeError, as_float_array,
                     check_finite, check_shape)


class Loss:
    """Shared bookkeeping: backward() needs what forward() stored."""

    def __init__(self):
        self._cache = None

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

    def forward(self, pred, target):
        pred = as_float_array(pred, "MSELoss", "prediction")
        target = as_float_array(target, "MSELoss", "target")
        if pred.shape != target.shape:
            hint = " Use target.reshape(-1, 1) for one output per example." if (
                target.ndim == 1 and pred.shape == (target.shape[0], 1)) else ""
            raise ShapeError(f"MSELoss: target shape {target.shape} does not match prediction "
                             f"shape {pred.shape}.{hint}")
        check_finite(pred, "MSELoss", "prediction")
        check_finite(target, "MSELoss", "target")
        diff = pred - target
        self._cache = diff
        return float(np.mean(diff * diff))

    def backward(self):
        diff = self._cached()
        return 2.0 * diff / diff.size


def softmax(Z):
    """Row-wise softmax p_k = e^{z_k} / sum_j e^{z_j} for logits Z of shape (N, K).

    Subtracting each row's maximum first changes nothing mathematically and
    keeps exp() from overflowing (logits of 1000 are fine).
    """
    Z = np.asarray(Z, dtype=np.float64)
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

    def forward(self, logits, labels):
        logits = as_float_array(logits, "CrossEntropyLoss", "logits")
        check_shape(logits, (None, None), "CrossEntropyLoss", "logits")
        check_finite(logits, "CrossEntropyLoss", "logits")
        labels = check_labels(labels, logits.shape[0], logits.shape[1], "CrossEntropyLoss")
        N = logits.shape[0]
        # log p_y = z_y - logsumexp(z), with the row maximum taken out for stability
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        value = float(np.mean(log_norm - shifted[np.arange(N), labels]))
        self._cache = (shifted, log_norm, labels)
        return value

    def backward(self):
        shifted, log_norm, labels = self._cached()
        N = shifted.shape[0]
        dZ = np.exp(shifted - log_norm[:, None])      # p = softmax(z)
        dZ[np.arange(N), labels] -= 1.0               # p - onehot(y)
        return dZ / N


def check_labels(labels, n_examples, n_classes, who):
    """Return labels as an int array of shape (N,), or raise a LabelError that says why."""
    labels = np.asarray(labels)
    if not (np.issubdtype(labels.dtype, np.integer)):
        raise LabelError(f"{who}: labels must be integers (class indices), got dtype {labels.dtype}. "
                         f"Use y.astype(int).")
    if labels.shape != (n_examples,):
        raise LabelError(f"{who}: expected labels of shape ({n_examples},), one class index per "
                         f"example, got {labels.shape}.")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)][0]
        raise LabelError(f"{who}: label {bad} is out of range; with {n_classes} logits per example "
                         f"labels must be in [0, {n_classes - 1}].")
    return labels
