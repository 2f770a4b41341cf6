"""Chapter 9, "Recurrent networks": exercises 1 to 7."""
import numpy as np

from .checking import FormulaExercise, FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "Recurrent networks and backpropagation through time"'
GATED = WHERE + ', section "Toward gated units: the LSTM\'s cell state"'


# ---------------------------------------------------------------- exercise 2


def truncated_dW_hh(X, W_xh, W_hh, b, dh_T):
    """The reference: dC/dW_hh of an RNN whose cost reads only h_T (dC/dh_T = dh_T),
    with truncate=1, by bp.RNN. It is delta_T h_(T-1)^T, summed over the batch."""
    import bp
    N, T, n_in = X.shape
    rnn = bp.RNN(n_in, len(b), rng=0, truncate=1)
    rnn.params["W_xh"][:], rnn.params["W_hh"][:], rnn.params["b"][:] = W_xh, W_hh, b
    H = rnn.forward(X)
    dH = np.zeros_like(H)
    dH[:, -1] = dh_T                                  # the loss reads only h_T
    rnn.backward(dH, input_grad=False)
    return rnn.grads["W_hh"]


def _hidden_states(X, W_xh, W_hh, b):
    """h_1..h_T and h_0..h_(T-1), each (N, T, n_hidden), from h_0 = 0."""
    N, T, _ = X.shape
    h = np.zeros((N, len(b)))
    H, H_prev = [], []
    for t in range(T):
        H_prev.append(h)
        h = np.tanh(X[:, t] @ W_xh.T + h @ W_hh.T + b)
        H.append(h)
    return np.stack(H, axis=1), np.stack(H_prev, axis=1)


def _truncated_variant(kind):
    def dW_hh(X, W_xh, W_hh, b, dh_T):
        H, H_prev = _hidden_states(X, W_xh, W_hh, b)
        delta_T = dh_T * (1 - H[:, -1] ** 2)
        if kind == "off by one":                        # delta_T h_T^T
            return delta_T.T @ H[:, -1]
        if kind == "no tanh'":
            return dh_T.T @ H_prev[:, -1]
        if kind == "full":                              # full BPTT: every step's term
            dW, delta = np.zeros_like(W_hh), delta_T
            for t in reversed(range(X.shape[1])):
                dW += delta.T @ H_prev[:, t]
                delta = (delta @ W_hh) * (1 - H_prev[:, t] ** 2)
            return dW
        raise ValueError(kind)
    return dW_hh


def _truncated_cases(rng):
    cases = []
    for label, N, T, n_in, n_hidden in (("N = 4, T = 6, n_in = 3, n_hidden = 5", 4, 6, 3, 5),
                                        ("N = 3, T = 2, n_in = 2, n_hidden = 7", 3, 2, 2, 7),
                                        ("a sequence of one step, T = 1", 3, 1, 3, 4)):
        X = rng.normal(size=(N, T, n_in))
        W_xh = rng.normal(scale=0.7, size=(n_hidden, n_in))
        W_hh = rng.normal(scale=0.5, size=(n_hidden, n_hidden))
        b = rng.normal(scale=0.3, size=n_hidden)
        dh_T = rng.normal(size=(N, n_hidden)) / N          # dC/dh_T, with the mean's 1/N
        cases.append((label, (X, W_xh, W_hh, b, dh_T)))
    return cases


# ---------------------------------------------------------------- exercise 5


def two_step_gradients(u, w, v, x1, x2, s1, s2):
    """The reference: dC/du, dC/dw, dC/dv of the scalar RNN h_t = tanh(u h_(t-1) + w x_t),
    h_0 = 0, with y_t = v h_t and C = (y_1 - s_1)^2/2 + (y_2 - s_2)^2/2, by BPTT with a
    loss at every step (eq-bptt-dh-every)."""
    h1 = np.tanh(w * x1)                                # h_0 = 0
    h2 = np.tanh(u * h1 + w * x2)
    e1, e2 = v * h1 - s1, v * h2 - s2                   # dC_t/dy_t
    delta2 = v * e2 * (1 - h2 ** 2)                     # step 2 is the last
    delta1 = (v * e1 + u * delta2) * (1 - h1 ** 2)      # both paths reach h_1
    h0 = 0.0
    return delta2 * h1 + delta1 * h0, delta1 * x1 + delta2 * x2, e1 * h1 + e2 * h2


