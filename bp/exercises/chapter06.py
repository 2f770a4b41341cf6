"""Chapter 6, "Backpropagation on a computational graph": exercises 1, 2, 3 and 4.

Exercise 2's answer is a gate, a function of one ``Value`` that returns a ``Value``. The
checker builds a small graph with it in which the input and the output are both used
twice (forks), runs ``backward()``, and compares the output and the input's gradient
with the reference gate's. ``get("06.2").reference`` is that comparison as a function of
the numbers (what the generic checks call); ``get("06.2").gate`` is the reference gate.
"""
import inspect
import math
import warnings

import numpy as np

from bp.autodiff import Value, graph_size

from .checking import FunctionExercise, Mistake

CHAPTER = 'the chapter "Backpropagation on a computational graph"'


# ---------------------------------------------------------------- exercise 1


def division_backward(a, b, g):
    """The reference: what the gate q = a / b passes back to a and to b, given the
    gradient g = dC/dq arriving at its output: (g / b, -g a / b^2)."""
    return g / b, -g * a / b ** 2


def _division_cases(rng):
    def away_from_zero(shape):
        return rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    cases = []
    for label, shape in (("arrays of shape (3, 4)", (3, 4)), ("arrays of shape (5, 2)", (5, 2))):
        cases.append((label, (rng.normal(size=shape), away_from_zero(shape), rng.normal(size=shape))))
    book = (np.array(3.0), np.array(-2.0), np.array(1.0))
    cases.append(("the book's a = 3, b = -2, with g = 1", book))
    return cases


# ---------------------------------------------------------------- exercise 2


def sigmoid_gate(v):
    """The reference gate: the sigmoid as one node of the graph."""
    s = 1 / (1 + math.exp(-v.data))
    out = Value(s, (v,), "sigmoid")

    def _backward():
        v.grad += s * (1 - s) * out.grad
    out._backward = _backward
    return out


def _gate_variant(overwrite=False, at_input=False, no_upstream=False, no_backward=False):
    def gate(v):
        s = 1 / (1 + math.exp(-v.data))
        out = Value(s, (v,), "sigmoid")
        local = v.data * (1 - v.data) if at_input else s * (1 - s)

        def _backward():
            contribution = local if no_upstream else local * out.grad
            if overwrite:
                v.grad = contribution
            else:
                v.grad += contribution
        if not no_backward:
            out._backward = _backward
        return out
    return gate


def _in_a_graph(gate, x, c):
    """For each x_i: v = Value(x_i), s = gate(v), f = s v + c_i s (v and s each used
    twice); f.backward(). Returns (s, df/dv) as arrays."""
    values, grads = [], []
    for x_i, c_i in zip(np.ravel(x), np.ravel(c)):
        v = Value(float(x_i))
        s = gate(v)
        f = s * v + s * float(c_i)
        f.backward()
        values.append(s.data)
        grads.append(v.grad)
    return np.array(values), np.array(grads)


def _as_numbers(gate):
    """A gate, turned into a function of the numbers (x, c) as FunctionExercise calls it."""
    def on_numbers(x, c):
        return _in_a_graph(gate, x, c)
    on_numbers.gate = gate
    return on_numbers


def _is_gate(function):
    """Whether ``function`` is a gate (one argument, a Value) rather than a function of
    the case's numbers (x, c)."""
    if getattr(function, "gate", None) is not None:
        return False
    try:
        inspect.signature(function).bind(0.0, 0.0)
    except TypeError:
        return True
    except ValueError:          # no signature to read (a builtin): call it as a function of numbers
        return False
    return False


