"""Chapter 8, "Advantages of backpropagation": exercises 1, 3, 4, 5 and 6."""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake, ValueExercise

CHAPTER = 'the chapter "Advantages of backpropagation"'
APPROXIMATION = f'{CHAPTER}, section "Universal approximation"'


def _sigmoid_function():
    import sympy as sp
    t = sp.Symbol("t")
    return sp.Lambda(t, 1 / (1 + sp.exp(-t)))


def _sigmoid(t):
    import sympy as sp
    return 1 / (1 + sp.exp(-t))


class SigmoidFormulaExercise(FormulaExercise):
    """A FormulaExercise about tanh whose answer must not use tanh itself."""

    def check(self, answer):
        if answer is not ... and answer is not None:
            import sympy as sp
            uses_tanh = "tanh" in answer if isinstance(answer, str) else \
                isinstance(answer, sp.Basic) and answer.has(sp.tanh)
            if uses_tanh:
                return self.result(False, "write tanh z with the sigmoid, sigma(...), not with tanh "
                                          "itself (exp is allowed too).")
        return super().check(answer)


# ---------------------------------------------------------------- exercise 5


def edge_weights(heights):
    """The output weights of the k + 1 units, one per edge s_0, ..., s_k: h_1, the
    differences h_{i+1} - h_i, and -h_k (as the chapter's exercise 5 builds them)."""
    return np.diff(heights, prepend=0.0, append=0.0)


def _edge_cases(rng):
    return [("k = 10 random heights", (rng.normal(size=10),)),
            ("k = 4 random heights", (rng.normal(size=4),)),
            ("k = 3 equal heights", (np.full(3, rng.uniform(0.5, 2.0)),)),
            ("k = 1, one bump", (rng.normal(size=1),))]


# ---------------------------------------------------------------- exercise 6


def sawtooth_output_weights(k):
    """The output weights (1, 2^k) of one hidden layer whose unit j computes
    ReLU(x - j/2^k): 2^k for j = 0, then -2 * 2^k at odd j and +2 * 2^k at even j."""
    n = 2 ** int(k)
    j = np.arange(n)
    return np.where(j == 0, n, 2 * n * (-1.0) ** j)[None, :]


def _sawtooth_cases(rng):
    return [(f"k = {k}", (k,)) for k in (5, 3, 2, 1)]


