"""Chapter 5, "Backpropagation calculations": exercises 1, 3, 4 and 5."""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake

WHERE = 'the chapter "Backpropagation calculations"'


def _sigmoid(s):
    import sympy as sp
    return 1 / (1 + sp.exp(-(s["w"] * s["x"] + s["b"])))


def one_neuron_slope(s):
    """dC/dw for C = (sigma(w x + b) - y)^2, written with a = sigma(w x + b)."""
    a = _sigmoid(s)
    return 2 * (a - s["y"]) * a * (1 - a) * s["x"]


def one_neuron_bias_slope(s):
    """dC/db for the same neuron: the same chain with dz/db = 1."""
    a = _sigmoid(s)
    return 2 * (a - s["y"]) * a * (1 - a)


def _sigmoid_function():
    import sympy as sp
    return sp.Lambda(sp.Symbol("t"), 1 / (1 + sp.exp(-sp.Symbol("t"))))


# ---------------------------------------------------------------- exercise 5


def backward_two_layers(X, y, W1, b1, W2, b2):
    """The reference: the gradients of Dense -> Tanh -> Dense -> CrossEntropyLoss (mean
    over the batch), from (eq-batch-backprop). Returns (dW1, db1, dW2, db2)."""
    N = len(X)
    A1 = np.tanh(X @ W1.T + b1)                       # forward, keeping A^1
    Z2 = A1 @ W2.T + b2
    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    Delta2 = (P - np.eye(W2.shape[0])[y]) / N          # Delta^L = (P - onehot(y)) / N
    Delta1 = (Delta2 @ W2) * (1 - A1 ** 2)             # (BP2), tanh' = 1 - tanh^2
    return Delta1.T @ X, Delta1.sum(axis=0), Delta2.T @ A1, Delta2.sum(axis=0)


def _variant(bias_per_example=False, no_tanh_prime=False, prime_at_activation=False):
    def backward(X, y, W1, b1, W2, b2):
        N = len(X)
        A1 = np.tanh(X @ W1.T + b1)
        Z2 = A1 @ W2.T + b2
        P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        Delta2 = (P - np.eye(W2.shape[0])[y]) / N
        if no_tanh_prime:
            Delta1 = Delta2 @ W2
        elif prime_at_activation:
            Delta1 = (Delta2 @ W2) * (1 - np.tanh(A1) ** 2)
        else:
            Delta1 = (Delta2 @ W2) * (1 - A1 ** 2)
        if bias_per_example:
            return Delta1.T @ X, Delta1, Delta2.T @ A1, Delta2
        return Delta1.T @ X, Delta1.sum(axis=0), Delta2.T @ A1, Delta2.sum(axis=0)
    return backward


def _cases(rng):
    cases = []
    for label, N, labels, lam in (("a batch of 5, lambda = 0.1", 5, None, 0.1),
                                  ("a batch of 8, lambda = 0.3", 8, None, 0.3),
                                  ("a batch of 3, all of class 1, lambda = 0.05", 3, [1, 1, 1], 0.05)):
        X = rng.normal(size=(N, 3))
        y = np.array(labels) if labels else rng.integers(0, 2, size=N)
        W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
        W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
        cases.append((label, (X, y, W1, b1, W2, b2, lam)))
    return cases


def backward_with_decay(X, y, W1, b1, W2, b2, lam):
    """The reference of exercise 5: the gradients of the mean cross-entropy of
    Dense -> Tanh -> Dense plus weight decay's penalty lam/2 (|W1|^2 + |W2|^2), on the
    weights alone. The penalty does not depend on any z or b, so (BP1), (BP2) and (BP4)
    do not change; (BP3) gains the penalty's own gradient, lam W^l, once (no 1/N: the
    penalty is added to the mean, not to each example). Returns (dW1, db1, dW2, db2)."""
    dW1, db1, dW2, db2 = backward_two_layers(X, y, W1, b1, W2, b2)
    return dW1 + lam * W1, db1, dW2 + lam * W2, db2


def _decay_variant(weights=1.0, biases=0.0, per_example=False, base=backward_two_layers):
    """A wrong answer: the penalty's term scaled by ``weights`` (divided by N with
    per_example), added to the biases too with ``biases``, on top of ``base``."""
    def backward(X, y, W1, b1, W2, b2, lam):
        dW1, db1, dW2, db2 = base(X, y, W1, b1, W2, b2)
        scale = weights * lam / (len(X) if per_example else 1)
        return dW1 + scale * W1, db1 + biases * lam * b1, dW2 + scale * W2, db2 + biases * lam * b2
    return backward


