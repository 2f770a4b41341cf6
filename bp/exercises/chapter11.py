"""Chapter 11, "Where next": exercises 1 to 6.

Exercise 3's answer is a class, an optimiser like ``bp.SGD``; ``AdamExercise`` runs it on
a small network for a few steps with gradients the checker chooses and compares the
parameters it leaves with the reference's. The reference (and every named mistake) is a
function of those gradients, so that the generic checks of function exercises apply.
"""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "Where next"'
MOMENTUM = 'the chapter "Updating the weights", section "Momentum" (the heavy-ball update)'


# ---------------------------------------------------------------- exercise 3


class Adam:
    """The reference optimiser, (eq-adam), as in the solution of exercise 3. The keyword
    arguments after eps make the named mistakes (the reference leaves them alone)."""

    def __init__(self, net, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, *, correct_m=True,
                 correct_s=True, t_per_parameter=False, eps_inside=False):
        self.net, self.lr, self.betas, self.eps, self.t = net, lr, betas, eps, 0
        self.m = {name: np.zeros_like(p) for name, p, _, _ in net.named_parameters()}
        self.s = {name: np.zeros_like(p) for name, p, _, _ in net.named_parameters()}
        self.correct_m, self.correct_s = correct_m, correct_s
        self.t_per_parameter, self.eps_inside = t_per_parameter, eps_inside

    def step(self):
        if not self.t_per_parameter:
            self.t += 1
        beta1, beta2 = self.betas
        for name, param, layer, key in self.net.named_parameters():
            if self.t_per_parameter:
                self.t += 1
            g = layer.grads[key]
            self.m[name] = beta1 * self.m[name] + (1 - beta1) * g
            self.s[name] = beta2 * self.s[name] + (1 - beta2) * g * g
            m_hat = self.m[name] / (1 - beta1 ** self.t) if self.correct_m else self.m[name]
            s_hat = self.s[name] / (1 - beta2 ** self.t) if self.correct_s else self.s[name]
            if self.eps_inside:
                param -= self.lr * m_hat / np.sqrt(s_hat + self.eps)
            else:
                param -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


def run_optimiser(optimiser_class, W, b, grads_W, grads_b, lr, **options):
    """Build Dense(n_in, n_out) with W and b, make ``optimiser_class(net, lr)``, and take
    one step per gradient in grads_W (T, n_out, n_in) and grads_b (T, n_out). Returns the
    parameters (W, b) after the last step."""
    import bp
    n_out, n_in = W.shape
    net = bp.Sequential([bp.Dense(n_in, n_out, rng=0)])
    layer = net.layers[0]
    layer.params["W"][:], layer.params["b"][:] = W, b
    optimiser = optimiser_class(net, lr, **options)
    for g_W, g_b in zip(grads_W, grads_b):
        layer.grads = {"W": np.array(g_W, dtype=float), "b": np.array(g_b, dtype=float)}
        optimiser.step()
    return layer.params["W"].copy(), layer.params["b"].copy()


def adam_steps(W, b, grads_W, grads_b, lr):
    """The reference: the parameters that the reference Adam leaves after one step per
    gradient (run_optimiser with the class Adam above)."""
    return run_optimiser(Adam, W, b, grads_W, grads_b, lr)


def _adam_variant(**options):
    def steps(W, b, grads_W, grads_b, lr):
        return run_optimiser(Adam, W, b, grads_W, grads_b, lr, **options)
    return steps


class AdamExercise(FunctionExercise):
    """A function exercise whose answer may be an optimiser class: it is run by
    ``run_optimiser`` on each case's network and gradients."""

    def run(self, function, args):
        if isinstance(function, type):
            optimiser_class = function

            def function(*case):
                return run_optimiser(optimiser_class, *case)
        return super().run(function, args)


def _adam_cases(rng):
    cases = []
    # the exercise's claim: a constant gradient, of very different sizes, for 5 steps
    g = rng.normal(size=(2, 3)) * np.logspace(-4, 2, 6).reshape(2, 3)
    g_b = np.array([1.0, -0.003])
    cases.append(("a constant gradient for 5 steps, entries from 1e-4 to 100", (
        rng.normal(size=(2, 3)), rng.normal(size=2), np.array([g] * 5), np.array([g_b] * 5), 0.01)))
    T = 6
    grads_W = rng.normal(size=(T, 4, 3)) * np.logspace(-3, 1, T).reshape(T, 1, 1)
    cases.append(("random gradients for 6 steps", (
        rng.normal(size=(4, 3)), rng.normal(size=4), grads_W, rng.normal(size=(T, 4)), 0.1)))
    cases.append(("a single step", (rng.normal(size=(3, 5)), rng.normal(size=3),
                                     rng.normal(size=(1, 3, 5)), rng.normal(size=(1, 3)), 0.05)))
    return cases


