"""A long short-term memory layer (LSTM), in PyTorch's form.

The chapter "Recurrent networks" derives why a plain RNN forgets: the gradient that
reaches back k steps is a product of k Jacobians, which shrinks or grows
geometrically. An LSTM (Hochreiter and Schmidhuber, 1997) adds a cell state c_t that
is carried from step to step by multiplication with a gate f_t the network learns, so
the gradient along c can pass many steps unchanged when f_t is near 1. Per example,
with column vectors and the gates in PyTorch's order (i, f, g, o):

    a_t = W_ih x_t + W_hh h_{t-1} + b                    (4H numbers: four blocks of H)
    i_t = sigmoid(a_i)   f_t = sigmoid(a_f)   g_t = tanh(a_g)   o_t = sigmoid(a_o)
    c_t = f_t (.) c_{t-1} + i_t (.) g_t                  (the cell: kept, plus written)
    h_t = o_t (.) tanh(c_t)                              (what the cell shows)

Backpropagation through time, from t = T back to 1, with dh and dc the total
derivatives of the cost with respect to h_t and c_t:

    dh   = dH_t + W_hh^T da_{t+1}                        (da_{T+1} = 0)
    do   = dh (.) tanh(c_t)
    dc   = dc_{t+1 -> t} + dh (.) o_t (.) (1 - tanh(c_t)^2)
    di   = dc (.) g_t     dg = dc (.) i_t     df = dc (.) c_{t-1}
    da_t = [di (.) i(1-i), df (.) f(1-f), dg (.) (1-g^2), do (.) o(1-o)]
    dc_{t -> t-1} = dc (.) f_t                           (the path along the cell)

and, the weights being shared by every step,

    dC/dW_ih = sum_t da_t x_t^T   dC/dW_hh = sum_t da_t h_{t-1}^T   dC/db = sum_t da_t
    dC/dx_t  = W_ih^T da_t        dC/dh_0 = W_hh^T da_1             dC/dc_0 = dc (.) f_1

Shapes: input (N, T, n_in), output (N, T, H); W_ih (4H, n_in), W_hh (4H, H), b (4H,).
"""
import numpy as np

from .activations import sigmoid
from .errors import ShapeError, as_float_array, check_finite, check_rng, check_shape
from .layer import Layer
from .recurrent import _check_sequence


