"""Backpropagation checked by computer algebra (sympy is imported only here).

A small fully connected network is written out with one sympy symbol per
input, target, weight and bias, batched as in ``bp`` (examples are rows).
Its cost is then an explicit formula, and we can

1. differentiate the whole cost with ``sympy.diff``, one parameter at a time
   (no chain rule of ours involved), and
2. build the same gradients from the four backpropagation equations of the
   chapter "Backpropagation calculations",

and check that the two are *exactly* equal, not just numerically close.

A note for maintainers: sympy 1.14 silently returns 0 when differentiating an
element of a ``MatrixSymbol``, so every matrix here is a ``sympy.Matrix``
filled with plain symbols.
"""
from dataclasses import dataclass

import numpy as np

from .extras import require

sp = require("sympy", "bp.symbolic")

# --- activations and the derivatives the book derives for them --------------


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z)."""
    return 1 / (1 + sp.exp(-z))


def relu(z):
    """max(0, z), written so that its value at z = 0 is 0."""
    return sp.Piecewise((z, z > 0), (0, True))


def identity(z):
    return z


ACTIVATIONS = {"sigmoid": sigmoid, "tanh": sp.tanh, "relu": relu, "identity": identity}

# sigma'(z) in closed form, evaluated at z (the layer's weighted input).
# At ReLU's kink the derivative is taken to be 0, as PyTorch does.
DERIVATIVES = {
    "sigmoid": lambda z: sigmoid(z) * (1 - sigmoid(z)),
    "tanh": lambda z: 1 - sp.tanh(z) ** 2,
    "relu": lambda z: sp.Piecewise((1, z > 0), (0, True)),
    "identity": lambda z: sp.Integer(1),
}


# --- a generic activation, for derivations that hold for every sigma -------------

sigma = sp.Function("sigma")


class sigma_prime(sp.Function):
    """sigma'(u): the derivative of the generic activation ``sigma``, written as the book writes it."""

    def _latex(self, printer):
        return r"\sigma'\!\left(%s\right)" % printer._print(self.args[0])


def name_derivatives(expr):
    """Write sympy's derivatives of ``sigma`` as sigma'(u).

    sympy.diff of sigma(w x + b) gives Subs(Derivative(sigma(xi), xi), xi, w x + b);
    this turns that (and a plain Derivative(sigma(z), z)) into sigma_prime(w x + b).
    """
    expr = expr.replace(lambda e: isinstance(e, sp.Subs) and e.expr.has(sigma),
                        lambda e: sigma_prime(*e.point))
    return expr.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, sigma),
                        lambda e: sigma_prime(*e.expr.args))


# --- exact zero test -----------------------------------------------------------


def is_zero(expr):
    """True if ``expr`` is identically zero, decided exactly.

    ``sympy.simplify`` takes minutes on the nested exponentials of a network's
    gradient, so we use a faster exact test. Every exp(u), tanh(u), log(u) is
    replaced, innermost first, by a fresh symbol (exp(u) by (1 - s)/s, a
    one-to-one change of variable that turns sigmoids into plain rational
    functions), and every ReLU step Piecewise((e, c), (0, True)) by h*e with
    a fresh h, reduced by h^2 = h. What is left is a rational function of
    independent symbols; it is zero exactly when the numerator of its
    combined fraction expands to 0. Treating the replaced functions as
    independent can only make a zero harder to reach, so a True is a proof.
    """
    memo, steps = {}, set()
    frozen = _freeze(sp.sympify(expr), memo, steps)
    numerator, _ = sp.fraction(sp.together(frozen))
    numerator = sp.expand(numerator)
    if steps:  # an indicator is 0 or 1, so h**k = h
        numerator = sp.expand(numerator.replace(
            lambda e: e.is_Pow and e.base in steps, lambda e: e.base))
    return numerator == 0


def _freeze(e, memo, steps):
    if e.is_Atom:
        return e
    if isinstance(e, (sp.exp, sp.tanh, sp.log)):
        key = (e.func, _freeze(e.args[0], memo, steps))
        if key not in memo:
            memo[key] = sp.Dummy("s")
        s = memo[key]
        return (1 - s) / s if e.func == sp.exp else s
    if isinstance(e, sp.Piecewise):
        # ReLU and its derivative: Piecewise((value, condition), (0, True))
        (value, condition), (other, otherwise) = e.args
        if other != 0 or otherwise is not sp.true:
            raise NotImplementedError(f"is_zero: unsupported Piecewise {e}")
        key = ("step", _freeze(condition, memo, steps))
        if key not in memo:
            memo[key] = sp.Dummy("h")
            steps.add(memo[key])
        return memo[key] * _freeze(value, memo, steps)
    return e.func(*[_freeze(a, memo, steps) for a in e.args])


