"""Chapter 7, "Updating the weights": exercises 1, 2, 4, 5, 6 and 7.

Exercise 4 is read off the learning-rate explorer, whose slider has five rates per decade
on the website and twenty in Jupyter: the two settle on different rates, and both are
right (``also_right``). Exercise 7's answer is an optimiser class: the checker trains a
small network with it and compares the weights after each run with the reference's
(``OptimizerExercise``); ``get("07.7").reference`` is that run as a function of the numbers,
``get("07.7").optimizer`` the reference class.
"""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake, ValueExercise

CHAPTER = 'the chapter "Updating the weights"'
QUADRATIC = f'{CHAPTER}, section "The learning rate on a quadratic"'


# ---------------------------------------------------------------- exercise 4


# rates of the website's slider (log_grid(1e-3, 10, per_decade=5)) and of the live one
# (twenty per decade); tests/test_exercises_ch06_08.py finds them again with bp
SITE_200, SITE_1000 = 0.063095734448, 0.015848931925
LIVE_200, LIVE_1000 = 0.056234132519, 0.011220184543


# ---------------------------------------------------------------- exercise 7


def nesterov_class(heavy_ball=False, not_in_place=False, forget_velocity=False, damped=False):
    """The reference optimiser (PyTorch's nesterov=True), or one of the named mistakes."""
    import bp

    class Nesterov(bp.Optimizer):
        """PyTorch's nesterov=True: v <- mu v + g (v = g at first), theta -= lr (g + mu v)."""

        def __init__(self, net, lr, momentum):
            super().__init__(net, lr)
            self.momentum = momentum

        def step(self):
            for name, param, grad in self.gradients():
                old = self.state[name]["velocity"] if name in self.state else None
                if old is None:
                    velocity = grad.copy()                      # the first step: v = g
                elif damped:
                    velocity = self.momentum * old + (1 - self.momentum) * grad
                else:
                    velocity = self.momentum * old + grad
                if not forget_velocity:
                    self.state[name] = {"velocity": velocity}
                if heavy_ball:
                    param -= self.lr * velocity
                elif not_in_place:
                    param = param - self.lr * (grad + self.momentum * velocity)  # noqa: F841
                else:
                    param -= self.lr * (grad + self.momentum * velocity)
    return Nesterov


def steps_with(optimizer_class, X, y, W1, b1, W2, b2, lr, mu, steps):
    """Train Dense -> Tanh -> Dense with the mean squared error, full batch, for ``steps``
    steps of ``optimizer_class(net, lr, mu)`` from the given weights; the weights after."""
    import bp
    net = bp.Sequential([bp.Dense(W1.shape[1], W1.shape[0], init="zeros"), bp.Tanh(),
                         bp.Dense(W2.shape[1], W2.shape[0], init="zeros")])
    net.load_state_dict({"0.W": W1, "0.b": b1, "2.W": W2, "2.b": b2})
    optimizer = optimizer_class(net, lr, mu)
    loss = bp.MSELoss()
    for _ in range(int(steps)):
        loss.forward(net.forward(X), y)
        net.backward(loss.backward())
        optimizer.step()
    first, second = net.layers[0].params, net.layers[2].params
    return first["W"], first["b"], second["W"], second["b"]


def _run_of(optimizer_class):
    def run(X, y, W1, b1, W2, b2, lr, mu, steps):
        return steps_with(optimizer_class, X, y, W1, b1, W2, b2, lr, mu, steps)
    run.optimizer = optimizer_class
    return run


def _lazy_run(**mistake):
    """A run with the reference class or a mistake, the class made (bp imported) when it runs."""
    def run(*args):
        return steps_with(nesterov_class(**mistake), *args)
    return run


class OptimizerExercise(FunctionExercise):
    """A FunctionExercise whose answer may be an optimiser class: the class is turned into
    a run of a few training steps (``steps_with``), compared weight by weight."""

    @property
    def optimizer(self):
        return nesterov_class()

    def check(self, answer):
        if isinstance(answer, type):
            answer = _run_of(answer)
        return super().check(answer)


