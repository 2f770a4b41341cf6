"""Chapter 3, "The backpropagation algorithm": exercises 1, 2, 3, 4 and 5."""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "The backpropagation algorithm"'


# ---------------------------------------------------------------- exercise 2

def _stds(n_in, n_out, xavier=lambda n_in, n_out: 2 / (n_in + n_out), he=lambda n_in, n_out: 2 / n_in,
          root=True):
    values = [xavier(n_in, n_out), he(n_in, n_out)]
    return [float(np.sqrt(v)) if root else v for v in values]


# ---------------------------------------------------------------- exercise 3

def centred_error(s):
    """The leading term of (sin(theta + eps) - sin(theta - eps)) / (2 eps) - cos(theta)."""
    import sympy as sp
    return -s["epsilon"] ** 2 * sp.cos(s["theta"]) / 6


# ---------------------------------------------------------------- exercise 4

def minibatch_fit(X, y, W1, b1, W2, b2, eta, epochs, batch_size, seed):
    """The reference: bp.fit on Dense -> Tanh -> Dense -> CrossEntropyLoss from the given
    weights, with mini-batches shuffled by np.random.default_rng(seed). Returns
    (losses, W1, b1, W2, b2): the loss of every epoch and the final weights."""
    import bp
    net = bp.Sequential([bp.Dense(W1.shape[1], W1.shape[0], init="zeros"), bp.Tanh(),
                         bp.Dense(W2.shape[1], W2.shape[0], init="zeros")])
    net.load_state_dict({"0.W": W1, "0.b": b1, "2.W": W2, "2.b": b2})
    history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, lr=eta), epochs=epochs,
                     batch_size=batch_size, rng=np.random.default_rng(seed))
    state = net.state_dict()
    return (np.array(history.loss), state["0.W"].copy(), state["0.b"].copy(),
            state["2.W"].copy(), state["2.b"].copy())


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _minibatch_loop(X, y, W1, b1, W2, b2, eta, epochs, batch_size, seed, divide_by="batch",
                    plain_mean=False, same_order=False, no_shuffle=False, loss_after=False):
    """The solution's numpy loop, with one of the mistakes learners make."""
    W1, b1, W2, b2 = (np.array(a, dtype=float) for a in (W1, b1, W2, b2))
    N, K = len(X), len(b2)
    shuffle_rng, losses = np.random.default_rng(seed), []
    for _ in range(epochs):
        if same_order:
            shuffle_rng = np.random.default_rng(seed)
        order = np.arange(N) if no_shuffle else shuffle_rng.permutation(N)
        total, batch_losses = 0.0, []
        for start in range(0, N, batch_size):
            idx = order[start:start + batch_size]
            Xb, yb, n = X[idx], y[idx], len(idx)
            A1 = np.tanh(Xb @ W1.T + b1)
            P = _softmax(A1 @ W2.T + b2)
            batch_loss = -np.mean(np.log(P[np.arange(n), yb]))
            divisor = {"batch": n, "batch_size": batch_size, "N": N}[divide_by]
            dZ2 = (P - np.eye(K)[yb]) / divisor
            dW2, db2 = dZ2.T @ A1, dZ2.sum(axis=0)
            dZ1 = (dZ2 @ W2) * (1 - A1 ** 2)
            dW1, db1 = dZ1.T @ Xb, dZ1.sum(axis=0)
            W1 -= eta * dW1; b1 -= eta * db1
            W2 -= eta * dW2; b2 -= eta * db2
            if loss_after:
                A1 = np.tanh(Xb @ W1.T + b1)
                P = _softmax(A1 @ W2.T + b2)
                batch_loss = -np.mean(np.log(P[np.arange(n), yb]))
            total += n * batch_loss
            batch_losses.append(batch_loss)
        losses.append(np.mean(batch_losses) if plain_mean else total / N)
    return np.array(losses), W1, b1, W2, b2