def matrices_equal(A, B):
    """True if two sympy matrices have the same shape and every entry of A - B is zero."""
    return A.shape == B.shape and all(is_zero(a - b) for a, b in zip(A, B))


# --- the network, element by element -------------------------------------------


def symbol_matrix(name, rows, cols):
    """A rows x cols sympy.Matrix of symbols name_{ij}, 1-based like the book."""
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{{{i + 1}{j + 1}}}"))


@dataclass
class SymbolicNetwork:
    """A fully connected network as explicit sympy formulas.

    sizes: (n_0, n_1, ..., n_L); activations: one name per weight layer from
    ``ACTIVATIONS``; loss: "mse" (mean over all N * n_L entries, as
    ``bp.MSELoss``) or "cross_entropy" (softmax on the logits of an identity
    output layer, mean over N, as ``bp.CrossEntropyLoss``).

    Attributes, with the book's layer index l = 1..L (index 0 of W, b, Z is None):
    ``X`` (N, n_0); ``W[l]`` (n_l, n_{l-1}); ``b[l]`` (1, n_l), a row like bp's
    bias; ``Z[l] = A[l-1] W[l]^T + 1 b[l]`` and ``A[l] = sigma(Z[l])``, both (N, n_l);
    ``Y`` (N, n_L) target symbols for "mse", ``labels`` (N integers) for
    "cross_entropy"; ``cost``, a single sympy expression.
    """

    sizes: tuple
    activations: tuple
    loss: str = "mse"
    N: int = 3
    labels: tuple = None

    def __post_init__(self):
        self.sizes, self.activations = tuple(self.sizes), tuple(self.activations)
        L = len(self.sizes) - 1
        if len(self.activations) != L:
            raise ValueError(f"SymbolicNetwork: {L} weight layers need {L} activations, "
                             f"got {len(self.activations)}.")
        for name in self.activations:
            if name not in ACTIVATIONS:
                raise ValueError(f"SymbolicNetwork: unknown activation {name!r}; "
                                 f"expected one of {sorted(ACTIVATIONS)}.")
        if self.loss == "cross_entropy" and self.activations[-1] != "identity":
            raise ValueError("SymbolicNetwork: with cross_entropy the output layer must be "
                             "'identity' (the loss applies the softmax, as bp and PyTorch do).")
        if self.loss not in ("mse", "cross_entropy"):
            raise ValueError(f"SymbolicNetwork: loss must be 'mse' or 'cross_entropy', got {self.loss!r}.")

        self.L, N = L, self.N
        self.X = symbol_matrix("x", N, self.sizes[0])
        self.W, self.b = [None], [None]
        for l in range(1, L + 1):
            self.W.append(sp.Matrix(self.sizes[l], self.sizes[l - 1],
                                    lambda j, k: sp.Symbol(f"w^{l}_{{{j + 1}{k + 1}}}")))
            self.b.append(sp.Matrix(1, self.sizes[l], lambda _, j: sp.Symbol(f"b^{l}_{{{j + 1}}}")))

        # Forward propagation, batched: Z^l = A^{l-1} (W^l)^T + 1 (b^l)^T, A^l = sigma(Z^l)
        self.Z, self.A = [None], [self.X]
        for l in range(1, L + 1):
            Z = self.A[l - 1] * self.W[l].T + sp.ones(N, 1) * self.b[l]
            self.Z.append(Z)
            self.A.append(Z.applyfunc(ACTIVATIONS[self.activations[l - 1]]))

        out = self.A[L]
        if self.loss == "mse":
            self.Y = symbol_matrix("y", N, self.sizes[L])
            self.cost = sum((out[i, j] - self.Y[i, j]) ** 2
                            for i in range(N) for j in range(self.sizes[L])) / (N * self.sizes[L])
        else:
            K = self.sizes[L]
            if self.labels is None:
                self.labels = tuple(i % K for i in range(N))
            if not all(isinstance(y, (int, np.integer)) and not isinstance(y, bool) for y in self.labels):
                raise ValueError(f"SymbolicNetwork: labels must be integers (class indices), "
                                 f"got {self.labels}.")
            self.labels = tuple(int(y) for y in self.labels)
            if len(self.labels) != N or not all(0 <= y < K for y in self.labels):
                raise ValueError(f"SymbolicNetwork: need {N} labels in [0, {K - 1}], got {self.labels}.")
            # C = (1/N) sum_i -log softmax(z_i)_{y_i}
            self.cost = sum(sp.log(sum(sp.exp(out[i, k]) for k in range(K))) - out[i, self.labels[i]]
                            for i in range(N)) / N

    # --- the parameters ---------------------------------------------------------

    def parameters(self):
        """[(name, matrix)] in bp's order: ("W1", W[1]), ("b1", b[1]), ("W2", ...), ..."""
        return [(f"{p}{l}", getattr(self, p)[l]) for l in range(1, self.L + 1) for p in ("W", "b")]

    def symbols(self):
        """Every free symbol, in a fixed order: inputs, targets, then parameters."""
        symbols = list(self.X)
        if self.loss == "mse":
            symbols += list(self.Y)
        for _, matrix in self.parameters():
            symbols += list(matrix)
        return symbols

    # --- 1. gradients by differentiating the whole cost ----------------------------

    def gradients_by_diff(self):
        """{"W1": dC/dW^1, ...}: each entry is sympy.diff(cost, that parameter symbol).

        Computed once and kept: for a 3-4-5-2 network it takes seconds.
        """
        if not hasattr(self, "_by_diff"):
            self._by_diff = {name: matrix.applyfunc(lambda p: sp.diff(self.cost, p))
                             for name, matrix in self.parameters()}
        return self._by_diff

    # --- 2. gradients by the four backpropagation equations ------------------------

    def output_error(self, derivatives=DERIVATIVES):
        """delta^L = dC/dZ^L, shape (N, n_L), by (BP1).

        MSE: delta^L = dC/dA^L (.) sigma'(Z^L) with dC/dA^L = 2 (A^L - Y) / (N n_L).
        Cross-entropy on logits: delta^L = (P - onehot(y)) / N with P = softmax(Z^L).
        """
        L, N, K = self.L, self.N, self.sizes[-1]
        if self.loss == "mse":
            dC_dA = 2 * (self.A[L] - self.Y) / (N * K)
            sigma_prime = self.Z[L].applyfunc(derivatives[self.activations[L - 1]])
            return dC_dA.multiply_elementwise(sigma_prime)
        Z = self.Z[L]
        P = sp.Matrix(N, K, lambda i, k: sp.exp(Z[i, k]) / sum(sp.exp(Z[i, j]) for j in range(K)))
        onehot = sp.Matrix(N, K, lambda i, k: 1 if k == self.labels[i] else 0)
        return (P - onehot) / N

    def deltas(self, derivatives=DERIVATIVES):
        """[None, delta^1, ..., delta^L], each (N, n_l): (BP1), then (BP2) backwards.

        Batched (BP2): delta^l = (delta^{l+1} W^{l+1}) (.) sigma'(Z^l); row i is the
        transpose of (W^{l+1})^T delta^{l+1} for example i.
        """
        delta = [None] * (self.L + 1)
        delta[self.L] = self.output_error(derivatives)
        for l in range(self.L - 1, 0, -1):
            sigma_prime = self.Z[l].applyfunc(derivatives[self.activations[l - 1]])
            delta[l] = (delta[l + 1] * self.W[l + 1]).multiply_elementwise(sigma_prime)
        return delta

    def gradients_by_backprop(self, derivatives=DERIVATIVES):
        """{"W1": ..., "b1": ..., ...} from (BP3) dC/dW^l = (delta^l)^T A^{l-1} and
        (BP4) dC/db^l = sum of the rows of delta^l (each example's delta^l, summed)."""
        delta = self.deltas(derivatives)
        grads = {}
        for l in range(1, self.L + 1):
            grads[f"W{l}"] = delta[l].T * self.A[l - 1]
            grads[f"b{l}"] = sp.ones(1, self.N) * delta[l]
        return grads

    # --- numbers ----------------------------------------------------------------------

    def random_values(self, rng, scale=1.0):
        """A dict {symbol: float}: random inputs, targets and parameters (non-zero, seeded)."""
        return {s: float(v) for s, v in zip(self.symbols(), rng.normal(0.0, scale, len(self.symbols())))}

    def numeric(self, matrices, values):
        """Evaluate {name: sympy Matrix} at ``values`` with lambdify; returns {name: ndarray}."""
        symbols = self.symbols()
        args = [values[s] for s in symbols]
        # cse=True shares repeated subexpressions: much faster to generate for deep nets
        return {name: np.array(sp.lambdify(symbols, M, "numpy", cse=True)(*args), dtype=np.float64)
                for name, M in matrices.items()}

    def to_bp(self, values):
        """The same network as a bp.Sequential with the parameters in ``values``,
        with the input batch X, the target (Y or labels) and the bp loss."""
        import bp

        layers = []
        for l in range(1, self.L + 1):
            dense = bp.Dense(self.sizes[l - 1], self.sizes[l], init="zeros")
            dense.params["W"][:] = np.array(self.W[l].subs(values), dtype=np.float64)
            dense.params["b"][:] = np.array(self.b[l].subs(values), dtype=np.float64).ravel()
            layers.append(dense)
            activation = {"sigmoid": bp.Sigmoid, "tanh": bp.Tanh, "relu": bp.ReLU}.get(self.activations[l - 1])
            if activation is not None:
                layers.append(activation())
        X = np.array(self.X.subs(values), dtype=np.float64)
        if self.loss == "mse":
            return bp.Sequential(layers), X, np.array(self.Y.subs(values), dtype=np.float64), bp.MSELoss()
        return bp.Sequential(layers), X, np.array(self.labels), bp.CrossEntropyLoss()