def _two_step_variant(kind):
    def gradients(u, w, v, x1, x2, s1, s2):
        h1 = np.tanh(w * x1)
        h2 = np.tanh(u * h1 + w * x2)
        e1, e2 = v * h1 - s1, v * h2 - s2
        delta2 = v * e2 * (1 - h2 ** 2)
        if kind == "no recurrent path":
            delta1 = v * e1 * (1 - h1 ** 2)
        elif kind == "no loss at step 1":
            delta1 = u * delta2 * (1 - h1 ** 2)
        else:
            delta1 = (v * e1 + u * delta2) * (1 - h1 ** 2)
        du, dw, dv = delta2 * h1, delta1 * x1 + delta2 * x2, e1 * h1 + e2 * h2
        if kind == "off by one":                        # delta_t paired with h_t
            du = delta2 * h2 + delta1 * h1
        elif kind == "last step only":
            du, dw, dv = delta2 * h1, delta2 * x2, e2 * h2
        return du, dw, dv
    return gradients


def _two_step_cases(rng):
    cases = []
    for label in ("random values", "other random values", "more random values"):
        u, w, v = rng.uniform(0.4, 1.2, size=3) * rng.choice([-1, 1], size=3)
        x1, x2, s1, s2 = rng.normal(size=4)
        cases.append((label, (u, w, v, x1, x2, s1, s2)))
    x1, x2, s1, s2 = rng.normal(size=4)
    cases.append(("u = 0, no recurrence", (0.0, 0.8, -0.6, x1, x2, s1, s2)))
    return cases


# ---------------------------------------------------------------- exercise 7


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_step_backward(x, h_prev, c_prev, forget_bias, dh, dc, W_gate):
    """The reference: one step of (eq-lstm) backwards, given dC/dh_t = dh and
    dC/dc_t = dc: returns dC/dh_(t-1), dC/dc_(t-1), dC/dW_f. W_gate holds the four
    matrices "f", "i", "o", "c", each (n_cell, n_x + n_cell), acting on v = [x; h_prev]."""
    n_x = len(x)
    v = np.concatenate([x, h_prev])
    f = _sigmoid(W_gate["f"] @ v + forget_bias)
    i, o = _sigmoid(W_gate["i"] @ v), _sigmoid(W_gate["o"] @ v)
    c_tilde = np.tanh(W_gate["c"] @ v)
    c = f * c_prev + i * c_tilde
    dc = dc + dh * o * (1 - np.tanh(c) ** 2)            # c_t reaches C through h_t too
    delta = {"f": dc * c_prev * f * (1 - f), "i": dc * c_tilde * i * (1 - i),
             "o": dh * np.tanh(c) * o * (1 - o), "c": dc * i * (1 - c_tilde ** 2)}
    dv = sum(W_gate[k].T @ delta[k] for k in "fico")
    return dv[n_x:], dc * f, np.outer(delta["f"], v)


def _lstm_variant(kind):
    def backward(x, h_prev, c_prev, forget_bias, dh, dc, W_gate):
        n_x = len(x)
        v = np.concatenate([x, h_prev])
        f = _sigmoid(W_gate["f"] @ v + forget_bias)
        i, o = _sigmoid(W_gate["i"] @ v), _sigmoid(W_gate["o"] @ v)
        c_tilde = np.tanh(W_gate["c"] @ v)
        c = f * c_prev + i * c_tilde
        if kind != "no h path to c":
            dc = dc + dh * o * (1 - np.tanh(c) ** 2)
        delta = {"f": dc * c_prev * f * (1 - f), "i": dc * c_tilde * i * (1 - i),
                 "o": dh * np.tanh(c) * o * (1 - o), "c": dc * i * (1 - c_tilde ** 2)}
        gates = "f" if kind == "forget gate only" else "fico"
        dv = sum(W_gate[k].T @ delta[k] for k in gates)
        dh_prev = dv[:n_x] if kind == "x part" else dv[n_x:]
        dc_prev = dc if kind == "no f" else dc * f
        return dh_prev, dc_prev, np.outer(delta["f"], v)
    return backward


def _lstm_cases(rng):
    cases = []
    for label, n_x, n_cell, zero_state in (
            ("n_x = 3, n_cell = 4", 3, 4, False),
            ("n_x = 3, n_cell = 8, the chapter's sizes", 3, 8, False),
            ("n_x = 2, n_cell = 5, a first step (h_prev = c_prev = 0)", 2, 5, True)):
        bound = 1 / np.sqrt(n_cell)
        W_gate = {k: rng.uniform(-bound, bound, size=(n_cell, n_x + n_cell)) * 3 for k in "fico"}
        x = rng.normal(size=n_x)
        h_prev, c_prev = rng.normal(size=n_cell), rng.normal(size=n_cell)
        if zero_state:
            h_prev, c_prev = np.zeros(n_cell), np.zeros(n_cell)
        dh, dc = rng.normal(size=n_cell), rng.normal(size=n_cell)
        cases.append((label, (x, h_prev, c_prev, 1.0, dh, dc, W_gate)))
    return cases


# ---------------------------------------------------------------- the exercises

