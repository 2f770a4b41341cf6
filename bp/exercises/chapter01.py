"""Chapter 1, "Neural networks": exercises 1, 2, 4, 5 and 6."""
import numpy as np

from .checking import FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "Neural networks"'


# ---------------------------------------------------------------- exercise 1

def _neuron(x, activation=lambda z: np.maximum(z, 0.0), bias=-1.0):
    """The neuron of exercise 1: weights (1, -2, 0.5), bias -1, ReLU."""
    return float(activation(np.dot([1.0, -2.0, 0.5], x) + bias))


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


EX1_INPUTS = ([2.0, 0.5, 4.0], [0.0, 1.0, 0.0])
EX1_REFERENCE = [_neuron(x) + 0.0 for x in EX1_INPUTS]          # + 0.0: no -0.0


# ---------------------------------------------------------------- exercise 4

def merge_layers(W1, b1, W2, b2):
    """The reference: the one affine layer (W, b) that equals a^2 = W2 (W1 x + b1) + b2."""
    return W2 @ W1, W2 @ b1 + b2


def _merge_cases(rng):
    cases = []
    for label, (n0, n1, n2) in (("n0, n1, n2 = 2, 3, 4", (2, 3, 4)),
                                ("n0, n1, n2 = 5, 3, 2", (5, 3, 2)),
                                ("n0, n1, n2 = 3, 5, 3 (W square)", (3, 5, 3)),
                                ("n0, n1, n2 = 4, 1, 2 (a hidden layer of one unit)", (4, 1, 2))):
        W1, b1 = rng.normal(size=(n1, n0)), rng.normal(size=n1)
        W2, b2 = rng.normal(size=(n2, n1)), rng.normal(size=n2)
        cases.append((label, (W1, b1, W2, b2)))
    return cases


# ---------------------------------------------------------------- exercise 5

def slide_kernel_reference(image, kernel):
    """The reference: the feature map of bp.Conv2D(1, 1, kernel.shape) with the kernel
    as its weight and no bias (a cross-correlation, the kernel not flipped)."""
    import bp
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    conv = bp.Conv2D(1, 1, kernel.shape, rng=np.random.default_rng(0))
    conv.params["W"][:] = kernel
    conv.params["b"][:] = 0.0
    return conv.forward(image.reshape(1, 1, *image.shape))[0, 0]


def _slide(image, kernel, flip=False, short=False, mean=False):
    """The loop of the solution, with one of the mistakes learners make."""
    if flip:
        kernel = kernel[::-1, ::-1]
    kh, kw = kernel.shape
    H_out, W_out = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    if short:
        H_out, W_out = H_out - 1, W_out - 1
    result = np.zeros((max(H_out, 0), max(W_out, 0)))
    for i in range(result.shape[0]):
        for j in range(result.shape[1]):
            window = kernel * image[i:i + kh, j:j + kw]
            result[i, j] = np.mean(window) if mean else np.sum(window)
    return result


SEVEN = np.array([[0, 1, 1, 1, 1, 0],
                  [0, 0, 0, 0, 1, 0],
                  [0, 0, 0, 1, 0, 0],
                  [0, 0, 1, 0, 0, 0],
                  [0, 0, 1, 0, 0, 0],
                  [0, 0, 1, 0, 0, 0]], dtype=float)
EDGE_KERNEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=float)


def _slide_cases(rng):
    return [
        ("a random 7x5 image and 3x2 kernel", (rng.normal(size=(7, 5)), rng.normal(size=(3, 2)))),
        ("the 7 of the kernel diagram", (SEVEN.copy(), EDGE_KERNEL.copy())),
        ("a random 6x8 image and 2x4 kernel", (rng.normal(size=(6, 8)), rng.normal(size=(2, 4)))),
        ("a kernel as large as the 4x3 image", (rng.normal(size=(4, 3)), rng.normal(size=(4, 3)))),
    ]


# ---------------------------------------------------------------- exercise 6

def _unroll(x_seq, W_xh=1.0, W_hh=0.5, b=0.0, activation=np.tanh, digits=None):
    h, states = 0.0, []
    for x_t in x_seq:
        h = activation(W_xh * x_t + W_hh * h + b)
        if digits is not None:
            h = round(float(h), digits)
        states.append(float(h))
    return states


EX6_REFERENCE = _unroll([1.0, 0.0, 0.0])


