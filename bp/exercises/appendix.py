"""Appendix, "How fast is bp?": exercises 1, 2 and 3."""
from .checking import FormulaExercise, Mistake, ValueExercise

WHERE = 'the appendix "How fast is bp?"'

EXERCISES = [
    FormulaExercise(
        "A.1", "the additions of the bias gradient",
        "a sympy expression (or a string) in N and n_out: the additions that dC/db = sum_n "
        "Delta_nj makes",
        f"{WHERE}, section \"Counting the work of a step\"",
        build=lambda s: (s["N"] - 1) * s["n_out"], symbols="N n_out",
        mistakes=[
            Mistake("N per output", "summing N numbers takes N - 1 additions, not N: the first "
                    "term starts the sum.", lambda s: s["N"] * s["n_out"]),
        ]),
    ValueExercise(
        "A.2", "the bytes the forward pass keeps for the backward pass",
        "one number: the megabytes (10^6 bytes) that bp's 784-256-10 network and its loss keep "
        "for a batch of N = 128",
        f"{WHERE}, exercise 2, and chapter 5's caches",
        reference=8 * 128 * (784 + 256 + 256 + 10 + 1 + 1) / 1e6, names=["megabytes"],
        tolerance=0.01,
        mistakes=[
            Mistake("no ReLU mask", "the ReLU's cache is missing: it keeps its mask z > 0 (as "
                    "float64) for its backward pass.", 8 * 128 * (784 + 256 + 10 + 1 + 1) / 1e6),
            Mistake("the weights", "that is the size of the weights and biases; the question asks "
                    "for what the forward pass keeps for the backward pass.", 8 * 203_530 / 1e6),
            Mistake("the batch only", "that is the batch itself; every Dense keeps its input, the "
                    "ReLU its mask and the loss its logits.", 8 * 128 * 784 / 1e6),
        ]),
    ValueExercise(
        "A.3", "the data gradient's share of a step's multiply-adds, for two networks",
        "two numbers: the fraction n_0 / (3 (n_0 + n_2)) for 64-128-10 and for 784-256-10",
        f"{WHERE}, section \"Counting the work of a step\"",
        reference=[64 / (3 * (64 + 10)), 784 / (3 * (784 + 10))], names=["64-128-10", "784-256-10"],
        tolerance=0.005,
        mistakes=[
            Mistake("backward only", "that is its share of the backward pass alone; the step "
                    "includes the forward pass too.", [64 / (2 * 74), 784 / (2 * 794)]),
            Mistake("no 3", "the total counts one product per layer; a step does three per "
                    "layer (the forward and two backward).", [64 / 74, 784 / 794]),
        ]),
]
