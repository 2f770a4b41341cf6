"""Chapter 2, "What is backpropagation?": exercises 1, 2, 3 and 4."""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "What is backpropagation?"'


# ---------------------------------------------------------------- exercise 1

def _sums(s, f):
    return sum(f(s[f"x{i}"], s[f"y{i}"]) for i in (1, 2, 3))


def w_star(s):
    """Where C'(w) = 0 for N = 3 points: sum x_i y_i / sum x_i^2."""
    return _sums(s, lambda x, y: x * y) / _sums(s, lambda x, y: x ** 2)


# ---------------------------------------------------------------- exercise 2

def chapter_data():
    """The chapter's x_data: 20 points uniform in [-1, 1] (np.random.default_rng(0))."""
    return np.random.default_rng(0).uniform(-1, 1, size=20)


def _rate_numbers(curvature, sign=-1, threshold=2.0):
    """(the factor 1 -/+ eta C'' at eta = 2, the rate above which it diverges)."""
    return [1 + sign * 2.0 * curvature, threshold / curvature]


_x = chapter_data()
CURVATURE = 2 * np.mean(_x ** 2)                 # C'' = (2/N) sum x_i^2
EX2_REFERENCE = _rate_numbers(CURVATURE)


# ---------------------------------------------------------------- exercise 4

def descent_with_bp(x, y, w, b, eta, steps):
    """The reference: gradient descent with bp.Dense(1, 1) and bp.MSELoss, returning the
    (w, b) before each of the `steps` updates, an array of shape (steps, 2)."""
    import bp
    layer = bp.Dense(1, 1, init="zeros")
    layer.params["W"][:] = w
    layer.params["b"][:] = b
    mse, path = bp.MSELoss(), []
    for _ in range(steps):
        path.append([layer.params["W"][0, 0], layer.params["b"][0]])
        mse.forward(layer.forward(x.reshape(-1, 1)), y.reshape(-1, 1))
        layer.backward(mse.backward())
        for key in ("W", "b"):
            layer.params[key] -= eta * layer.grads[key]
    return np.array(path)


def _descent(x, y, w, b, eta, steps, after=False, uphill=False, summed=False, no_two=False):
    """gradient2's loop, with one of the mistakes learners make."""
    theta, path = np.array([w, b], dtype=float), []
    for _ in range(steps):
        if not after:
            path.append(theta.copy())
        residual = theta[0] * x + theta[1] - y
        g = np.array([np.sum(residual * x), np.sum(residual)])
        g = g if summed else g / len(x)
        g = g if no_two else 2 * g
        theta = theta + eta * g if uphill else theta - eta * g
        if after:
            path.append(theta.copy())
    return np.array(path)


def _descent_cases(rng):
    cases = []
    for label, N, steps, eta in (("20 points, 40 steps at eta = 0.3", 20, 40, 0.3),
                                 ("7 points, 6 steps at eta = 0.1", 7, 6, 0.1),
                                 ("3 points, a single step", 3, 1, 0.5)):
        x = rng.uniform(-1, 1, size=N)
        y = 2.0 * x - 1.0 + 0.2 * rng.normal(size=N)
        w, b = (-1.0, 1.5) if N == 20 else tuple(rng.normal(size=2))
        cases.append((label, (x, y, w, b, eta, steps)))
    return cases