# ---------------------------------------------------------------- exercise 4


def residual_backward(x, W, b, g):
    """The reference: for a = x + tanh(W x + b) and dC/da = g, the gradients
    (dC/dx, dC/dW, dC/db): the fork at x adds the identity path and the layer's."""
    delta = g * (1 - np.tanh(W @ x + b) ** 2)           # the activation gate
    return g + W.T @ delta, np.outer(delta, x), delta


def _residual_variant(kind):
    def backward(x, W, b, g):
        if kind == "no tanh'":
            delta = g
        elif kind == "tanh' at a":
            a = x + np.tanh(W @ x + b)
            delta = g * (1 - a ** 2)
        else:
            delta = g * (1 - np.tanh(W @ x + b) ** 2)
        dx = {"layer path only": W.T @ delta, "identity only": g,
              "W not transposed": g + W @ delta}.get(kind, g + W.T @ delta)
        dW = np.outer(x, delta) if kind == "dW transposed" else np.outer(delta, x)
        return dx, dW, delta
    return backward


def _residual_cases(rng):
    cases = []
    for label, n, scale in (("x in R^3", 3, 1.0), ("x in R^5", 5, 1.0),
                            ("x in R^4 with a saturated tanh (W large)", 4, 30.0)):
        x, b, g = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
        W = rng.normal(size=(n, n)) * scale
        cases.append((label, (x, W, b, g)))
    return cases


# ---------------------------------------------------------------- the exercises

# ---------------------------------------------------------------- exercise 6


def batchnorm_backward(dY, X, gamma, eps=1e-5):
    """The reference: batch normalisation's backward pass, (eq-batchnorm-backward), for a
    batch X of shape (N, n), one column per unit, Y = gamma X_hat + beta with
    X_hat = (X - mean) / sqrt(var + eps), mean and var (divided by N) over the batch.
    Returns (dX, dgamma, dbeta) for dY = dC/dY."""
    X_hat = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
    dX_hat = dY * gamma
    # three paths from x_i to the cost: directly, through the mean, through the variance
    dX = (dX_hat - dX_hat.mean(axis=0) - X_hat * (dX_hat * X_hat).mean(axis=0)) \
        / np.sqrt(X.var(axis=0) + eps)
    return dX, (dY * X_hat).sum(axis=0), dY.sum(axis=0)


def _batchnorm_variant(mistake):
    def backward(dY, X, gamma, eps=1e-5):
        var = X.var(axis=0, ddof=1 if mistake == "N - 1" else 0)
        scale = np.sqrt(var + eps)
        X_hat = (X - X.mean(axis=0)) / scale
        dX_hat = dY if mistake == "no gamma" else dY * gamma
        mean_path = 0 if mistake == "no mean path" else dX_hat.mean(axis=0)
        variance_path = 0 if mistake == "no variance path" else X_hat * (dX_hat * X_hat).mean(axis=0)
        if mistake == "N - 1":
            variance_path = X_hat * (dX_hat * X_hat).sum(axis=0) / (len(X) - 1)
        dX = dX_hat / scale if mistake == "constant statistics" \
            else (dX_hat - mean_path - variance_path) / scale
        if mistake == "not summed":
            return dX, dY * X_hat, dY
        return dX, (dY * X_hat).sum(axis=0), dY.sum(axis=0)
    return backward


def _batchnorm_cases(rng):
    cases = []
    for label, N, n in (("a batch of 6 with 4 units", 6, 4), ("a batch of 9 with 3 units", 9, 3),
                        ("a batch of 2 with 5 units", 2, 5)):
        X = rng.normal(2.0, 3.0, size=(N, n))           # means and spreads far from 0 and 1
        cases.append((label, (rng.normal(size=(N, n)), X, rng.normal(size=n), 1e-5)))
    return cases