# --- the checks the tests and the chapter run ----------------------------------------


def check_backprop_equations(net, derivatives=DERIVATIVES):
    """{"W1": True, "b1": True, ...}: is (BP1)-(BP4)'s gradient exactly sympy.diff's?"""
    by_diff = net.gradients_by_diff()
    by_backprop = net.gradients_by_backprop(derivatives)
    return {name: matrices_equal(by_backprop[name], by_diff[name]) for name in by_diff}


def compare_with_bp(net, rng):
    """Relative error, per parameter, between bp's backward pass and the lambdified
    sympy gradients, at random inputs, targets and parameters drawn with ``rng``."""
    from .gradcheck import relative_error

    values = net.random_values(rng)
    exact = net.numeric(net.gradients_by_diff(), values)
    model, X, target, loss = net.to_bp(values)
    loss.forward(model.forward(X), target)
    model.backward(loss.backward())
    errors = {}
    dense_layers = [layer for layer in model.layers if "W" in layer.params]
    for l, layer in enumerate(dense_layers, start=1):
        errors[f"W{l}"] = relative_error(layer.grads["W"], exact[f"W{l}"])
        errors[f"b{l}"] = relative_error(layer.grads["b"], exact[f"b{l}"].ravel())
    return errors


def check_activation_derivatives():
    """{"sigmoid": True, ...}: does each closed-form sigma'(z) equal d sigma / dz?"""
    z = sp.Symbol("z", real=True)
    return {name: is_zero(DERIVATIVES[name](z) - sp.diff(ACTIVATIONS[name](z), z))
            for name in ACTIVATIONS}


