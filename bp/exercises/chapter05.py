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
    for label, N, labels in (("a batch of 5", 5, None), ("a batch of 8", 8, None),
                             ("a batch of 3, all of class 1", 3, [1, 1, 1])):
        X = rng.normal(size=(N, 3))
        y = np.array(labels) if labels else rng.integers(0, 2, size=N)
        W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
        W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
        cases.append((label, (X, y, W1, b1, W2, b2)))
    return cases


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
        "05.5", "the backward pass of Dense(3, 4), Tanh, Dense(4, 2), CrossEntropyLoss",
        "a function my_backward(X, y, W1, b1, W2, b2) that returns (dW1, db1, dW2, db2), "
        "the gradients of the mean cross-entropy",
        f"{WHERE}, equations (eq-batch-backprop)",
        reference=backward_two_layers, cases=_cases, outputs=["dW1", "db1", "dW2", "db2"],
        batch_of=lambda args: len(args[0]),
        shapes=lambda args: {"dW1": "the shape of W1", "db1": "the shape of b1",
                             "dW2": "the shape of W2", "db2": "the shape of b2"},
        mistakes=[
            Mistake("bias not summed", "db1 and db2 have one row per example: a bias gradient "
                    "sums the rows of Delta over the batch, dC/db = Delta^T 1.",
                    _variant(bias_per_example=True)),
            Mistake("no tanh'", "the factor tanh'(Z^1) = 1 - (A^1)^2 is missing from Delta^1: "
                    "(BP2) multiplies by the activation's derivative.",
                    _variant(no_tanh_prime=True)),
            Mistake("derivative at a", "tanh' is taken at the activation A^1 instead of the weighted "
                    "input Z^1: with A^1 = tanh(Z^1) kept, tanh'(Z^1) = 1 - (A^1)^2.",
                    _variant(prime_at_activation=True)),
            Mistake("sign", "every gradient has the wrong sign: Delta^L = (P - onehot(y)) / N, "
                    "the prediction minus the target.",
                    lambda *args: tuple(-g for g in backward_two_layers(*args))),
        ]),
]