EXERCISES = [
    FormulaExercise(
        "11.1", "the length of the t-th step without zero_grad, for a constant gradient",
        "a sympy expression or a string in t: the t-th step's length in units of eta g",
        f'{WHERE}, section "The mapping" (PyTorch adds to .grad)',
        build=lambda s: s["t"], symbols="t",
        mistakes=[
            Mistake("mean", "a mean where the sum belongs: .grad is not averaged, each "
                    "backward() adds the new gradient to it, so after t calls it holds the sum "
                    "of t gradients.", lambda s: s["t"] ** 0),
            Mistake("total", "that is the distance moved after t steps, the sum of the steps "
                    "1, 2, ..., t; the exercise asks for the t-th step alone.",
                    lambda s: s["t"] * (s["t"] + 1) / 2),
            Mistake("one short", "one gradient short: the t-th step follows the t-th backward(), "
                    "so .grad holds t gradients, the first step one.", lambda s: s["t"] - 1),
            Mistake("one over", "one gradient too many: the first step follows one backward() "
                    "and .grad then holds one gradient.", lambda s: s["t"] + 1),
        ]),
    ValueExercise(
        "11.2", "the shapes of nn.Linear(784, 256).weight and of its .grad",
        "four numbers: the shape of .weight, then the shape of .weight.grad, e.g. "
        "((rows, columns), (rows, columns))",
        f'{WHERE}, section "The mapping"',
        reference=[256, 784, 256, 784],
        names=["weight's rows", "weight's columns", "grad's rows", "grad's columns"], tolerance=0,
        mistakes=[
            Mistake("in, out", "that is (in_features, out_features), transposed: PyTorch stores "
                    "the weight as (out_features, in_features), like bp's W, so that "
                    "Z = A W^T + b.", [784, 256, 784, 256]),
            Mistake("grad transposed", "every gradient has the shape of its parameter, in PyTorch "
                    "as in bp: .grad is not transposed.", [256, 784, 784, 256]),
            Mistake("weight transposed", "the weight is stored as (out_features, in_features), "
                    "like bp's W; its .grad has the same shape.", [784, 256, 256, 784]),
        ]),
    AdamExercise(
        "11.3", "Adam as a bp optimiser",
        "a class Adam(net, lr) whose step() updates every parameter from layer.grads, like "
        "bp.SGD (pass the class itself, not an object made from it)",
        f'{WHERE}, section "Beyond plain gradient descent", equation (eq-adam)',
        reference=adam_steps, cases=_adam_cases, outputs=["W", "b"],
        shapes=lambda args: {"W": "the shape of W", "b": "the shape of b"},
        mistakes=[
            Mistake("no correction", "the bias corrections are missing: m and s start at 0, so "
                    "divide them by 1 - beta_1^t and 1 - beta_2^t; without either, the first "
                    "step is about 3.2 eta.", _adam_variant(correct_m=False, correct_s=False)),
            Mistake("m corrected only", "s has no bias correction: divide it by 1 - beta_2^t too; "
                    "with m corrected alone the first step is about 32 eta.",
                    _adam_variant(correct_s=False)),
            Mistake("s corrected only", "m has no bias correction: divide it by 1 - beta_1^t too.",
                    _adam_variant(correct_m=False)),
            Mistake("t per parameter", "the step count t advances once per parameter instead of "
                    "once per step(): increment it before the loop over the parameters.",
                    _adam_variant(t_per_parameter=True)),
            Mistake("eps inside", "epsilon is added under the square root: (eq-adam) divides by "
                    "sqrt(s_hat) + epsilon.", _adam_variant(eps_inside=True)),
            Mistake("not in place", "the parameters did not move: update them in place, "
                    "param -= ..., as bp.SGD does; param = param - ... makes a new array and "
                    "leaves the layer's own as it was.",
                    lambda W, b, grads_W, grads_b, lr: (W.copy(), b.copy())),
        ]),
    FunctionExercise(
        "11.4", "the backward pass of a residual block a = x + tanh(W x + b)",
        "a function my_residual_backward(x, W, b, g) that returns (dx, dW, db), the gradients "
        "for dC/da = g",
        f'{WHERE}, section "What comes next" (residual connections), and the chapter '
        '"Backpropagation on a computational graph", section "Where a value is used twice, '
        'gradients add"',
        reference=residual_backward, cases=_residual_cases, outputs=["dx", "dW", "db"],
        shapes=lambda args: {"dx": "the shape of x", "dW": "the shape of W",
                             "db": "the shape of b"},
        mistakes=[
            Mistake("layer path only", "dx lacks the identity path: x forks to the identity and "
                    "to the layer, and the gradients of both uses add, dx = g + W^T delta.",
                    _residual_variant("layer path only")),
            Mistake("identity only", "dx lacks the layer's path: x forks to the identity and to "
                    "the layer, and the gradients of both uses add, dx = g + W^T delta.",
                    _residual_variant("identity only")),
            Mistake("no tanh'", "the factor tanh'(W x + b) is missing: the activation gate gives "
                    "delta = g (.) (1 - tanh^2(W x + b)).", _residual_variant("no tanh'")),
            Mistake("tanh' at a", "tanh' is taken at the block's output a; it belongs at the "
                    "layer's weighted input W x + b.", _residual_variant("tanh' at a")),
            Mistake("W not transposed", "the matrix gate sends delta back through W^T, not W: "
                    "dx = g + W^T delta.", _residual_variant("W not transposed")),
            Mistake("dW transposed", "dW is x delta^T, the transpose (W is square, so the shape "
                    "does not show it): dW = delta x^T, row i for output i.",
                    _residual_variant("dW transposed")),
        ]),
    FormulaExercise(
        "11.5", "the velocity after t steps of a constant gradient",
        "a sympy expression or a string in mu, g, t for v_t, with v = 0 at the start",
        MOMENTUM,
        build=lambda s: (1 - s["mu"] ** s["t"]) / (1 - s["mu"]) * s["g"], symbols="mu g t",
        mistakes=[
            Mistake("average", "a mean where the sum belongs: that is an exponential average, "
                    "with the factor 1 - mu on the gradient, as Adam's m; the heavy-ball velocity "
                    "adds the whole gradient, v <- mu v + g.",
                    lambda s: (1 - s["mu"] ** s["t"]) * s["g"]),
            Mistake("limit", "that is the limit for t -> infinity; after t steps the geometric "
                    "sum g (1 + mu + ... + mu^(t-1)) has t terms.",
                    lambda s: s["g"] / (1 - s["mu"])),
            Mistake("t + 1 terms", "one term too many: after t steps from v = 0 the sum "
                    "1 + mu + ... + mu^(t-1) has t terms.",
                    lambda s: (1 - s["mu"] ** (s["t"] + 1)) / (1 - s["mu"]) * s["g"]),
            Mistake("t - 1 terms", "one term too few: after t steps from v = 0 the sum "
                    "1 + mu + ... + mu^(t-1) has t terms (the first step's v is g).",
                    lambda s: (1 - s["mu"] ** (s["t"] - 1)) / (1 - s["mu"]) * s["g"]),
            Mistake("last term only", "that is the first gradient's share alone; the velocity sums "
                    "all t of them, g (1 + mu + ... + mu^(t-1)).",
                    lambda s: s["mu"] ** (s["t"] - 1) * s["g"]),
        ]),
    FunctionExercise(
        "11.6", "batch normalisation's backward pass",
        "a function my_batchnorm_backward(dY, X, gamma, eps) that returns (dX, dgamma, dbeta) "
        "for a batch X of shape (N, n), one column per unit, and dY = dC/dY of the same shape",
        f'{WHERE}, section "What comes next", equation (eq-batchnorm-backward)',
        reference=batchnorm_backward, cases=_batchnorm_cases, outputs=["dX", "dgamma", "dbeta"],
        batch_of=lambda args: len(args[1]),
        shapes=lambda args: {"dX": "the shape of X, (N, n)", "dgamma": "(n,): one per unit",
                             "dbeta": "(n,): one per unit"},
        mistakes=[
            Mistake("constant statistics", "the mean and the variance are treated as constants; "
                    "they depend on every x_i too, and the paths through them add two terms.",
                    _batchnorm_variant("constant statistics")),
            Mistake("no mean path", "the path through the mean is missing: every x_i moves the "
                    "mean, which subtracts (1/N) sum_j of the gradients reaching x_hat.",
                    _batchnorm_variant("no mean path")),
            Mistake("no variance path", "the path through the variance is missing: every x_i moves "
                    "the variance, which subtracts x_hat_i times (1/N) sum_j of x_hat_j times the "
                    "gradient reaching x_hat_j.", _batchnorm_variant("no variance path")),
            Mistake("N - 1", "the variance is divided by N - 1; the forward pass divides by N (the "
                    "batch's own mean square, as PyTorch's batch norm does in training).",
                    _batchnorm_variant("N - 1")),
            Mistake("no gamma", "the gradient that reaches x_hat is gamma times dC/dy: "
                    "y = gamma x_hat + beta.", _batchnorm_variant("no gamma")),
            Mistake("not summed", "dgamma and dbeta have one row per example: gamma and beta are "
                    "shared by the whole batch, so their gradients sum over it.",
                    _batchnorm_variant("not summed")),
        ]),
]