EXERCISES = [
    FormulaExercise(
        "05.1", "the slope dC/db of one sigmoid neuron",
        "a sympy expression (or a string) in w, x, b, y for dC/db, with C = (sigma(w x + b) - y)^2",
        f"{WHERE}, equation (eq-one-neuron)",
        build=one_neuron_bias_slope, symbols="w x b y",
        functions=lambda: {"sigma": _sigmoid_function()},
        mistakes=[
            Mistake("no sigma'", "the factor sigma'(z) = a (1 - a) is missing: the chain rule "
                    "passes through the sigmoid too.",
                    lambda s: 2 * (_sigmoid(s) - s["y"])),
            Mistake("dC/dw", "that is dC/dw: for the bias, dz/db = 1 takes the place of dz/dw = x.",
                    one_neuron_slope),
            Mistake("no 2", "the 2 from differentiating the square is missing.",
                    lambda s: one_neuron_bias_slope(s) / 2),
        ]),
    FormulaExercise(
        "05.3", "dC/da of the binary cross-entropy, the step before dC/dz",
        "a sympy expression (or a string) in a and y for dC/da (a = sigma(z) is the output)",
        f"{WHERE}, exercise 3 and (BP1)",
        build=lambda s: (s["a"] - s["y"]) / (s["a"] * (1 - s["a"])), symbols="a y",
        mistakes=[
            Mistake("dC/dz", "that is dC/dz, the end result; give dC/da, the step before "
                    "multiplying by sigma'(z) = a (1 - a).", lambda s: s["a"] - s["y"]),
            Mistake("one term", "only one of the two terms: C = -y log a - (1 - y) log(1 - a) "
                    "has a term in a and a term in 1 - a, and both depend on a.",
                    lambda s: -s["y"] / s["a"]),
            Mistake("sign of the second term", "the second term's sign: the derivative of "
                    "-(1 - y) log(1 - a) is +(1 - y)/(1 - a), the chain rule's -1 from 1 - a "
                    "cancels the minus.",
                    lambda s: -s["y"] / s["a"] - (1 - s["y"]) / (1 - s["a"])),
        ]),
    FormulaExercise(
        "05.4", "the multiply-adds of Dense.backward",
        "a sympy expression (or a string) in N, n_in, n_out: the multiply-adds of the two "
        "matrix products of the backward pass (leave out the additions of dC/db)",
        f"{WHERE}, equations (eq-batch-backprop)",
        build=lambda s: 2 * s["N"] * s["n_in"] * s["n_out"], symbols="N n_in n_out",
        mistakes=[
            Mistake("one product", "that is one product: the backward pass has two, "
                    "dZ^T A_prev for dC/dW and dZ W for the error passed back.",
                    lambda s: s["N"] * s["n_in"] * s["n_out"]),
            Mistake("with forward", "that counts the forward product too; count the backward "
                    "pass alone.", lambda s: 3 * s["N"] * s["n_in"] * s["n_out"]),
            Mistake("with the bias", "that adds dC/db's N n_out additions; the exercise counts "
                    "the multiply-adds of the two matrix products only.",
                    lambda s: 2 * s["N"] * s["n_in"] * s["n_out"] + s["N"] * s["n_out"]),
        ]),
    FunctionExercise(
        "05.5", "weight decay in the backward pass of Dense(3, 4), Tanh, Dense(4, 2)",
        "a function my_backward_decay(X, y, W1, b1, W2, b2, lam) that returns (dW1, db1, dW2, "
        "db2), the gradients of the mean cross-entropy plus lam/2 (|W1|^2 + |W2|^2)",
        f"{WHERE}, equations (eq-batch-backprop), and the notation page on (BP1)-(BP4) and "
        "weight decay",
        reference=backward_with_decay, cases=_cases, outputs=["dW1", "db1", "dW2", "db2"],
        batch_of=lambda args: len(args[0]),
        shapes=lambda args: {"dW1": "the shape of W1", "db1": "the shape of b1",
                             "dW2": "the shape of W2", "db2": "the shape of b2"},
        mistakes=[
            Mistake("no decay", "the penalty's term is missing: (BP3) becomes "
                    "dC/dW^l = (Delta^l)^T A^(l-1) + lambda W^l.", _decay_variant(weights=0.0)),
            Mistake("2 lambda", "the penalty's gradient is lambda W^l, not 2 lambda W^l: the 1/2 "
                    "of lambda/2 |W|^2 cancels the 2 of the square.", _decay_variant(weights=2.0)),
            Mistake("lambda / N", "lambda W^l is divided by N: the penalty is added once to the "
                    "mean cost, not to every example's, so its gradient has no 1/N.",
                    _decay_variant(per_example=True)),
            Mistake("decay on biases", "db1 and db2 have a lambda b term: this cost's penalty "
                    "holds the weights alone, so (BP4) is unchanged, dC/db = (Delta^l)^T 1. "
                    "(bp.SGD's and PyTorch's weight_decay do decay the biases too, unless you "
                    "leave them out.)", _decay_variant(biases=1.0)),
            Mistake("minus lambda", "the penalty adds to the cost, so its gradient +lambda W^l "
                    "adds to dC/dW^l.", _decay_variant(weights=-1.0)),
            Mistake("bias not summed", "db1 and db2 have one row per example: a bias gradient "
                    "sums the rows of Delta over the batch, dC/db = Delta^T 1.",
                    _decay_variant(base=_variant(bias_per_example=True))),
            Mistake("no tanh'", "the factor tanh'(Z^1) = 1 - (A^1)^2 is missing from Delta^1: "
                    "(BP2) multiplies by the activation's derivative.",
                    _decay_variant(base=_variant(no_tanh_prime=True))),
            Mistake("derivative at a", "tanh' is taken at the activation A^1 instead of the weighted "
                    "input Z^1: with A^1 = tanh(Z^1) kept, tanh'(Z^1) = 1 - (A^1)^2.",
                    _decay_variant(base=_variant(prime_at_activation=True))),
        ]),
]
