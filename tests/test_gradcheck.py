"""bp.gradcheck and its parts: numerical_gradient, relative_error and the report they print.

A gradient check proves something only if it can fail: each classic mistake
below is planted in a layer or a loss, and the checker must catch it.
"""
import numpy as np
import pytest

import bp


# --- the checker must catch classic mistakes -------------------------------------------


class SigmoidDerivativeAtA(bp.Sigmoid):
    """sigma'(a) instead of sigma'(z): sigmoid(a) * (1 - sigmoid(a))."""

    def backward(self, dA):
        A = self._cached()
        s = bp.sigmoid(A)
        return dA * s * (1 - s)


class DenseBiasMean(bp.Dense):
    """db = dZ.mean(0): the 1/N applied a second time."""

    def backward(self, dZ):
        dA = super().backward(dZ)
        self.grads["b"] = dZ.mean(axis=0)
        return dA


class DenseWeightOverN(bp.Dense):
    """dW divided by N again."""

    def backward(self, dZ):
        dA = super().backward(dZ)
        self.grads["W"] = dZ.T @ self._cache / len(dZ)
        return dA


class ReLUPassEverything(bp.ReLU):
    def backward(self, dA):
        return dA


class CrossEntropyWithoutOverN(bp.CrossEntropyLoss):
    def backward(self):
        return super().backward() * len(self._cache[0])


def planted(layers, loss, seed=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4, 3))
    net = bp.Sequential(layers)
    y = rng.integers(0, 2, 4) if isinstance(loss, bp.CrossEntropyLoss) else rng.normal(size=(4, 2))
    return bp.gradcheck(net, loss, X, y)


@pytest.mark.parametrize("name", ["sigma_prime_at_a", "db_mean", "dW_over_N", "relu_no_mask", "ce_no_1_over_N"])
def test_gradcheck_catches_a_planted_mistake(name):
    rng = np.random.default_rng(5)
    d1, d2 = (lambda cls=bp.Dense: cls(3, 5, rng=rng)), (lambda cls=bp.Dense: cls(5, 2, rng=rng))
    cases = {
        "sigma_prime_at_a": ([d1(), SigmoidDerivativeAtA(), d2()], bp.MSELoss()),
        "db_mean": ([d1(DenseBiasMean), bp.Tanh(), d2()], bp.MSELoss()),
        "dW_over_N": ([d1(), bp.Tanh(), d2(DenseWeightOverN)], bp.CrossEntropyLoss()),
        "relu_no_mask": ([d1(), ReLUPassEverything(), d2()], bp.MSELoss()),
        "ce_no_1_over_N": ([d1(), bp.Tanh(), d2()], CrossEntropyWithoutOverN()),
    }
    report = planted(*cases[name])
    assert not report.ok(1e-6)
    assert report.worst > 1e-3
    with pytest.raises(AssertionError, match="gradient check failed"):
        report.assert_ok(1e-6)


# --- its parts -------------------------------------------------------------------------------


def test_numerical_gradient_of_a_known_function():
    x = np.array([[0.5, -1.0, 2.0]])
    grad = bp.numerical_gradient(lambda: float(np.sum(x ** 3)), x)
    np.testing.assert_allclose(grad, 3 * x ** 2, rtol=1e-8)
    assert x.tolist() == [[0.5, -1.0, 2.0]]  # restored exactly
    assert bp.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert bp.relative_error([1.0], [-1.0]) == 1.0


def test_report_prints_passing_errors_as_a_threshold_and_failing_ones_by_value():
    report = bp.GradcheckReport({"0.W": 3.4e-9, "0.b": 0.43, "input": 1.2e-10})
    lines = str(report).splitlines()
    assert lines[0] == "0.W    relative error < 1e-06: ok"
    assert lines[1] == "0.b    relative error 4.3e-01: WRONG (not below 1e-06)"
    assert lines[2] == "input  relative error < 1e-06: ok"
    assert "1e-08: ok" in str(bp.GradcheckReport({"0.W": 3.4e-9}, tol=1e-8))


def test_report_with_a_nan_entry_is_not_ok():
    report = bp.GradcheckReport({"0.W": 1e-10, "0.b": float("nan")})
    assert not report.ok()
    with pytest.raises(AssertionError, match="0.b: nan"):
        report.assert_ok()
    assert "WRONG" in str(report)


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.

# Helpers that checked nothing ---------------------------------------------------------------


def test_numerical_gradient_needs_a_float64_array():
    for x in (np.array([1, 2, 3]), np.array([1.0, 2.0], dtype=np.float32)):
        with pytest.raises(TypeError, match="float64"):
            bp.numerical_gradient(lambda: float(np.sum(x ** 2)), x)
    with pytest.raises(ValueError, match="eps"):
        bp.numerical_gradient(lambda: 0.0, np.zeros(2), eps=0)


def test_relative_error_needs_equal_shapes():
    with pytest.raises(bp.ShapeError, match=r"\(3,\) .*\(3, 3\)"):
        bp.relative_error(np.ones(3), np.ones((3, 3)))
    assert np.isnan(bp.relative_error(np.array([np.nan]), np.array([1.0])))