def _optimizer_cases(rng):
    cases = []
    for label, N, n_in, n_h, n_out, lr, mu, steps in (
            ("10 steps, a batch of 5, 3 -> 4 -> 2, lr 0.1, momentum 0.5", 5, 3, 4, 2, 0.1, 0.5, 10),
            ("6 steps, a batch of 7, 2 -> 5 -> 3, lr 0.05, momentum 0.9", 7, 2, 5, 3, 0.05, 0.9, 6),
            ("one step (the first, where v = g), a batch of 4, 3 -> 2 -> 5", 4, 3, 2, 5, 0.2, 0.5, 1)):
        X, y = rng.normal(size=(N, n_in)), rng.normal(size=(N, n_out))
        W1, b1 = 0.5 * rng.normal(size=(n_h, n_in)), 0.5 * rng.normal(size=n_h)
        W2, b2 = 0.5 * rng.normal(size=(n_out, n_h)), 0.5 * rng.normal(size=n_out)
        cases.append((label, (X, y, W1, b1, W2, b2, lr, mu, steps)))
    return cases


EXERCISES = [
    ValueExercise(
        "07.1", "the one-step rate and the divergence threshold of C(w) = 3 w^2",
        "two numbers (eta_one_step, eta_diverge): the rate that reaches the minimum in one step, "
        "and the rate above which gradient descent diverges",
        f"{QUADRATIC}, equations (eq-quadratic-steps) and (eq-threshold)",
        reference=(1 / 6, 1 / 3), names=["eta_one_step", "eta_diverge"], tolerance=1e-3,
        mistakes=[
            Mistake("curvature 3", "both rates are twice too large: the curvature is C''(w) = 6, "
                    "not 3 (the 2 from differentiating w^2), and the rates are 1/lambda and 2/lambda.",
                    (1 / 3, 2 / 3)),
            Mistake("swapped", "the two rates are swapped: one step lands on the minimum at "
                    "eta = 1/lambda, and the steps grow beyond eta = 2/lambda, where "
                    "|1 - eta lambda| > 1.",
                    (1 / 3, 1 / 6)),
            Mistake("threshold 1/lambda", "eta_diverge is the one-step rate again: at eta = 1/lambda "
                    "the factor 1 - eta lambda is 0; divergence needs |1 - eta lambda| > 1, that is "
                    "eta > 2/lambda. (eta_one_step is right.)",
                    (1 / 6, 1 / 6)),
        ]),
    ValueExercise(
        "07.2", "the steps for w2 to shrink 1000-fold",
        "one number: the number of steps at eta = 0.019 for w2 to shrink by a factor of 1000",
        f'{CHAPTER}, section "Many weights: one eigendirection at a time", equation (eq-eigen-step)',
        reference=361, names=["steps"], tolerance=5,
        mistakes=[
            Mistake("the steep direction", "that is the count for w1, the steep direction "
                    "(factor |1 - 0.019 * 100| = 0.9 per step); the question asks for w2, the flat one, "
                    "whose factor is 1 - 0.019 * 1.", 66),
            Mistake("one e-fold", "that is about the steps for one e-fold (a factor e): for a factor "
                    "1000 the count is ln 1000 / -ln(1 - eta lambda).", 53),
            Mistake("curvature 1/2", "the curvature of w2 is 1 (the second derivative of w2^2 / 2), "
                    "not 1/2: the factor per step is 1 - 0.019.", 724),
        ]),
    ValueExercise(
        "07.4", "the smallest rate with a loss below 0.15, at 200 and at 1000 epochs",
        "two numbers (rate_200, rate_1000): the smallest learning rate of the explorer whose "
        "loss after training is below 0.15, at 200 and at 1000 epochs",
        f'{CHAPTER}, section "Explore the learning rate yourself"',
        reference=(SITE_200, SITE_1000), also_right=(LIVE_200, LIVE_1000),
        names=["rate_200", "rate_1000"], tolerance=0.02, relative=True,
        mistakes=[
            Mistake("swapped", "the two rates are swapped: with five times the epochs, a smaller "
                    "rate reaches the same loss.", (SITE_1000, SITE_200)),
            Mistake("swapped (live)", "the two rates are swapped: with five times the epochs, a "
                    "smaller rate reaches the same loss.", (LIVE_1000, LIVE_200)),
            Mistake("unchanged", "that is the 200-epoch rate again: it still reaches the target "
                    "at 1000 epochs, but it is no longer the smallest rate that does. Set the epochs "
                    "to 1000 and move the rate down.", (SITE_200, SITE_200)),
            Mistake("unchanged (live)", "that is the 200-epoch rate again: it still reaches the "
                    "target at 1000 epochs, but it is no longer the smallest rate that does. Set the "
                    "epochs to 1000 and move the rate down.", (LIVE_200, LIVE_200)),
            Mistake("one rate too far", "those are the largest rates whose loss is still above 0.15: "
                    "the answer is the next rate up.", (0.039810717055, 0.01)),
            Mistake("one rate too far (live)", "those are the largest rates whose loss is still above "
                    "0.15: the answer is the next rate up.", (0.050118723363, 0.01)),
        ]),
    FormulaExercise(
        "07.5", "the best constant rate for curvatures between lambda_min and lambda_max",
        "a sympy expression in lambda_min and lambda_max (a string will do): the rate that makes "
        "max |1 - eta lambda_i| smallest",
        f'{CHAPTER}, section "Many weights: one eigendirection at a time", equation (eq-best-rate)',
        build=lambda s: 2 / (s["lambda_min"] + s["lambda_max"]), symbols="lambda_min lambda_max",
        mistakes=[
            Mistake("the threshold", "that is the divergence threshold 2/lambda_max, where the "
                    "steepest direction stops shrinking (|1 - eta lambda_max| = 1): the largest "
                    "stable rate, not the best.", lambda s: 2 / s["lambda_max"]),
            Mistake("one step for the steepest", "that rate settles the steepest direction in one "
                    "step and leaves the flattest one slow: the best rate balances the two ends, "
                    "1 - eta lambda_min = eta lambda_max - 1.", lambda s: 1 / s["lambda_max"]),
            Mistake("one step for the flattest", "that rate settles the flattest direction in one "
                    "step but overshoots the steep ones (|1 - eta lambda_max| > 1 once lambda_max > "
                    "2 lambda_min): balance the two ends, 1 - eta lambda_min = eta lambda_max - 1.",
                    lambda s: 1 / s["lambda_min"]),
            Mistake("the mean curvature", "that is the mean curvature (lambda_min + lambda_max)/2, "
                    "not a rate: the best rate is 2 over the sum of the curvatures.",
                    lambda s: (s["lambda_min"] + s["lambda_max"]) / 2),
        ]),
    FormulaExercise(
        "07.6", "the stability limit of eta lambda with momentum",
        "a sympy expression in mu (a string will do): the upper limit of eta lambda below which "
        "momentum converges along a direction of curvature lambda",
        f'{CHAPTER}, section "Momentum", equation (eq-momentum-roots)',
        build=lambda s: 2 * (1 + s["mu"]), symbols="mu",
        mistakes=[
            Mistake("plain limit", "that is plain gradient descent's limit, eta lambda < 2 (mu = 0): "
                    "with momentum a root leaves the unit circle through z = -1, where "
                    "p(-1) = 2(1 + mu) - eta lambda.", lambda s: 2 + 0 * s["mu"]),
            Mistake("sign of mu", "the sign of mu is wrong: p(-1) = 1 + (1 + mu - eta lambda) + mu "
                    "= 2(1 + mu) - eta lambda.", lambda s: 2 * (1 - s["mu"])),
            Mistake("long-run step", "that divides by 1 - mu, the factor by which momentum lengthens "
                    "the steps of a constant gradient; the limit comes from the roots: where is "
                    "p(-1) = 0?", lambda s: 2 / (1 - s["mu"])),
        ]),
    OptimizerExercise(
        "07.7", "Nesterov momentum as a subclass of bp.Optimizer",
        "a subclass of bp.Optimizer, made as MyNesterov(net, lr, momentum), whose step() does "
        "v <- mu v + g (v = g at the first step), theta <- theta - eta (g + mu v) for every parameter",
        f'{CHAPTER}, section "Momentum", equations (eq-heavy-ball) and (eq-momentum-matrix)',
        reference=_lazy_run(), cases=_optimizer_cases, outputs=["W1", "b1", "W2", "b2"],
        tolerance=1e-9,
        shapes=lambda args: {"W1": "the shape of W1", "b1": "the shape of b1",
                             "W2": "the shape of W2", "b2": "the shape of b2"},
        mistakes=[
            Mistake("heavy ball", "that is the heavy ball, theta <- theta - eta v "
                    "(eq-heavy-ball): Nesterov's step is along g + mu v, with the new v.",
                    _lazy_run(heavy_ball=True)),
            Mistake("weights not updated in place", "the weights do not move: `param = param - ...` "
                    "makes a new array and leaves the network's own alone. Update in place, "
                    "`param -= ...`, as bp.SGD.step does.", _lazy_run(not_in_place=True)),
            Mistake("velocity not kept", "the velocity is not kept from one step to the next: "
                    "store it in self.state[name] (a dict keyed by the parameter's name), so that "
                    "the next step starts from it.", _lazy_run(forget_velocity=True)),
            Mistake("damped", "the velocity is damped, v <- mu v + (1 - mu) g: PyTorch and bp add "
                    "the gradient itself, v <- mu v + g (see the pitfall on momentum conventions).",
                    _lazy_run(damped=True)),
        ]),
]