def check_loss_gradients(N=3, K=4, labels=None):
    """{"mse": True, "cross_entropy": True} for a batch of N examples and K outputs:
    MSE: dC/da = 2 (a - y) / (N K); softmax + cross-entropy: dC/dz = (p - onehot(y)) / N."""
    A, Y = symbol_matrix("a", N, K), symbol_matrix("y", N, K)
    mse = sum((A[i, j] - Y[i, j]) ** 2 for i in range(N) for j in range(K)) / (N * K)
    mse_ok = matrices_equal(A.applyfunc(lambda a: sp.diff(mse, a)), 2 * (A - Y) / (N * K))

    labels = tuple(i % K for i in range(N)) if labels is None else tuple(labels)
    Z = symbol_matrix("z", N, K)
    ce = sum(sp.log(sum(sp.exp(Z[i, k]) for k in range(K))) - Z[i, labels[i]] for i in range(N)) / N
    P = sp.Matrix(N, K, lambda i, k: sp.exp(Z[i, k]) / sum(sp.exp(Z[i, j]) for j in range(K)))
    onehot = sp.Matrix(N, K, lambda i, k: 1 if k == labels[i] else 0)
    ce_ok = matrices_equal(Z.applyfunc(lambda z: sp.diff(ce, z)), (P - onehot) / N)
    return {"mse": mse_ok, "cross_entropy": ce_ok}