class GateExercise(FunctionExercise):
    """A FunctionExercise whose answer may be a gate ``f(v: Value) -> Value``: the gate is
    first inspected (does it return a Value, is it one node), then run in a graph."""

    def __init__(self, *args, gate=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = gate

    def inspect_gate(self, gate):
        """(problem, not_attempted) about the gate itself, before any numbers."""
        v = Value(0.3)
        try:
            out = gate(v)
        except NotImplementedError:
            return None, True
        except Exception as error:   # the learner's code may raise anything
            return f"your gate raised {type(error).__name__}: {error}", False
        if out is None:
            return "your gate returned None: did it forget `return out`?", False
        if not isinstance(out, Value):
            return (f"your gate returned a {type(out).__name__}, not a Value: the backward pass "
                    f"can only go through Values (out = Value(s, (v,), \"sigmoid\"))."), False
        nodes = graph_size(out)
        if nodes != 2:
            return (f"your gate's graph has {nodes} nodes: the exercise asks for one node whose only "
                    f"parent is v (2 nodes with v; the composed sigmoid has 9). Compute s with math.exp "
                    f"on v.data, and pass back s (1 - s) times out.grad yourself. "
                    f"See {self.where}."), False
        if not any(parent is v for parent in out._parents):
            return ("your gate's output does not have v as its parent, so the backward pass cannot "
                    "reach v: make it with out = Value(s, (v,), \"sigmoid\")."), False
        return None, False

    def check(self, answer):
        if callable(answer) and _is_gate(answer):
            problem, untouched = self.inspect_gate(answer)
            if untouched:
                return self.not_attempted()
            if problem:
                return self.result(False, problem)
            answer = _as_numbers(answer)
        return super().check(answer)


def _gate_cases(rng):
    cases = []
    for label, n in (("5 inputs between -3 and 3", 5), ("7 inputs between -3 and 3", 7)):
        x = rng.uniform(0.2, 3.0, size=n) * rng.choice([-1.0, 1.0], size=n)
        cases.append((label, (x, rng.normal(size=n))))
    cases.append(("the inputs 0, 6 and -6 (the middle and both tails)",
                  (np.array([0.0, 6.0, -6.0]), np.array([0.7, -1.3, 2.1]))))
    return cases


# ---------------------------------------------------------------- exercise 3


def input_gradient(W1, Delta1):
    """The reference: dC/dX = Delta^1 W^1, what bp's Dense.backward passes to its input
    (row n: dC/dx for example n; its column 0 holds dC/dx_1 = sum_j w^1_j1 delta^1_j)."""
    import bp
    layer = bp.Dense(W1.shape[1], W1.shape[0], init="zeros")
    layer.params["W"] = W1
    layer.forward(np.zeros((Delta1.shape[0], W1.shape[1])))
    return layer.backward(Delta1)


def _input_cases(rng):
    cases = []
    for label, N, n_in, n_1 in (("a batch of 4, 3 inputs, 5 hidden units", 4, 3, 5),
                                ("a batch of 6, 2 inputs, 3 hidden units", 6, 2, 3),
                                ("a batch of 3, 4 inputs, 4 hidden units (a square W^1)", 3, 4, 4)):
        cases.append((label, (rng.normal(size=(n_1, n_in)), rng.normal(size=(N, n_1)))))
    return cases


# ---------------------------------------------------------------- exercise 4


def train_two_three_one(W1, b1, W2, b2, x, target, lr, steps):
    """The reference: ``steps`` steps of gradient descent on the 2-3-1 sigmoid network with
    the squared error of one example, as bp trains it (bp.fit, full batch, bp.SGD). Returns
    (costs, W1, b1, W2, b2): the cost before each step, and the weights after the last."""
    import bp

    net = bp.Sequential([bp.Dense(2, 3, init="zeros"), bp.Sigmoid(), bp.Dense(3, 1, init="zeros")])
    net.load_state_dict({"0.W": np.array(W1, dtype=float), "0.b": np.array(b1, dtype=float),
                         "2.W": np.array(W2, dtype=float), "2.b": np.array(b2, dtype=float)})
    with warnings.catch_warnings():
        # one example: "no better than the mean target" means nothing here (the mean is the target)
        warnings.simplefilter("ignore", bp.TrainingWarning)
        history = bp.fit(net, bp.MSELoss(), np.array([x], dtype=float),
                         np.array([[target]], dtype=float), bp.SGD(net, lr=lr), epochs=steps)
    state = net.state_dict()
    return np.array(history.loss), state["0.W"], state["0.b"], state["2.W"], state["2.b"]


def _train_variant(accumulate=False, sign=1.0, freeze_biases=False, cost_after=False):
    """A wrong training loop, in numpy: gradients that pile up across steps (leaves never
    reset), an update of the wrong sign, biases never updated, or the cost recorded
    after each step instead of before."""
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def train(W1, b1, W2, b2, x, target, lr, steps):
        W1, b1, W2, b2 = (np.array(a, dtype=float) for a in (W1, b1, W2, b2))
        x = np.array(x, dtype=float)
        piled = [np.zeros_like(a) for a in (W1, b1, W2, b2)]
        costs = []
        for _ in range(steps):
            a1 = sigmoid(W1 @ x + b1)
            out = W2 @ a1 + b2
            if not cost_after:
                costs.append(float((out[0] - target) ** 2))
            d2 = 2 * (out - target)                       # dC/dz^2 (identity output)
            d1 = (W2.T @ d2) * a1 * (1 - a1)              # (BP2) with sigmoid'
            grads = [np.outer(d1, x), d1, np.outer(d2, a1), d2]
            if accumulate:
                piled = [p + g for p, g in zip(piled, grads)]
                grads = piled
            W1 = W1 - sign * lr * grads[0]
            W2 = W2 - sign * lr * grads[2]
            if not freeze_biases:
                b1 = b1 - sign * lr * grads[1]
                b2 = b2 - sign * lr * grads[3]
            if cost_after:
                out = W2 @ sigmoid(W1 @ x + b1) + b2
                costs.append(float((out[0] - target) ** 2))
        return np.array(costs), W1, b1, W2, b2
    return train


def _train_cases(rng):
    book = ([[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]], [0.1, 0.0, -0.2], [[1.0, -1.5, 0.7]], [0.3])
    cases = [("the chapter's 2-3-1 network, x = (1, -2), y = 1, rate 0.5, 10 steps",
              (*book, [1.0, -2.0], 1.0, 0.5, 10))]
    for label, lr, steps in (("random weights, rate 0.2, 20 steps", 0.2, 20),
                             ("random weights, rate 1, 10 steps", 1.0, 10)):
        weights = (rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(1, 3)), rng.normal(size=1))
        cases.append((label, (*weights, rng.normal(size=2), float(rng.normal()), lr, steps)))
    return cases