def _minibatch_cases(rng):
    cases = []
    for label, N, n_in, n_hidden, batch_size, epochs in (
            ("23 examples in batches of 8, 3 epochs", 23, 3, 5, 8, 3),
            ("40 examples in batches of 32, 4 epochs", 40, 2, 8, 32, 4),
            ("24 examples in batches of 6, 2 epochs (no smaller last batch)", 24, 3, 4, 6, 2),
            ("7 examples in one batch of 10 (a full batch), 3 epochs", 7, 4, 3, 10, 3)):
        X = rng.normal(size=(N, n_in))
        y = rng.integers(0, 2, size=N)
        W1, b1 = rng.normal(0, 0.7, size=(n_hidden, n_in)), rng.normal(0, 0.3, size=n_hidden)
        W2, b2 = rng.normal(0, 0.7, size=(2, n_hidden)), rng.normal(0, 0.3, size=2)
        cases.append((label, (X, y, W1, b1, W2, b2, 0.5, epochs, batch_size,
                              int(rng.integers(0, 1000)))))
    return cases


def _loop_variant(**mistake):
    return lambda *args: _minibatch_loop(*args, **mistake)


EXERCISES = [
    ValueExercise(
        "03.1", "which gradients are zero at the first step with W^2 = 0",
        "four flags, one for each of dC/dW1, dC/db1, dC/dW2, dC/db2: 1 if that gradient is "
        "zero (up to rounding) at the first step, 0 if it is not",
        f'{WHERE}, section "The same four steps in numpy", equation (eq-loop-backward)',
        reference=[1, 1, 0, 1], names=["dC/dW1", "dC/db1", "dC/dW2", "dC/db2"], tolerance=1e-9,
        mistakes=[
            Mistake("all zero", "dC/dW2 = (Delta^2)^T A^1 is not zero: A^1 = tanh(X (W^1)^T) is "
                    "not zero, since W^1 is random, and neither is Delta^2 = (P - onehot(y))/N.",
                    [1, 1, 1, 1]),
            Mistake("db2 not zero", "dC/db2 = (Delta^2)^T 1 is the mean of P - onehot(y); with "
                    "P = (1/2, 1/2) in every row and as many points of each class, it is zero "
                    "up to rounding.", [1, 1, 0, 0]),
            Mistake("first layer moves", "Delta^1 = (Delta^2 W^2) * tanh'(Z^1) is zero because "
                    "W^2 = 0, so dC/dW1 = (Delta^1)^T X and dC/db1 are exactly zero.",
                    [0, 0, 0, 1]),
        ]),
    ValueExercise(
        "03.2", "the standard deviations of Xavier and He",
        "two numbers: the standard deviation of the weights under Xavier, then under He, for "
        "n_in = 784 and n_out = 256",
        f'{WHERE}, section "The scale of the random weights"',
        reference=_stds(784, 256), names=["Xavier", "He"], tolerance=2e-4,
        mistakes=[
            Mistake("variances", "those are the variances 2/(n_in + n_out) and 2/n_in; the "
                    "standard deviation is their square root.", _stds(784, 256, root=False)),
            Mistake("no 2", "the factor 2 of the variance is missing: Xavier's is "
                    "2/(n_in + n_out), He's 2/n_in.",
                    _stds(784, 256, xavier=lambda i, o: 1 / (i + o), he=lambda i, o: 1 / i)),
            Mistake("He with n_out", "He's variance 2/n_in divides by the number of inputs, "
                    "784, not by the number of units.", _stds(784, 256, he=lambda i, o: 2 / o)),
            Mistake("swapped", "the two are swapped: Xavier's variance 2/(n_in + n_out) is the "
                    "smaller one.", _stds(784, 256)[::-1]),
        ]),
    FormulaExercise(
        "03.3", "the error of the centred difference for C = sin",
        "a sympy expression in theta and epsilon: the leading term of "
        "(sin(theta + epsilon) - sin(theta - epsilon)) / (2 epsilon) - cos(theta)",
        f'{WHERE}, section "Step 3, trusted: gradient checking", and exercise 3',
        build=centred_error, symbols="theta epsilon",
        mistakes=[
            Mistake("one-sided", "that is the error of the one-sided difference, of order "
                    "epsilon; in the centred one the C'' terms cancel and the error is of order "
                    "epsilon^2.",
                    lambda s: -s["epsilon"] * __import__("sympy").sin(s["theta"]) / 2),
            Mistake("C''' sign", "the sign is wrong: the error is epsilon^2 C'''(theta)/6, and "
                    "for C = sin the third derivative is C''' = -cos.",
                    lambda s: -centred_error(s)),
            Mistake("factor 2", "the epsilon^3 terms of the two sides add up to "
                    "epsilon^3 C'''/3, and dividing by 2 epsilon leaves epsilon^2 C'''/6: a "
                    "factor 2 is off.", lambda s: 2 * centred_error(s)),
        ]),
    FunctionExercise(
        "03.4", "the mini-batch loop in numpy",
        "a function my_minibatch(X, y, W1, b1, W2, b2, eta, epochs, batch_size, seed) that "
        "returns (losses, W1, b1, W2, b2): the loss of every epoch and the final weights",
        f'{WHERE}, section "The same four steps in numpy", equation (eq-loop-backward), and '
        'section "The four steps" (batches and epochs)',
        reference=minibatch_fit, cases=_minibatch_cases,
        outputs=["losses", "W1", "b1", "W2", "b2"], batch_of=lambda args: len(args[0]),
        shapes=lambda args: {"losses": "(epochs,): one loss per epoch", "W1": "the shape of W1",
                             "b1": "the shape of b1", "W2": "the shape of W2",
                             "b2": "the shape of b2"},
        mistakes=[
            Mistake("1/batch_size", "the last batch is divided by the batch size; the N of the "
                    "1/N in Delta^2 is the size of this batch, len(idx), because each step's loss is "
                    "the mean over its own batch.", _loop_variant(divide_by="batch_size")),
            Mistake("1/N of all", "Delta^2 is divided by the number of all examples; the N of the 1/N "
                    "in Delta^2 is the size of this batch, len(idx), so every step is too small.",
                    _loop_variant(divide_by="N")),
            Mistake("plain mean", "the epoch's loss is the plain mean of the batch losses; bp.fit "
                    "weighs each batch's mean loss by its size (the sum of len(idx) * loss, "
                    "divided by N), so that every example counts the same.",
                    _loop_variant(plain_mean=True)),
            Mistake("same order", "every epoch has the same order: shuffle_rng is made once, "
                    "before the first epoch, and each epoch draws a fresh permutation from it.",
                    _loop_variant(same_order=True)),
            Mistake("no shuffle", "the batches are taken in the order of the data; each epoch "
                    "starts with order = shuffle_rng.permutation(N).",
                    _loop_variant(no_shuffle=True)),
            Mistake("loss after", "each batch's loss is measured after its update; bp.fit "
                    "measures it before, in the forward pass of that step.",
                    _loop_variant(loss_after=True)),
        ]),
    ValueExercise(
        "03.5", "the relative error of a gradient N times too large",
        "one number: the relative error bp.gradcheck reports for each tensor when every "
        "gradient is N = 6 times too large",
        f'{WHERE}, section "Step 3, trusted: gradient checking" (the relative error)',
        reference=5 / 7, names=["the relative error"], tolerance=0.005,
        mistakes=[
            Mistake("over the true one", "that is max|g - g~| / max|g~|; bp.gradcheck divides by "
                    "max(|g| + |g~|), the sum of the two gradients.", 5.0),
            Mistake("over g", "that divides by max|g|; bp.gradcheck divides by "
                    "max(|g| + |g~|), the sum of the two gradients.", 5 / 6),
            Mistake("the factor", "that is the factor N by which every gradient is too large; "
                    "the relative error is max|g - g~| / max(|g| + |g~|).", 6.0),
            Mistake("N = 200", "that is the error for the moons' 200 examples; the check runs "
                    "on a batch of N = 6.", 199 / 201),
        ]),
]
