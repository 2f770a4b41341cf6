"""Chapter 4, "Forward propagation": exercises 1, 2, 3 and 5."""
import numpy as np

from .checking import FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "Forward propagation"'

# the chapter's 2-3-1 network
W1 = np.array([[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]])
B1 = np.array([0.1, 0.0, -0.2])
W2 = np.array([[1.0, -1.5, 0.7]])
B2 = np.array([0.3])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _output_at_zero(hidden=_sigmoid, output=lambda z: z, b2=B2):
    """The 2-3-1 network's output for x = (0, 0), with the activations given."""
    return float(output(W2 @ hidden(B1) + b2)[0])


# ---------------------------------------------------------------- exercise 2

class CountExercise(FunctionExercise):
    """A function exercise whose answer is one whole number. For one number any miss is
    "a constant factor" (mine / right), which says nothing; say that the number is wrong
    instead, unless the factor is a whole number or its inverse (a stray 2, a missing 3)."""

    VAGUE = "is the right array times a constant: a constant factor is off"

    def check(self, answer):
        result = super().check(answer)
        result.message = result.message.replace(self.VAGUE, "is not the right number")
        return result


def n_params(sizes):
    """The reference: the parameters of a network of Dense layers with these sizes, as bp
    counts them (n_l n_(l-1) weights and n_l biases per layer)."""
    import bp
    return sum(bp.Dense(n_in, n_out, init="zeros").n_params
               for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def _count(sizes, weights=True, biases="out"):
    total = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        total += n_in * n_out if weights else 0
        total += {"out": n_out, "in": n_in, None: 0}[biases]
    return total


def _count_cases(rng):
    return [("the 784-128-64-10 network", ([784, 128, 64, 10],)),
            ("a 3-5-4-2 network", ([3, 5, 4, 2],)),
            ("one layer, 6 inputs and 1 output", ([6, 1],)),
            ("a 2-9-7-5-3 network", ([2, 9, 7, 5, 3],))]


# ---------------------------------------------------------------- exercise 3

def sigmoid_to_tanh(W1, b1, W2, b2):
    """The reference: the weights of the tanh network that computes what the sigmoid
    network (W1, b1, W2, b2) computes, by sigma(z) = (1 + tanh(z/2)) / 2."""
    return W1 / 2, b1 / 2, W2 / 2, b2 + W2.sum(axis=1) / 2


def _tanh_cases(rng):
    def random(n0, n1, n2):
        return (rng.normal(size=(n1, n0)), rng.normal(size=n1),
                rng.normal(size=(n2, n1)), rng.normal(size=n2))
    return [("a 4-5-3 network (three outputs)", random(4, 5, 3)),
            ("the chapter's 2-3-1 network", (W1.copy(), B1.copy(), W2.copy(), B2.copy())),
            ("a 3-1-2 network (one hidden unit)", random(3, 1, 2))]


# ---------------------------------------------------------------- exercise 5

def forward_reference(X, weights, biases):
    """The reference: bp.Sequential of Dense layers with ReLU between them (none after the
    last), loaded with the given weights and biases."""
    import bp
    layers = []
    for W, b in zip(weights, biases):
        dense = bp.Dense(W.shape[1], W.shape[0], init="zeros")
        dense.params["W"][:] = W
        dense.params["b"][:] = b
        layers += [dense, bp.ReLU()]
    return bp.Sequential(layers[:-1]).forward(X)


def _forward(X, weights, biases, relu_last=False, relu_hidden=True, bias_after=False):
    A = X
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        Z = A @ W.T if bias_after else A @ W.T + b
        last = l == len(weights)
        A = np.maximum(Z, 0) if (relu_last if last else relu_hidden) else Z
        if bias_after:
            A = A + b
    return A


def _forward_cases(rng):
    cases = []
    for label, sizes, N in (("a 784-128-64-10 network and a batch of 5", [784, 128, 64, 10], 5),
                            ("a 3-6-5-2 network and a batch of 4", [3, 6, 5, 2], 4),
                            ("one layer, 4 -> 3 (no hidden layer), a batch of 6", [4, 3], 6),
                            ("a 2-7-6-5-4 network and a batch of 3", [2, 7, 6, 5, 4], 3)):
        weights = [rng.normal(0, 1 / np.sqrt(n_in), size=(n_out, n_in))
                   for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        biases = [rng.normal(0, 0.5, size=n_out) for n_out in sizes[1:]]
        cases.append((label, (rng.normal(size=(N, sizes[0])), weights, biases)))
    return cases


EXERCISES = [
    ValueExercise(
        "04.1", "the 2-3-1 network's output for x = (0, 0)",
        "one number: the network's output for x = (0, 0), to three decimals",
        f'{WHERE}, section "One neuron at a time", equation (eq-neuron)',
        reference=_output_at_zero(), names=["the output"], tolerance=1e-3,
        mistakes=[
            Mistake("no sigmoid", "the hidden layer's sigmoid is missing: z^1 = b^1 when x = 0, "
                    "and the hidden units output a^1 = sigma(z^1).",
                    _output_at_zero(hidden=lambda z: z)),
            Mistake("sigmoid at the output", "the output layer has no activation (the "
                    "identity): the output is z^2 = W^2 a^1 + b^2 itself.",
                    _output_at_zero(output=_sigmoid)),
            Mistake("no b2", "the output layer's bias b^2 is missing: z^2 = W^2 a^1 + b^2.",
                    _output_at_zero(b2=0.0)),
            Mistake("sigma(0) = 0", "sigma(0) = 1/(1 + e^0) = 1/2, not 0: the hidden unit with "
                    "bias 0 outputs one half.",
                    _output_at_zero(hidden=lambda z: np.where(z == 0, 0.0, _sigmoid(z)))),
        ]),
    CountExercise(
        "04.2", "the number of parameters of a feedforward network",
        "a function my_n_params(sizes) that returns the number of weights and biases of a "
        "network with layer sizes [n_0, n_1, ..., n_L]",
        f'{WHERE}, section "Input, hidden and output layers", equation (eq-layer)',
        reference=n_params, cases=_count_cases, outputs=["the count"],
        mistakes=[
            Mistake("weights only", "the biases are missing: layer l has n_l n_(l-1) weights "
                    "and n_l biases, one per unit.", lambda sizes: _count(sizes, biases=None)),
            Mistake("biases per input", "the biases are counted per input of a layer; a layer "
                    "has one bias per unit, n_l of them.", lambda sizes: _count(sizes, biases="in")),
            Mistake("input layer", "the input layer has no weights and no biases: it holds the "
                    "input and computes nothing.",
                    lambda sizes: _count(sizes) + sizes[0]),
            Mistake("biases only once", "each layer with weights has its own n_l biases: "
                    "the total is the sum over l = 1..L of n_l (n_(l-1) + 1).",
                    lambda sizes: _count(sizes, biases=None) + sizes[-1]),
        ]),
    FunctionExercise(
        "04.3", "the tanh network that equals the sigmoid network",
        "a function my_tanh_weights(W1, b1, W2, b2) that returns the tanh network's "
        "(W1, b1, W2, b2)",
        f'{WHERE}, exercise 3: sigma(z) = (1 + tanh(z/2)) / 2',
        reference=sigmoid_to_tanh, cases=_tanh_cases, outputs=["W1", "b1", "W2", "b2"],
        shapes=lambda args: {"W1": "the shape of W1", "b1": "the shape of b1",
                             "W2": "the shape of W2", "b2": "the shape of b2"},
        mistakes=[
            Mistake("b2 unchanged", "b2 is unchanged; the 1/2 of sigma(z) = (1 + tanh(z/2))/2 "
                    "adds half of each output's weights to its bias: b2 + W2.sum(axis=1)/2.",
                    lambda W1, b1, W2, b2: (W1 / 2, b1 / 2, W2 / 2, b2)),
            Mistake("no half", "b2 gets the whole sum of the output weights; the constant is "
                    "(1/2) W2 times a column of ones: b2 + W2.sum(axis=1)/2.",
                    lambda W1, b1, W2, b2: (W1 / 2, b1 / 2, W2 / 2, b2 + W2.sum(axis=1))),
            Mistake("W2 not halved", "W2 is not halved: sigma(z) = (1 + tanh(z/2))/2 puts a 1/2 "
                    "in front of the tanh, which the output weights take.",
                    lambda W1, b1, W2, b2: (W1 / 2, b1 / 2, W2, b2 + W2.sum(axis=1) / 2)),
            Mistake("first layer not halved", "the hidden layer's weights and bias are not halved: "
                    "the tanh reads z/2 = (W1 x + b1)/2.",
                    lambda W1, b1, W2, b2: (W1, b1, W2 / 2, b2 + W2.sum(axis=1) / 2)),
            Mistake("sum of all", "b2 gets half the sum of all of W2; each output's bias gets "
                    "half the sum of its own row of W2: b2 + W2.sum(axis=1)/2.",
                    lambda W1, b1, W2, b2: (W1 / 2, b1 / 2, W2 / 2, b2 + W2.sum() / 2)),
        ]),
    FunctionExercise(
        "04.5", "forward propagation for any depth",
        "a function my_forward(X, weights, biases) that returns the output A^L, of shape "
        "(N, n_L)",
        f'{WHERE}, section "A batch: one example per row", equation (eq-batch)',
        reference=forward_reference, cases=_forward_cases, outputs=["the output"],
        batch_of=lambda args: len(args[0]),
        shapes=lambda args: {"the output": "(N, n_L): one row per example"},
        mistakes=[
            Mistake("ReLU at the output", "the output layer has a ReLU too; the exercise's "
                    "output layer has none (the identity), so the output can be negative.",
                    lambda X, weights, biases: _forward(X, weights, biases, relu_last=True)),
            Mistake("no ReLU", "the hidden layers have no ReLU: without an activation "
                    "function the layers collapse into one affine layer (chapter 1, exercise 4).",
                    lambda X, weights, biases: _forward(X, weights, biases, relu_hidden=False)),
            Mistake("bias after ReLU", "the bias is added after the ReLU; (eq-batch) adds it "
                    "to the weighted input, Z = A W^T + b, before the activation.",
                    lambda X, weights, biases: _forward(X, weights, biases, bias_after=True)),
        ]),
]
