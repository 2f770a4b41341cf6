"""The errors `bp` raises, and the checks that raise them.

Every check runs before any arithmetic, so a mistake is reported in the
reader's terms (which layer, which shape was expected, which was given)
instead of as a numpy broadcasting error deep inside a matrix product.
"""
import numpy as np


class ShapeError(ValueError):
    """An array has the wrong shape for the layer or loss it was given to."""


class NonFiniteError(ValueError):
    """An array contains NaN or infinity where finite numbers are needed."""


class LabelError(ValueError):
    """Class labels are not integers in range [0, n_classes)."""


class BackwardBeforeForwardError(RuntimeError):
    """backward() was called before forward() had stored what it needs."""


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite during training.

    Attributes: ``epoch`` (1-based), ``lr`` (the learning rate) and
    ``history`` (the :class:`bp.History` recorded up to that point), so a
    caller such as a plot can still show the run that blew up.
    """

    def __init__(self, message, *, epoch, lr, history):
        super().__init__(message)
        self.epoch = epoch
        self.lr = lr
        self.history = history

    def __reduce__(self):
        # Exceptions pickle their positional args only; these attributes are keywords.
        return _rebuild_training_diverged, (str(self), self.epoch, self.lr, self.history)


def _rebuild_training_diverged(message, epoch, lr, history):
    return TrainingDiverged(message, epoch=epoch, lr=lr, history=history)


def as_float_array(X, who, what="input"):
    """Return X as a floating-point numpy array, or raise a clear error.

    ``who`` names the layer or function in the message (anything with a str()).
    """
    if isinstance(X, np.ndarray) and X.dtype.kind == "f":  # the common case, checked cheaply
        return X
    X = np.asarray(X)
    if X.dtype.kind not in "fiub":  # float, signed/unsigned integer, bool
        raise TypeError(f"{who}: {what} must be an array of numbers, got dtype {X.dtype}.")
    return X.astype(np.float64)


def check_finite(X, who, what="input"):
    """Raise NonFiniteError naming the first bad entry if X holds NaN or inf."""
    if not np.isfinite(X).all():
        bad = np.argwhere(~np.isfinite(X))[0]
        value = X[tuple(bad)]
        raise NonFiniteError(
            f"{who}: {what} contains {value} at index {tuple(int(i) for i in bad)}; "
            f"expected finite numbers only."
        )


def check_shape(X, expected, who, what="input"):
    """Check X.shape against `expected`, a tuple where None matches any size.

    The message spells the expected shape with names, e.g. "(N, 3)".
    """
    if X.ndim == len(expected) and all(
        size is None or size == actual for size, actual in zip(expected, X.shape)
    ):
        return
    names = tuple("N" if size is None and i == 0 else ("*" if size is None else size)
                  for i, size in enumerate(expected))
    shown = "(" + ", ".join(str(n) for n in names) + ("," if len(names) == 1 else "") + ")"
    hint = ""
    if X.ndim == len(expected) - 1 and len(expected) == 2:
        hint = " A single example needs a batch axis: use x.reshape(1, -1)."
    raise ShapeError(f"{who}: expected {what} of shape {shown}, got {X.shape}.{hint}")


def check_rng(rng, who):
    """The generator to draw initial values from: ``rng`` itself if it is a
    ``numpy.random.Generator``, a new one if it is an integer seed (``rng=0`` as in
    scikit-learn's ``random_state``). Anything else is refused: random initial values
    need an explicit source, so that runs repeat exactly."""
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)) and rng >= 0:
        return np.random.default_rng(int(rng))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{who}: pass rng=0 (any integer seed) or rng=np.random.default_rng(seed), so the "
            f"initial weights are random but reproducible (got rng={rng!r})."
        )
    return rng


def check_labels(labels, n_examples, n_classes, who):
    """Return labels as an int array of shape (N,), or raise a LabelError that says why."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape == (n_examples, 1):
        raise LabelError(f"{who}: expected labels of shape ({n_examples},), one class index per "
                         f"example, got {labels.shape}. Use y.ravel().")
    if labels.dtype.kind in "USO":
        shown = ", ".join(repr(str(v)) for v in np.unique(labels.astype(str))[:3])
        raise LabelError(f"{who}: labels must be class indices 0..K-1, got strings ({shown}, ...). "
                         f"Number the classes first: classes, y = np.unique(y, return_inverse=True).")
    if (labels.ndim == 2 and labels.shape[0] == n_examples and labels.shape[1] > 1
            and np.all((labels == 0) | (labels == 1)) and np.all(labels.sum(axis=1) == 1)):
        raise LabelError(f"{who}: the labels look one-hot encoded, shape {labels.shape}; "
                         f"CrossEntropyLoss takes one class index per example, as PyTorch's does: "
                         f"use y.argmax(axis=1).")
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


def check_positive_int(value, who, what, allow_none=False):
    """Return ``value`` as an int if it is a positive integer (None too, with allow_none)."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        expected = "None or a positive integer" if allow_none else "a positive integer"
        raise ValueError(f"{who}: {what} must be {expected}, got {value!r}.")
    return int(value)


def check_positive_number(value, who, what, allow_none=False):
    """Return ``value`` as a float if it is a positive finite real number (None too, with allow_none)."""
    if value is None and allow_none:
        return None
    if (isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating))
            or not np.isfinite(value) or value <= 0):
        expected = "None or a positive number" if allow_none else "a positive finite number"
        raise ValueError(f"{who}: {what} must be {expected}, got {value!r}.")
    return float(value)
