"""The training loop: forward, loss, backward, update; repeated.

This is the algorithm of the chapter "The backpropagation algorithm" as code.
"""
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from .errors import (NonFiniteError, ShapeError, TrainingDiverged, as_float_array,
                     check_finite, check_labels, check_positive_int, check_positive_number,
                     check_shape)
from .losses import CrossEntropyLoss, MSELoss
from .optim import Optimizer


@dataclass
class History:
    """What :func:`fit` records, one entry per completed epoch.

    ``loss``: mean training loss over the epoch's mini-batches, each measured
    before its update (with full-batch training, ``loss[0]`` is the loss of the
    initial weights). ``accuracy``: fraction of correct training predictions
    over the epoch, for :class:`CrossEntropyLoss` only (else empty).
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    stopped: str = ""  # why training ended before the last epoch; "" if it ran them all
    warning: str = ""  # what fit warned about at the end (a run that learned nothing), or ""

    @property
    def epochs(self):
        return len(self.loss)


def accuracy(logits, labels):
    """Fraction of rows whose largest logit is at the true label.

    logits: (N, K) finite numbers; labels: (N,) integers in [0, K).
    """
    logits = as_float_array(logits, "accuracy", "logits")
    check_shape(logits, (None, None), "accuracy", "logits")
    check_finite(logits, "accuracy", "logits")
    labels = check_labels(labels, logits.shape[0], logits.shape[1], "accuracy")
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def evaluate(net, loss_fn, X, y):
    """(loss, accuracy) of ``net`` on (X, y) without training; accuracy is None unless
    the loss is :class:`CrossEntropyLoss`.

    Nothing is stored for backward (``net.predict``, ``loss_fn.value``), so it can run
    between a loss and its backward, to log a validation loss say.
    """
    pred = net.predict(X)
    value = loss_fn.value(pred, y)
    return value, (accuracy(pred, y) if _is_classification(loss_fn) else None)


def _is_classification(loss_fn):
    return isinstance(loss_fn, CrossEntropyLoss)


def _checked_data(X, y, loss_fn, who, X_name="X", y_name="y"):
    """X as floats with finite values; y as labels (classification) or finite floats."""
    X = as_float_array(X, who, X_name)
    check_finite(X, who, X_name)
    N = X.shape[0] if X.ndim else 0
    if _is_classification(loss_fn):
        return X, check_labels(y, N, np.inf, f"{who}: {y_name}")
    y = as_float_array(y, who, y_name)
    if y.ndim == 0 or y.shape[0] != N:
        raise ShapeError(f"{who}: {X_name} has {N} examples but {y_name} has shape {y.shape}.")
    check_finite(y, who, y_name)
    return X, y


def _checked_validation(validation, loss_fn):
    if validation is None:
        return None
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise ValueError("fit: validation must be a pair (X_val, y_val) of arrays, "
                         f"got a {type(validation).__name__}.")
    return _checked_data(*validation, loss_fn, "fit", "X_val (validation)", "y_val (validation)")


def _check_optimizer(optimizer, net):
    if optimizer is None:
        raise TypeError("fit: optimizer is None; fit needs an optimizer built from this network, "
                        "e.g. bp.SGD(net, lr=0.1) or bp.Adam(net, lr=1e-3).")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"fit: the optimizer must be a bp optimizer (bp.SGD, bp.Adam, bp.AdamW, or "
                        f"a subclass of bp.Optimizer), got {type(optimizer).__name__}. Build one "
                        f"from the network: bp.SGD(net, lr=0.1).")
    if optimizer.net is not net:
        name = type(optimizer).__name__
        raise ValueError(f"fit: the {name} optimizer was built for another network; its step() "
                         f"would not update this one. Build it from this network: bp.{name}(net, lr=...).")


def _diverged(err, epoch, lr, history):
    """The error fit() raises when a value on the way to the loss became NaN or infinite."""
    # Six significant digits: a rate computed from data (say 1.05 * 2 / lambda_max)
    # differs in its last digits from one CPU to the next.
    rate = f"{lr:.6g}" if isinstance(lr, (int, float)) else str(lr)
    return TrainingDiverged(
        f"Training diverged at epoch {epoch} with learning rate {rate}: {str(err).rstrip('.')}. "
        f"Try a smaller learning rate.", epoch=epoch, lr=lr, history=history)


def fit(net, loss_fn, X, y, optimizer, *, epochs, batch_size=None, rng=None,
        validation=None, tol=None, patience=None, drop_last=False, progress=False):
    """Train ``net`` by gradient descent and return a :class:`History`.

    Each step: ``pred = net.forward(Xb)``; ``loss_fn.forward(pred, yb)``;
    ``net.backward(loss_fn.backward(), input_grad=False)`` (the gradient with
    respect to the data is not needed); ``optimizer.step()``.

    batch_size: None for full-batch gradient descent, otherwise the size of
    the mini-batches, drawn from a fresh shuffle each epoch with ``rng``
    (a ``numpy.random.Generator``, required then). drop_last=True leaves out the
    last mini-batch of each epoch when it is smaller than batch_size, as
    PyTorch's ``DataLoader(drop_last=True)`` does (a batch of a few examples
    gives a noisy step; chapter "Convolutional networks" shows one).

    validation: optional (X_val, y_val), evaluated after every epoch into
    ``history.val_loss`` (and ``val_accuracy``).

    Stopping rules (chapter "Updating the weights"); ``history.stopped`` says which fired:
    tol: stop once the training loss changes by less than ``tol`` from one epoch to the next.
    patience: with validation data, stop once the validation loss has gone ``patience``
    epochs without a new minimum. The weights are those of the last epoch run.

    progress=True prints "fit: epoch 12/200  loss 0.1234" after each epoch, on one line
    that updates in place (a carriage return), in Jupyter and in a terminal alike.

    Raises :class:`bp.TrainingDiverged` naming the epoch and learning rate
    if the loss (or any value on the way to it) becomes NaN or infinite, or grows
    past ``GROWTH_LIMIT`` (a million) times its first value. A run of at least
    ``EPOCHS_TO_JUDGE`` epochs that ends no better than a constant guess (the
    commonest class; the mean target) warns with a :class:`bp.TrainingWarning`
    that suggests the likely cause; ``history.warning`` keeps the message.
    """
    X, y = _checked_data(X, y, loss_fn, "fit")
    N = X.shape[0]
    epochs = check_positive_int(epochs, "fit", "epochs")
    batch_size = check_positive_int(batch_size, "fit", "batch_size", allow_none=True)
    tol = check_positive_number(tol, "fit", "tol", allow_none=True)
    patience = check_positive_int(patience, "fit", "patience", allow_none=True)
    validation = _checked_validation(validation, loss_fn)
    _check_optimizer(optimizer, net)
    if patience is not None and validation is None:
        raise ValueError("fit: patience needs validation=(X_val, y_val) to watch.")
    if drop_last and (batch_size is None or batch_size > N):
        raise ValueError(f"fit: drop_last=True needs a batch_size of at most the {N} examples, "
                         f"got batch_size={batch_size}.")
    if batch_size is not None and batch_size < N and not isinstance(rng, np.random.Generator):
        raise TypeError("fit: mini-batches are drawn at random; pass rng=np.random.default_rng(seed).")

    history = History()
    try:
        _train(net, loss_fn, X, y, optimizer, history, epochs, batch_size, rng, validation,
               tol, patience, drop_last, _Progress(epochs) if progress else None)
    finally:
        if progress:
            print(flush=True)       # end the progress line, whatever happened
    message = no_better_than_guessing(history, loss_fn, X, y, optimizer)
    if message:
        history.warning = message
        warnings.warn(message, TrainingWarning, stacklevel=2)
    return history


# A loss this many times its start (or than 1, if it started lower) is a run that is
# blowing up, even while its numbers are still finite.
GROWTH_LIMIT = 1e6
# The fewest epochs after which a run that learned nothing is worth a warning
# (shorter runs, such as one epoch at a time in a loop, are not judged).
EPOCHS_TO_JUDGE = 20


class TrainingWarning(UserWarning):
    """fit() ran to the end but the network learned nothing useful; the message says why."""


def no_better_than_guessing(history, loss_fn, X, y, optimizer):
    """A message if the run ended no better than the constant guess (the commonest class
    for classification, the mean target for regression), else "". The message suggests
    what is likely wrong: inputs far from standardised, or the learning rate."""
    if history.epochs < EPOCHS_TO_JUDGE:
        return ""
    if _is_classification(loss_fn):
        counts = np.bincount(y)
        if len(counts) < 2 or history.accuracy[-1] > counts.max() / len(y) + 1e-12:
            return ""
        what = (f"its training accuracy {history.accuracy[-1]:.3g} is no better than always "
                f"predicting the commonest class, {int(counts.argmax())} ({counts.max() / len(y):.3g} of the examples)")
    elif isinstance(loss_fn, MSELoss):
        guess = float(np.mean((y - y.mean(axis=0)) ** 2))
        if history.loss[-1] < guess * (1 - 1e-9):
            return ""
        what = (f"its training loss {history.loss[-1]:.3g} is no lower than that of always "
                f"predicting the mean target ({guess:.3g})")
    else:
        return ""
    largest = float(np.max(np.abs(X))) if X.size else 0.0
    symmetric = [i for i, layer in enumerate(optimizer.net.layers)
                 if "W" in layer.params and layer.params["W"].shape[0] > 1
                 and np.all(layer.params["W"] == layer.params["W"][:1])]
    if symmetric:
        hint = (f"Layer {symmetric[0]} has every unit's weights equal, so its units compute the same "
                f"thing and get the same updates (a symmetric start such as init=\"zeros\"): start "
                f"from random weights, e.g. the default init with rng=0.")
    elif largest > 10:
        hint = (f"The inputs reach {largest:.3g}: standardise them, "
                f"X = (X - X.mean(axis=0)) / X.std(axis=0), with the training set's mean and std.")
    else:
        hint = (f"Try another learning rate (this run used {optimizer.lr:.3g}; a smaller one if the "
                f"loss jumped about, a larger one if it hardly moved) or more epochs.")
    return f"fit: after {history.epochs} epochs {what}. {hint}"


class _Progress:
    """One line, rewritten in place at most ten times a second (and after the last epoch)."""

    def __init__(self, epochs):
        self.epochs, self.last_shown = epochs, 0.0

    def show(self, epoch, loss, last=False):
        now = time.monotonic()
        if now - self.last_shown >= 0.1 or epoch == self.epochs or last:
            print(f"\rfit: epoch {epoch}/{self.epochs}  loss {loss:.4g}", end="", flush=True)
            self.last_shown = now


def _train(net, loss_fn, X, y, optimizer, history, epochs, batch_size, rng, validation,
           tol, patience, drop_last, progress):
    """The loop of :func:`fit`, on arguments it has checked; appends to ``history``."""
    N = X.shape[0]
    lr = optimizer.lr
    first_loss = None
    for epoch in range(1, epochs + 1):
        order = np.arange(N) if batch_size is None or batch_size >= N else rng.permutation(N)
        step = N if batch_size is None else batch_size
        n_used = N - N % step if drop_last else N     # the examples this epoch trains on
        total_loss, n_correct = 0.0, 0
        for start in range(0, n_used, step):
            idx = order[start:start + step]
            Xb, yb = X[idx], y[idx]
            try:
                # Overflow is expected when a run diverges; it is reported below
                # as TrainingDiverged rather than as numpy warnings.
                with np.errstate(over="ignore", invalid="ignore"):
                    pred = net.forward(Xb)
                    value = loss_fn.forward(pred, yb)
                    if not np.isfinite(value):
                        raise NonFiniteError(f"the loss is {value}")
                    if first_loss is None:
                        first_loss = value
                    elif value > GROWTH_LIMIT * max(first_loss, 1.0):
                        raise NonFiniteError(f"the loss grew from {first_loss:.3g} to {value:.3g}, "
                                             f"more than {GROWTH_LIMIT:.0e} times its start")
                    net.backward(loss_fn.backward(), input_grad=False)
                    optimizer.step()
            except NonFiniteError as err:
                raise _diverged(err, epoch, lr, history) from err
            total_loss += value * len(idx)
            if _is_classification(loss_fn):
                n_correct += int(np.sum(np.argmax(pred, axis=1) == yb))
        history.loss.append(total_loss / n_used)
        if progress is not None:
            progress.show(epoch, history.loss[-1])
        if _is_classification(loss_fn):
            history.accuracy.append(n_correct / n_used)
        if validation is not None:
            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    val_loss, val_accuracy = evaluate(net, loss_fn, *validation)
                if not np.isfinite(val_loss):
                    raise NonFiniteError(f"the validation loss is {val_loss}")
            except NonFiniteError as err:
                raise _diverged(err, epoch, lr, history) from err
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)

        if tol is not None and epoch > 1 and abs(history.loss[-2] - history.loss[-1]) < tol:
            history.stopped = (f"epoch {epoch}: the training loss changed by less than "
                               f"tol={tol:g} since the previous epoch")
        if patience is not None and validation is not None and not history.stopped:
            best_epoch = int(np.argmin(history.val_loss)) + 1
            if epoch - best_epoch >= patience:
                history.stopped = (f"epoch {epoch}: no new minimum of the validation loss "
                                   f"for {patience} epochs (best at epoch {best_epoch})")
        if history.stopped:
            if progress is not None:
                progress.show(epoch, history.loss[-1], last=True)   # the line ends where training did
            break