EXERCISES = [
    FormulaExercise(
        "08.1", "how many times finite differences cost more than backpropagation",
        "a sympy expression in N and P (a string will do): the cost of one finite-difference "
        "gradient divided by the cost of one backpropagation gradient, for a batch of N",
        f'{CHAPTER}, section "Efficient learning"',
        build=lambda s: 2 * s["P"] / 3, symbols="N P",
        mistakes=[
            Mistake("backward as one forward", "that counts the backward pass as one forward "
                    "pass; it does two matrix products per Dense layer against the forward pass's "
                    "one, so backpropagation costs about 3 N P, not 2 N P.", lambda s: s["P"]),
            Mistake("backprop as a forward pass", "that counts backpropagation as one forward pass: "
                    "it is a forward pass and a backward pass costing about two more, 3 N P in all.",
                    lambda s: 2 * s["P"]),
            Mistake("upside down", "that is the ratio upside down: backpropagation over finite "
                    "differences.", lambda s: 3 / (2 * s["P"])),
            Mistake("N left in", "the batch size cancels: both costs grow in proportion to N "
                    "(2 N P^2 and 3 N P).", lambda s: 2 * s["N"] * s["P"] / 3),
            Mistake("one-sided differences", "that uses one forward pass per parameter; the "
                    "chapter's centred differences nudge each parameter up and down, 2P forward "
                    "passes.", lambda s: s["P"] / 3),
        ]),
    ValueExercise(
        "08.3", "the test accuracy of the digits network with 8 hidden units",
        "one number between 0 and 1: the test accuracy after 30 epochs with 8 hidden units "
        "(the chapter's code and seed, with 8 for 32)",
        f'{CHAPTER}, section "Handwritten digits"',
        reference=415 / 450, names=["test accuracy"], tolerance=0.005,
        mistakes=[
            Mistake("training accuracy", "that is the accuracy on the training images; measure it "
                    "on the test set, data.X_test and data.y_test (see the pitfall \"Testing on "
                    "the training data\").", 0.9562),
            Mistake("32 units", "that is the accuracy of the 32-unit network above: change both "
                    "Dense(64, 32) and Dense(32, 10) to 8 units.", 434 / 450),
            Mistake("percentage", "write the accuracy as a fraction between 0 and 1, not as a "
                    "percentage.", 100 * 415 / 450),
            Mistake("error rate", "that is the error rate, the fraction of test images the network "
                    "gets wrong; the accuracy is one minus it.", 35 / 450),
        ]),
    SigmoidFormulaExercise(
        "08.4", "tanh z in terms of the sigmoid",
        "a sympy expression in z (a string will do) that writes tanh z with the sigmoid "
        "sigma(...)",
        f'{APPROXIMATION}, subsection "Steps, bumps and sums of bumps"',
        build=lambda s: 2 * _sigmoid(2 * s["z"]) - 1, symbols="z",
        functions=lambda: {"sigma": _sigmoid_function()},
        mistakes=[
            Mistake("no 2 inside", "that is tanh(z/2): tanh z = (1 - e^{-2z})/(1 + e^{-2z}) has "
                    "e^{-2z}, so the sigmoid's argument is 2z.",
                    lambda s: 2 * _sigmoid(s["z"]) - 1),
            Mistake("no shift", "the sigmoid runs from 0 to 1 and tanh from -1 to 1: after "
                    "stretching by 2, shift down by 1.", lambda s: 2 * _sigmoid(2 * s["z"])),
            Mistake("no stretch", "tanh runs from -1 to 1, twice the sigmoid's range: the sigmoid "
                    "needs the factor 2 outside as well as inside.",
                    lambda s: _sigmoid(2 * s["z"]) - 1),
        ]),
    FunctionExercise(
        "08.5", "the output weights of the bump network with shared edges",
        "a function my_edge_weights(heights) that returns the k + 1 output weights, one per "
        "edge s_0, ..., s_k, from the k bump heights",
        f'{APPROXIMATION}, subsection "Steps, bumps and sums of bumps"',
        reference=edge_weights, cases=_edge_cases, outputs=["weights"],
        shapes=lambda args: {"weights": "one per edge, k + 1"},
        mistakes=[
            Mistake("2k units", "those are the 2k weights of the network above, h_i to step up and "
                    "-h_i to step down: at a shared edge s_i the two units are one unit with weight "
                    "h_{i+1} - h_i.", lambda h: np.concatenate([h, -h])),
            Mistake("no last edge", "the last edge s_k is missing: there bump k steps down, so it "
                    "needs a unit of its own, with weight -h_k.",
                    lambda h: np.diff(h, prepend=0.0)),
            Mistake("differences reversed", "the differences go the wrong way: at s_i bump i steps "
                    "down (-h_i) and bump i + 1 steps up (+h_{i+1}), so the weight is h_{i+1} - h_i.",
                    lambda h: np.concatenate([[h[0]], -np.diff(h), [-h[-1]]])),
        ]),
    FunctionExercise(
        "08.6", "the output weights of a one-layer sawtooth",
        "a function my_sawtooth_weights(k) that returns the output layer's W, of shape (1, 2^k), "
        "for hidden units j = 0, ..., 2^k - 1 computing ReLU(x - j/2^k)",
        f'{CHAPTER}, section "Width versus depth"',
        reference=sawtooth_output_weights, cases=_sawtooth_cases, outputs=["W"],
        shapes=lambda args: {"W": "the shape of the output layer's W, (1, 2^k)"},
        mistakes=[
            Mistake("slopes, not changes", "those are the slopes of the pieces; a ReLU unit's "
                    "output weight is the *change* of slope at its kink, from +2^k to -2^k and back: "
                    "2 * 2^k in size (only the first unit starts from slope 0).",
                    lambda k: (2.0 ** k * (-1.0) ** np.arange(2 ** k))[None, :]),
            Mistake("first unit doubled", "the first unit starts the slope from 0, at x = 0: its "
                    "weight is the first slope, 2^k, not a change of 2 * 2^k.",
                    lambda k: (2 * 2.0 ** k * (-1.0) ** np.arange(2 ** k))[None, :]),
            Mistake("parity", "the slope turns down at the odd kinks (the peaks of the teeth, at "
                    "odd j/2^k) and up at the even ones (the valleys).",
                    lambda k: np.where(np.arange(2 ** k) == 0, 2 ** k,
                                       -2 * 2 ** k * (-1.0) ** np.arange(2 ** k))[None, :]),
        ]),
]
