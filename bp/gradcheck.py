"""Checking backpropagation against finite differences.

For every scalar parameter theta_i the centred difference

    (C(theta_i + eps) - C(theta_i - eps)) / (2 eps)

approximates dC/dtheta_i with an error of order eps^2. Comparing it with the
gradient that backward() computed, tensor by tensor, is how we trust an
implementation (chapter "The backpropagation algorithm").

Relative error of a tensor: max|a - b| / max(max(|a| + |b|), tiny).
In float64 with eps = 1e-6 a correct gradient gives about 1e-8 or less;
a wrong one gives something near 1.
"""
from dataclasses import dataclass

import numpy as np

from .errors import ShapeError, check_positive_number

TINY = 1e-30


def relative_error(a, b):
    """max|a - b| / max(max(|a| + |b|), tiny) over all entries; NaN if either holds NaN.

    a and b must have the same shape (broadcasting would compare the wrong entries)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ShapeError(f"relative_error: the two arrays must have the same shape, got {a.shape} "
                         f"and {b.shape}.")
    if np.isnan(a).any() or np.isnan(b).any():
        return float("nan")
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), TINY))


@dataclass
class GradcheckReport:
    """Worst relative error per tensor, e.g. ``{"0.W": 3e-10, "0.b": 1e-10, ..., "input": 2e-10}``.

    ``tol`` is the tolerance that ``ok()``, ``assert_ok()`` and ``str()`` use unless
    told otherwise.
    """

    errors: dict
    tol: float = 1e-6

    @property
    def worst(self):
        return max(self.errors.values())

    def ok(self, tol=None):
        tol = self.tol if tol is None else tol
        return all(err < tol for err in self.errors.values())   # False for a NaN entry too

    def assert_ok(self, tol=None):
        """Raise AssertionError listing every tensor whose relative error is not below ``tol``."""
        tol = self.tol if tol is None else tol
        bad = {name: err for name, err in self.errors.items() if not err < tol}
        if bad:
            listed = ", ".join(f"{name}: {err:.1e}" for name, err in bad.items())
            raise AssertionError(f"gradient check failed (tolerance {tol:.0e}): {listed}")

    def __str__(self):
        """One line per tensor. A passing error is shown as "< tol: ok", not by its digits:
        those are rounding noise and differ from one CPU to the next (another BLAS
        kernel sums in another order). A failing error is far above the noise and is
        shown to two digits."""
        width = max(len(name) for name in self.errors)
        rows = [f"{name:<{width}}  relative error "
                + (f"< {self.tol:.0e}: ok" if err < self.tol else f"{err:.1e}: WRONG (not below {self.tol:.0e})")
                for name, err in self.errors.items()]
        return "\n".join(rows)


def numerical_gradient(f, x, eps=1e-6):
    """Centred finite-difference gradient of the scalar function f() w.r.t. array x, in place.

    x is perturbed entry by entry and restored exactly afterwards, so it must be the
    float64 array that f() reads: in an integer array x + eps rounds back to x, and in
    float32 the difference is mostly rounding.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        kind = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"numerical_gradient: x must be a float64 numpy array that f() reads "
                        f"(it is perturbed in place), got {kind}. Use x = x.astype(np.float64) "
                        f"and have f read that array.")
    eps = check_positive_number(eps, "numerical_gradient", "eps")
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        plus = f()
        x[i] = original - eps
        minus = f()
        x[i] = original
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def gradcheck(net, loss_fn, X, y, eps=1e-6, check_input=True, tol=1e-6):
    """Compare backprop's gradients with centred finite differences.

    Checks every parameter tensor of every layer of ``net`` (a
    ``bp.Sequential``), and the gradient with respect to the input ``X``
    unless ``check_input=False``. Everything must be float64.
    Returns a :class:`GradcheckReport` whose tolerance is ``tol``; call
    ``.assert_ok()`` on it.
    """
    eps = check_positive_number(eps, "gradcheck", "eps")
    X = np.array(X, dtype=np.float64)  # a copy: the input is perturbed in place
    for name, param, _ in net.parameters():
        if param.dtype != np.float64:
            raise TypeError(f"gradcheck: parameter {name} is {param.dtype}; finite differences "
                            f"need float64.")

    def cost():
        return loss_fn.forward(net.forward(X), y)

    cost()
    d_input = net.backward(loss_fn.backward())
    analytic = {name: layer.grads[key].copy() for name, _, layer, key in net.named_parameters()}

    errors = {}
    for name, param, _ in net.parameters():
        errors[name] = relative_error(analytic[name], numerical_gradient(cost, param, eps))
    if check_input:
        errors["input"] = relative_error(d_input, numerical_gradient(cost, X, eps))
    return GradcheckReport(errors, tol)


def gradcheck_layer(layer, X, rng, eps=1e-6, tol=1e-6):
    """Check one layer's backward against finite differences, as CS231n's layer checks do.

    The scalar C = sum(R * layer.forward(X)) with a fixed random R has dC/d(output) = R,
    so ``layer.backward(R)`` must return dC/dX and fill dC/d(every parameter). Every
    parameter tensor and the input are compared; ``rng`` draws R. Returns a
    :class:`GradcheckReport` whose tolerance is ``tol``.
    """
    eps = check_positive_number(eps, "gradcheck_layer", "eps")
    X = np.array(X, dtype=np.float64)  # a copy: perturbed in place
    R = rng.normal(size=layer.forward(X).shape)

    def cost():
        return float(np.sum(R * layer.forward(X)))

    cost()
    d_input = layer.backward(R)
    analytic = {key: layer.grads[key].copy() for key in layer.params}
    errors = {key: relative_error(analytic[key], numerical_gradient(cost, layer.params[key], eps))
              for key in layer.params}
    errors["input"] = relative_error(d_input, numerical_gradient(cost, X, eps))
    return GradcheckReport(errors, tol)