EXERCISES = [
    ValueExercise(
        "01.1", "the output of a ReLU neuron",
        "two numbers: the neuron's output for the input (2, 0.5, 4), then for (0, 1, 0)",
        f'{WHERE}, section "A neuron", equation (eq-neuron-intro)',
        reference=EX1_REFERENCE, names=["the output for (2, 0.5, 4)", "the output for (0, 1, 0)"],
        tolerance=1e-6,
        mistakes=[
            Mistake("no bias", "the bias is missing: the weighted input is z = w . x + b, "
                    "and the bias here is -1.", [_neuron(x, bias=0.0) + 0.0 for x in EX1_INPUTS]),
            Mistake("no ReLU", "that is the weighted input z; the neuron's output is its "
                    "activation, a = ReLU(z) = max(0, z), which is never negative.",
                    [_neuron(x, activation=lambda z: z) for x in EX1_INPUTS]),
            Mistake("sigmoid", "that is the sigmoid of z; this neuron's activation is the "
                    "ReLU, max(0, z).", [_neuron(x, activation=_sigmoid) for x in EX1_INPUTS]),
        ]),
    ValueExercise(
        "01.2", "the parameters of bp.RNN(10, 20) and bp.Conv2D(3, 16, 5)",
        "two whole numbers: the parameters of bp.RNN(10, 20), then of bp.Conv2D(3, 16, 5)",
        f'{WHERE}, sections "Recurrent networks" and "Convolutional networks"',
        reference=[620, 1216], names=["RNN(10, 20)", "Conv2D(3, 16, 5)"], tolerance=0.5,
        mistakes=[
            Mistake("kernel without channels", "the Conv2D count leaves out the input channels: "
                    "each of the 16 kernels spans all 3 input channels, so it has 3 x 5 x 5 "
                    "weights, not 5 x 5.", [620, 16 * 25 + 16]),
            Mistake("no biases", "both counts leave out the biases: the RNN has one per hidden "
                    "unit, the Conv2D one per kernel (output channel).", [620 - 20, 1216 - 16]),
            Mistake("no Conv2D biases", "the Conv2D count leaves out the biases: one per kernel, "
                    "that is one per output channel.", [620, 1216 - 16]),
            Mistake("no RNN biases", "the RNN count leaves out the bias b, one per hidden unit.",
                    [620 - 20, 1216]),
            Mistake("no W_hh", "the RNN count leaves out the recurrent weights W_hh, which carry "
                    "the hidden state from one step to the next: n_hidden x n_hidden of them.",
                    [620 - 400, 1216]),
            Mistake("W_hh in by out", "the RNN's W_hh maps the hidden state to the hidden state, "
                    "so it is n_hidden x n_hidden (20 x 20), not n_hidden x n_in.",
                    [200 + 200 + 20, 1216]),
        ]),
    FunctionExercise(
        "01.4", "two dense layers without activation are one",
        "a function my_merge(W1, b1, W2, b2) that returns (W, b) with a^2 = W x + b, "
        "W1 of shape (n1, n0), b1 (n1,), W2 (n2, n1), b2 (n2,)",
        f'{WHERE}, exercise 4 and equation (eq-layer-intro)',
        reference=merge_layers, cases=_merge_cases, outputs=["W", "b"],
        shapes=lambda args: {"W": "(n2, n0): n2 outputs, n0 inputs",
                             "b": "(n2,): one bias per output"},
        mistakes=[
            Mistake("b = b2", "b leaves out the first layer's bias: b^1 goes through W^2 like "
                    "everything else the first layer outputs, so b = W^2 b^1 + b^2.",
                    lambda W1, b1, W2, b2: (W2 @ W1, b2)),
            Mistake("b = W2 b1", "b leaves out the second layer's own bias b^2: "
                    "b = W^2 b^1 + b^2.", lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1)),
            Mistake("W = W1 W2 transposed", "W is (W^2 W^1)^T = (W^1)^T (W^2)^T: the first "
                    "layer acts first, so its matrix stands on the right, W = W^2 W^1, of "
                    "shape (n2, n0).", lambda W1, b1, W2, b2: (W1.T @ W2.T, W2 @ b1 + b2)),
        ]),
    FunctionExercise(
        "01.5", "slide a kernel over an image",
        "a function my_slide_kernel(image, kernel) that returns the (H - kh + 1, W - kw + 1) "
        "feature map",
        f'{WHERE}, section "Convolutional networks" (the kernel diagram)',
        reference=slide_kernel_reference, cases=_slide_cases, outputs=["the feature map"],
        shapes=lambda args: {"the feature map": "(H - kh + 1, W - kw + 1)"},
        mistakes=[
            Mistake("flipped kernel", "the kernel is flipped (rotated by 180 degrees), as in the "
                    "convolution of mathematics; the kernel diagram, bp.Conv2D and PyTorch slide it "
                    "as it is: entry (i, j) is the sum of kernel * image[i:i + kh, j:j + kw].",
                    lambda image, kernel: _slide(image, kernel, flip=True)),
            Mistake("one short", "the map is one row and one column short: the window's top-left "
                    "pixel runs over H - kh + 1 rows (0 to H - kh included), and W - kw + 1 columns.",
                    lambda image, kernel: _slide(image, kernel, short=True)),
            Mistake("mean", "each entry is the mean of the products; the kernel diagram adds them "
                    "up: the sum of kernel * window.",
                    lambda image, kernel: _slide(image, kernel, mean=True)),
        ]),
    ValueExercise(
        "01.6", "a recurrent layer unrolled by hand",
        "three numbers: h1, h2, h3 to three decimals",
        f'{WHERE}, section "Recurrent networks", equation (eq-rnn-intro)',
        reference=EX6_REFERENCE, names=["h1", "h2", "h3"], tolerance=5e-4,
        mistakes=[
            Mistake("rounded on the way", "h2 is off in its last digit: it looks as if h1 was "
                    "rounded to three decimals before computing h2. Carry every digit from one "
                    "step to the next and round only what you write down.",
                    _unroll([1.0, 0.0, 0.0], digits=3)),
            Mistake("no tanh", "the states are W_xh x_t + W_hh h_(t-1) without the tanh: "
                    "(eq-rnn-intro) applies tanh at every step.",
                    _unroll([1.0, 0.0, 0.0], activation=lambda z: z)),
            Mistake("weights swapped", "W_xh and W_hh are swapped: W_xh = 1 multiplies the "
                    "input x_t, W_hh = 0.5 the previous state h_(t-1).",
                    _unroll([1.0, 0.0, 0.0], W_xh=0.5, W_hh=1.0)),
            Mistake("one step late", "the states are one step late: h_1 already reads x_1, "
                    "h_1 = tanh(W_xh x_1 + W_hh h_0) with h_0 = 0.",
                    [0.0] + EX6_REFERENCE[:2]),
        ]),
]