EXERCISES = [
    FormulaExercise(
        "09.1", "dh_T/dh_t of the scalar linear RNN h_t = u h_(t-1) + w x_t",
        "a sympy expression in u, w, T, t for dh_T/dh_t",
        f'{WHERE}, section "Vanishing and exploding gradients", equation (eq-jacobian-product)',
        build=lambda s: s["u"] ** (s["T"] - s["t"]), symbols="u w T t",
        mistakes=[
            Mistake("one step too many", "that has one factor u too many: from h_t to h_T there "
                    "are T - t steps, each multiplying by u.",
                    lambda s: s["u"] ** (s["T"] - s["t"] + 1)),
            Mistake("one step too few", "that has one factor u too few: from h_t to h_T there are "
                    "T - t steps, each multiplying by u.",
                    lambda s: s["u"] ** (s["T"] - s["t"] - 1)),
            Mistake("sum", "the steps multiply, they do not add: the Jacobians of the T - t steps "
                    "form a product.", lambda s: s["u"] * (s["T"] - s["t"])),
            Mistake("with w", "w multiplies the input x_t, not the state: it is not on the path "
                    "from h_t to h_T.", lambda s: s["w"] * s["u"] ** (s["T"] - s["t"])),
        ]),
    FunctionExercise(
        "09.2", "dC/dW_hh with truncate=1 when the cost reads only h_T",
        "a function my_truncated_dW_hh(X, W_xh, W_hh, b, dh_T) that returns dC/dW_hh, shape "
        "(n_hidden, n_hidden), with truncate=1",
        f'{WHERE}, sections "Backpropagation through time" and "Truncated BPTT"',
        reference=truncated_dW_hh, cases=_truncated_cases, outputs=["dW_hh"],
        batch_of=lambda args: len(args[0]),
        shapes=lambda args: {"dW_hh": "the shape of W_hh"},
        mistakes=[
            Mistake("off by one", "a time step off by one: delta_T is paired with h_T. W_hh "
                    "multiplies h_(T-1) in z_T = W_xh x_T + W_hh h_(T-1) + b, so the term is "
                    "delta_T h_(T-1)^T.", _truncated_variant("off by one")),
            Mistake("no tanh'", "the factor tanh'(z_T) = 1 - h_T^2 is missing: delta_T = "
                    "dC/dh_T (.) (1 - h_T^2).", _truncated_variant("no tanh'")),
            Mistake("full BPTT", "that is the full BPTT gradient, a sum over every step; with "
                    "truncate=1 nothing flows from step T back to step T - 1.",
                    _truncated_variant("full")),
        ]),
    FormulaExercise(
        "09.3", "the number of parameters of bp.RNN(n_in, n_hidden)",
        "a sympy expression in n_in, n_hidden and T (use T only if the count depends on it)",
        f'{WHERE}, section "The recurrent cell", equation (eq-rnn-cell)',
        build=lambda s: s["n_hidden"] * s["n_in"] + s["n_hidden"] ** 2 + s["n_hidden"],
        symbols="n_in n_hidden T",
        mistakes=[
            Mistake("per step", "the same W_xh, W_hh and b are used at every step: the count "
                    "does not grow with T.",
                    lambda s: s["T"] * (s["n_hidden"] * s["n_in"] + s["n_hidden"] ** 2
                                        + s["n_hidden"])),
            Mistake("no bias", "the bias b, n_hidden numbers, is missing.",
                    lambda s: s["n_hidden"] * s["n_in"] + s["n_hidden"] ** 2),
            Mistake("no W_hh", "the recurrent weights W_hh, n_hidden x n_hidden, are missing.",
                    lambda s: s["n_hidden"] * s["n_in"] + s["n_hidden"]),
            Mistake("two biases", "that counts two bias vectors, as PyTorch's nn.RNN keeps "
                    "(b_ih and b_hh, whose sum is bp's b); bp.RNN has the one b of (eq-rnn-cell).",
                    lambda s: s["n_hidden"] * s["n_in"] + s["n_hidden"] ** 2 + 2 * s["n_hidden"]),
        ]),
    ValueExercise(
        "09.4", "the direction of g = (10, 1) before and after clipping by value at tau = 1",
        "two numbers: the angle of g above the first axis, in degrees (to a tenth of a degree), "
        "before and after clipping by value",
        f'{WHERE}, section "Gradient clipping", equation (eq-clip)',
        reference=[np.degrees(np.arctan2(1, 10)), 45.0], names=["before", "after"],
        tolerance=0.1, unit=" degree",
        mistakes=[
            Mistake("radians", "those are radians; the exercise asks for degrees.",
                    [np.arctan2(1, 10), np.pi / 4]),
            Mistake("by norm", "that is what clipping by norm does: it keeps the direction. "
                    "Clipping by value cuts each component to [-c, c] on its own: work out the clipped "
                    "vector, then its angle.",
                    [np.degrees(np.arctan2(1, 10))] * 2),
            Mistake("from the second axis", "those angles are measured from the second axis; "
                    "measure them from the first, atan(g_2 / g_1).",
                    [np.degrees(np.arctan2(10, 1)), 45.0]),
            Mistake("swapped", "the two angles are in the wrong order: first the angle before "
                    "clipping, then the angle after.", [45.0, np.degrees(np.arctan2(1, 10))]),
        ]),
    FunctionExercise(
        "09.5", "BPTT by hand for a scalar RNN with a loss at every step",
        "a function my_gradients(u, w, v, x1, x2, s1, s2) that returns (dC_du, dC_dw, dC_dv), "
        "three numbers",
        f'{WHERE}, section "A loss at every time step", equation (eq-bptt-dh-every)',
        reference=two_step_gradients, cases=_two_step_cases, outputs=["dC_du", "dC_dw", "dC_dv"],
        mistakes=[
            Mistake("off by one", "a time step off by one in dC/du: each delta_t is paired with "
                    "h_t. u multiplies h_(t-1) in step t, so dC/du = delta_2 h_1 + delta_1 h_0, "
                    "and h_0 = 0.", _two_step_variant("off by one")),
            Mistake("no recurrent path", "delta_1 lacks the recurrent path: dC/dh_1 = v e_1 + "
                    "u delta_2, the loss at step 1 plus what comes back from step 2.",
                    _two_step_variant("no recurrent path")),
            Mistake("no loss at step 1", "dC/dh_1 lacks the loss at step 1: with a loss at every "
                    "step, dC/dh_1 = v e_1 + u delta_2.", _two_step_variant("no loss at step 1")),
            Mistake("last step only", "dC/dw and dC/dv keep only step 2's term: the weights are "
                    "shared, so their gradients sum the terms of both steps.",
                    _two_step_variant("last step only")),
        ]),
    ValueExercise(
        "09.6", "the forget gates and the cell path over 49 steps with b_f = 0",
        "two numbers: the typical forget gate f, and log10 of the cell path prod_s f_s over "
        "the 49 steps that this f predicts (to one decimal)",
        f"{GATED}, equation (eq-lstm-cell-jacobian)",
        reference=[0.5, 49 * np.log10(0.5)], names=["f", "log10 of the cell path"],
        tolerance=0.1,
        mistakes=[
            Mistake("gates near 1", "forget gates near 1 need a large b_f; with b_f = 0 and small "
                    "weights the gate's input is near 0.", [1.0, 0.0]),
            Mistake("fifty steps", "that counts one step too many: the path from c_1 to c_50 has "
                    "49 factors f_2, ..., f_50.", [0.5, 50 * np.log10(0.5)]),
            Mistake("natural log", "that is the natural logarithm of the cell path; give log10.",
                    [0.5, 49 * np.log(0.5)]),
            Mistake("path kept", "log10 of the cell path is not about 0: the additive update "
                    "alone does not keep the path at 1, each step along the cell multiplies it by "
                    "f_t. (If you gave the path itself, a tiny number, give its log10.)", [0.5, 0.0]),
        ]),
    FunctionExercise(
        "09.7", "the backward pass of one LSTM step",
        "a function my_lstm_step_backward(x, h_prev, c_prev, forget_bias, dh, dc, W_gate) that "
        "returns (dh_prev, dc_prev, dW_f); W_gate holds the matrices 'f', 'i', 'o', 'c'",
        f"{GATED}, equations (eq-lstm) and (eq-lstm-cell-jacobian)",
        reference=lstm_step_backward, cases=_lstm_cases, outputs=["dh_prev", "dc_prev", "dW_f"],
        shapes=lambda args: {"dh_prev": "the shape of h_prev", "dc_prev": "the shape of c_prev",
                             "dW_f": "the shape of W_gate['f']"},
        mistakes=[
            Mistake("no h path to c", "c_t also reaches C through h_t = o_t (.) tanh(c_t): add "
                    "dh (.) o_t (.) (1 - tanh^2 c_t) to dc before using it.",
                    _lstm_variant("no h path to c")),
            Mistake("no f", "dC/dc_(t-1) lacks the factor f_t: c_t = f_t (.) c_(t-1) + ..., so the "
                    "cell path multiplies by f_t.", _lstm_variant("no f")),
            Mistake("forget gate only", "dC/dh_(t-1) comes from the forget gate alone: v_t = "
                    "[x_t; h_(t-1)] feeds all four gates, so the four W^T delta add.",
                    _lstm_variant("forget gate only")),
            Mistake("x part", "dh_prev is the part of dC/dv_t that belongs to x_t: v_t = "
                    "[x_t; h_(t-1)], so h_(t-1)'s part is the last n_cell entries.",
                    _lstm_variant("x part")),
        ]),
]