class LSTM(Layer):
    """LSTM layer with PyTorch's gates (i, f, g, o); all hidden states as output.

    Parameters
    ----------
    n_in, n_hidden : int
        Size of each input vector x_t and of each hidden state h_t (H).
    rng : numpy.random.Generator or int (a seed)
        As in ``torch.nn.LSTM``, every parameter starts uniform in
        [-1/sqrt(H), 1/sqrt(H)]. PyTorch keeps two biases, b_ih and b_hh, that are
        always added together; ``b`` is their sum (one draw, not the sum of two).

    ``forward(X, state=None)``: X (N, T, n_in) -> H (N, T, H). ``state`` is the pair
    ``(h0, c0)``, each (N, H), zeros if None. After forward, ``final_state`` is
    ``(h_T, c_T)``: pass it as the next chunk's ``state`` to carry the memory along a
    long sequence (truncated backpropagation through time, as min-char-rnn does).
    After backward, ``state_grad`` is ``(dC/dh0, dC/dc0)``.
    ``params``: "W_ih" (4H, n_in), "W_hh" (4H, H), "b" (4H,); ``grads`` the same.
    """

    def __init__(self, n_in, n_hidden, *, rng=None):
        super().__init__()
        if int(n_in) != n_in or int(n_hidden) != n_hidden or n_in < 1 or n_hidden < 1:
            raise ValueError(f"LSTM: n_in and n_hidden must be positive integers, got {n_in} and {n_hidden}.")
        rng = check_rng(rng, "LSTM")
        self.n_in, self.n_hidden = int(n_in), int(n_hidden)
        H, bound = self.n_hidden, 1.0 / np.sqrt(n_hidden)
        self.params = {
            "W_ih": rng.uniform(-bound, bound, size=(4 * H, self.n_in)),
            "W_hh": rng.uniform(-bound, bound, size=(4 * H, H)),
            "b": rng.uniform(-bound, bound, size=4 * H),
        }
        self.final_state = None
        self.state_grad = None

    def forward(self, X, state=None):
        """X: (N, T, n_in) -> H: (N, T, n_hidden); state = (h0, c0) or None for zeros."""
        X = as_float_array(X, self)
        _check_sequence(X, self.n_in, self)
        check_finite(X, self)
        N, T, _ = X.shape
        h, c = _initial_state(state, N, self.n_hidden, self)
        W_ih, W_hh, b = self.params["W_ih"], self.params["W_hh"], self.params["b"]
        H = self.n_hidden
        hs, cs = np.empty((N, T + 1, H)), np.empty((N, T + 1, H))   # index 0 holds h_0, c_0
        gates = np.empty((N, T, 4 * H))                               # i, f, g, o after their nonlinearity
        hs[:, 0], cs[:, 0] = h, c
        Xa = X @ W_ih.T + b                     # the input's part of a_t, for every t at once
        for t in range(T):
            a = Xa[:, t] + h @ W_hh.T                                  # a_t = W_ih x_t + W_hh h_{t-1} + b
            i, f = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H])
            g, o = np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
            c = f * c + i * g                                          # c_t = f (.) c_{t-1} + i (.) g
            h = o * np.tanh(c)                                         # h_t = o (.) tanh(c_t)
            gates[:, t] = np.concatenate([i, f, g, o], axis=1)
            hs[:, t + 1], cs[:, t + 1] = h, c
        self._cache = (X, hs, cs, gates)
        self.final_state = (h.copy(), c.copy())
        return hs[:, 1:].copy()

    def backward(self, dH, input_grad=True):
        """Backpropagation through time. dH: (N, T, n_hidden), dC/dh_t for every step (the
        direct part). Fills grads and ``state_grad``; returns dC/dX (N, T, n_in)."""
        X, hs, cs, gates = self._cached()
        N, T, _ = X.shape
        H = self.n_hidden
        dH = as_float_array(dH, self, "gradient dH")
        check_shape(dH, (N, T, H), self, "gradient dH")
        W_hh = self.params["W_hh"]
        dA = np.empty((N, T, 4 * H))
        dh_next, dc_next = np.zeros((N, H)), np.zeros((N, H))      # nothing after the last step
        for t in reversed(range(T)):
            i, f, g, o = (gates[:, t, k * H:(k + 1) * H] for k in range(4))
            tanh_c = np.tanh(cs[:, t + 1])
            dh = dH[:, t] + dh_next                                  # dh = dH_t + W_hh^T da_{t+1}
            dc = dc_next + dh * o * (1.0 - tanh_c ** 2)              # both paths into c_t
            da = np.concatenate([dc * g * i * (1.0 - i),             # di (.) sigmoid'
                                 dc * cs[:, t] * f * (1.0 - f),      # df (.) sigmoid'
                                 dc * i * (1.0 - g ** 2),            # dg (.) tanh'
                                 dh * tanh_c * o * (1.0 - o)], axis=1)   # do (.) sigmoid'
            dA[:, t] = da
            dh_next = da @ W_hh                                      # to h_{t-1} through a_t
            dc_next = dc * f                                         # to c_{t-1} along the cell
        self.grads["W_ih"] = np.einsum("nta,nti->ai", dA, X)         # sum_t da_t x_t^T
        self.grads["W_hh"] = np.einsum("nta,ntj->aj", dA, hs[:, :-1])  # sum_t da_t h_{t-1}^T
        self.grads["b"] = dA.sum(axis=(0, 1))                        # sum_t da_t
        self.state_grad = (dh_next, dc_next)                         # dC/dh_0, dC/dc_0
        if not input_grad:
            return None
        return dA @ self.params["W_ih"]                              # dC/dx_t = W_ih^T da_t

    def __repr__(self):
        return f"LSTM({self.n_in} -> {self.n_hidden})"


def _initial_state(state, N, H, who):
    """(h0, c0) as float arrays of shape (N, H); zeros for None."""
    if state is None:
        return np.zeros((N, H)), np.zeros((N, H))
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ShapeError(f"{who}: state must be a pair (h0, c0) of arrays of shape ({N}, {H}), "
                         f"e.g. the layer's final_state after the previous chunk; got {type(state).__name__}.")
    pair = []
    for name, value in zip(("h0", "c0"), state):
        value = as_float_array(value, who, name)
        if value.shape != (N, H):
            raise ShapeError(f"{who}: {name} must have shape ({N}, {H}), one state per sequence of the "
                             f"batch, got {value.shape}.")
        check_finite(value, who, name)
        pair.append(value)
    return tuple(pair)