EXERCISES = [
    FormulaExercise(
        "02.1", "the minimum of the one-weight loss",
        "a sympy expression in x1, x2, x3, y1, y2, y3: the w at which C'(w) = 0 for N = 3 points",
        f'{WHERE}, section "Gradient descent on one parameter", equation (eq-one-weight)',
        build=w_star, symbols="x1 x2 x3 y1 y2 y3",
        mistakes=[
            Mistake("no x_i", "that solves sum (w x_i - y_i) = 0: the factor x_i of C'(w), "
                    "the derivative of w x_i with respect to w, is missing.",
                    lambda s: _sums(s, lambda x, y: y) / _sums(s, lambda x, y: x)),
            Mistake("square of the sum", "the denominator is the square of the sum of the x_i; "
                    "setting C'(w) = 0 gives w sum x_i^2 = sum x_i y_i, the sum of the squares.",
                    lambda s: _sums(s, lambda x, y: x * y) / _sums(s, lambda x, y: x) ** 2),
            Mistake("upside down", "the fraction is upside down: w sum x_i^2 = sum x_i y_i.",
                    lambda s: 1 / w_star(s)),
            Mistake("mean of slopes", "that is the mean of the slopes y_i / x_i of the single "
                    "points; C'(w) = 0 weighs each point by x_i^2: w sum x_i^2 = sum x_i y_i.",
                    lambda s: _sums(s, lambda x, y: y / x) / 3),
        ]),
    ValueExercise(
        "02.2", "gradient descent on one weight with eta = 2",
        "two numbers for the chapter's x_data: the factor 1 - eta C'' at eta = 2, then the "
        "learning rate above which gradient descent diverges",
        f'{WHERE}, section "Try it: the learning rate", and exercise 2',
        reference=EX2_REFERENCE, names=["the factor at eta = 2", "the rate of divergence"],
        tolerance=0.006,
        mistakes=[
            Mistake("no 2", "C'' lacks the 2 of the square: C'' = (2/N) sum x_i^2, the "
                    "derivative of C'(w) in (eq-one-weight).", _rate_numbers(CURVATURE / 2)),
            Mistake("sum", "C'' is a sum where the mean belongs: the loss is the mean over "
                    "the N points, so C'' = (2/N) sum x_i^2.", _rate_numbers(CURVATURE * len(_x))),
            Mistake("plus", "the factor is 1 + eta C''; gradient descent steps against the "
                    "slope, w <- w - eta C'(w), so the distance to the minimum is multiplied "
                    "by 1 - eta C''.", [1 + 2 * CURVATURE, 2 / CURVATURE]),
            Mistake("one over C''", "eta = 1/C'' is the rate at which the factor is 0 (one step "
                    "to the minimum); divergence needs |1 - eta C''| > 1, that is eta > 2/C''.",
                    _rate_numbers(CURVATURE, threshold=1.0)),
        ]),
    ValueExercise(
        "02.3", "finite differences against backpropagation, in seconds",
        "two numbers, in seconds: one finite-difference gradient, then one backpropagation "
        "gradient",
        f'{WHERE}, section "Why backpropagation", equation (eq-finite-difference)',
        reference=[200.0, 0.003], names=["finite differences", "backpropagation"],
        tolerance=0.2, relative=True,
        mistakes=[
            Mistake("one pass per parameter", "the centred difference (eq-finite-difference) "
                    "needs two forward passes per parameter, at theta + epsilon and at "
                    "theta - epsilon.", [100.0, 0.003]),
            Mistake("backward as forward", "the backward pass costs about twice the forward "
                    "pass, not the same: backpropagation is one forward and one backward pass.",
                    [200.0, 0.002]),
            Mistake("forward only", "backpropagation is one forward pass and one backward pass, "
                    "which costs about twice the forward pass.", [200.0, 0.001]),
            Mistake("milliseconds", "those are milliseconds; the answer is asked in seconds.",
                    [200_000.0, 3.0]),
        ]),
    FunctionExercise(
        "02.4", "gradient descent with bp.Dense(1, 1) and bp.MSELoss",
        "a function my_descent(x, y, w, b, eta, steps) that returns the (w, b) before each "
        "update, an array of shape (steps, 2), as path2",
        f'{WHERE}, section "Many parameters: the gradient"',
        reference=descent_with_bp, cases=_descent_cases, outputs=["the path"],
        shapes=lambda args: {"the path": "(steps, 2): one row (w, b) per step"},
        mistakes=[
            Mistake("after", "the path holds the (w, b) after each update; path2 records the "
                    "point before it, starting with the initial w and b.",
                    lambda *args: _descent(*args, after=True)),
            Mistake("uphill", "the steps go uphill: the update is theta <- theta - eta dC/dtheta, "
                    "against the gradient.", lambda *args: _descent(*args, uphill=True)),
            Mistake("sum", "the gradient is a sum over the points where the mean belongs: "
                    "bp.MSELoss is the mean squared error, so its gradient has the 1/N.",
                    lambda *args: _descent(*args, summed=True)),
            Mistake("no 2", "the gradient lacks the 2 of the square: "
                    "dC/dw = (2/N) sum (w x_i + b - y_i) x_i.",
                    lambda *args: _descent(*args, no_two=True)),
        ]),
]