EXERCISES = [
    FunctionExercise(
        "06.1", "the backward step of the division gate q = a / b",
        "a function my_division_backward(a, b, g) that returns (grad_a, grad_b), what the gate "
        "passes back to a and to b when the gradient g = dC/dq arrives at q (a, b, g: numbers "
        "or arrays of one shape)",
        f'{CHAPTER}, section "The gates"',
        reference=division_backward, cases=_division_cases, outputs=["grad_a", "grad_b"],
        mistakes=[
            Mistake("no upstream gradient", "these are the local derivatives alone: each must be "
                    "multiplied by the gradient g arriving at q, as every `_backward` multiplies "
                    "by out.grad (the chain rule, one edge at a time).",
                    lambda a, b, g: (1 / b + 0 * g, -a / b ** 2 + 0 * g)),
            Mistake("multiply's swap", "that is the multiply gate's rule (each input gets the other "
                    "times g); a division is a times b to the power -1, so b's share goes through "
                    "the power gate: d(a/b)/db = -a/b^2.",
                    lambda a, b, g: (b * g, a * g)),
            Mistake("sign of dq/db", "grad_b has the wrong sign: d(b^-1)/db = -b^-2, so "
                    "dq/db = -a/b^2 (grad_a is right).",
                    lambda a, b, g: (g / b, g * a / b ** 2)),
            Mistake("a missing in dq/db", "grad_b lacks the factor a: q = a b^-1, so "
                    "dq/db = a times d(b^-1)/db = -a/b^2.",
                    lambda a, b, g: (g / b, -g / b ** 2)),
            Mistake("swapped", "grad_a and grad_b are swapped: dq/da = 1/b and dq/db = -a/b^2.",
                    lambda a, b, g: (-g * a / b ** 2, g / b)),
        ]),
    GateExercise(
        "06.2", "a sigmoid gate as one node of the graph",
        "a function sigmoid_gate(v) that takes a Value and returns a new Value s = sigma(v.data), "
        "with parent v, whose _backward adds s (1 - s) out.grad to v.grad",
        f'{CHAPTER}, sections "The gates" and "Where a value is used twice, gradients add"',
        reference=_as_numbers(sigmoid_gate), gate=sigmoid_gate, cases=_gate_cases,
        outputs=["s", "dv"],
        mistakes=[
            Mistake("overwriting instead of adding at a fork", "your gate overwrites v.grad "
                    "(v.grad = ...) instead of adding to it (v.grad += ...): where v is used twice, "
                    "here by your gate and by a product, the other use's share is lost. Gradients "
                    "add at a fork.",
                    _as_numbers(_gate_variant(overwrite=True))),
            Mistake("derivative at the input", "the local derivative is taken at the input: "
                    "v.data (1 - v.data) instead of s (1 - s) with s = sigma(v), the output.",
                    _as_numbers(_gate_variant(at_input=True))),
            Mistake("no out.grad", "the local derivative s (1 - s) is not multiplied by out.grad, "
                    "the gradient arriving at the gate's output (the chain rule).",
                    _as_numbers(_gate_variant(no_upstream=True))),
            Mistake("no _backward", "no gradient passes through your gate: its output's _backward "
                    "is never set (out._backward = _backward), so it does nothing.",
                    _as_numbers(_gate_variant(no_backward=True))),
        ]),
    FunctionExercise(
        "06.3", "dC/dX of a layer's input, from the hidden errors",
        "a function my_input_gradient(W1, Delta1) that returns dC/dX, one row per example, from "
        "W^1 (n_1, n_in) and the hidden errors Delta^1 (N, n_1)",
        f'{CHAPTER}, sections "Where a value is used twice, gradients add" and "The matrix gate '
        f'of a layer", equation (eq-matrix-gate)',
        reference=input_gradient, cases=_input_cases, outputs=["dX"],
        batch_of=lambda args: len(args[1]), shapes=lambda args: {"dX": "the shape of X, (N, n_in)"},
        mistakes=[
            Mistake("overwriting instead of adding at a fork", "each input keeps the share of one "
                    "hidden unit only, as if each share overwrote the one before: x_1 feeds every "
                    "hidden unit, so the shares of all of them add, sum_j w^1_j1 delta^1_j.",
                    lambda W1, Delta1: Delta1[:, -1:] * W1[-1]),
            Mistake("overwriting instead of adding at a fork (first)", "each input keeps the share "
                    "of one hidden unit only, as if each share overwrote the others: x_1 feeds every "
                    "hidden unit, so the shares of all of them add, sum_j w^1_j1 delta^1_j.",
                    lambda W1, Delta1: Delta1[:, :1] * W1[0]),
            Mistake("summed over the batch", "the gradient is summed over the examples: each "
                    "example has its own input and its own dC/dx (one row each). Only W and b, used "
                    "by every row of the batch, sum over it.",
                    lambda W1, Delta1: Delta1.sum(axis=0) @ W1),
        ]),
    FunctionExercise(
        "06.4", "gradient descent with the graph: train the network of Values",
        "a function my_train_values(W1, b1, W2, b2, x, target, lr, steps) that returns "
        "(costs, W1, b1, W2, b2): the cost before each of the steps, then the weights after "
        "the last, as numbers or arrays",
        f'{CHAPTER}, sections "A network as a graph" and "Pitfalls"',
        reference=train_two_three_one, cases=_train_cases,
        outputs=["costs", "W1", "b1", "W2", "b2"],
        shapes=lambda args: {"costs": f"({args[-1]},): one cost per step", "W1": "(3, 2)",
                             "b1": "(3,)", "W2": "(1, 3)", "b2": "(1,)"},
        mistakes=[
            Mistake("gradients pile up", "the gradients pile up from step to step: Value's "
                    "backward() adds to the .grad of the leaves (the weights), so each step must "
                    "start from new Values, or set every weight's .grad to 0 first, as PyTorch's "
                    "zero_grad() does.", _train_variant(accumulate=True)),
            Mistake("uphill", "the steps go uphill: gradient descent subtracts, w <- w - eta dC/dw.",
                    _train_variant(sign=-1.0)),
            Mistake("biases frozen", "the biases never change: they are parameters too, updated "
                    "with their own gradients, b <- b - eta dC/db.", _train_variant(freeze_biases=True)),
            Mistake("cost after the step", "each cost is the one after its step, not before: "
                    "record the cost of the forward pass that the step's gradient comes from.",
                    _train_variant(cost_after=True)),
        ]),
]
