"""A recurrent layer (Elman RNN) and the layer that keeps its last hidden state.

Derived in the chapter "Recurrent networks". Per example, with column vectors,

    z_t = W_xh x_t + W_hh h_{t-1} + b        h_0 = 0
    h_t = tanh(z_t)                          t = 1..T

and batched (one example per row, time on axis 1):

    Z[:, t] = X[:, t] @ W_xh.T + H[:, t-1] @ W_hh.T + b
    H[:, t] = tanh(Z[:, t])

Backpropagation through time (BPTT). ``backward`` receives dH = dC/dh_t for
every step (the part of the cost that reads h_t directly, e.g. a loss at each
step; zero where nothing reads it). h_t also feeds h_{t+1}, so the total
derivative collects that path too, from the last step back to the first:

    dC/dh_t = dH_t + W_hh^T dz_{t+1}                  (dz_{T+1} = 0)
    dz_t    = dC/dh_t (.) (1 - h_t^2)                  tanh'(z_t) = 1 - h_t^2

The weights are shared by every step, so their gradients are sums over time
(and over the batch):

    dC/dW_xh = sum_t dz_t x_t^T      dC/dW_hh = sum_t dz_t h_{t-1}^T
    dC/db    = sum_t dz_t            dC/dx_t  = W_xh^T dz_t

Only numpy is used. Shapes follow the book's conventions page: input
(N, T, n_in), output (N, T, n_hidden), W_xh (n_hidden, n_in),
W_hh (n_hidden, n_hidden), b (n_hidden,).
"""
import numpy as np

from .errors import ShapeError, as_float_array, check_finite, check_rng, check_shape
from .layer import Layer


class RNN(Layer):
    """Elman recurrent layer h_t = tanh(W_xh x_t + W_hh h_{t-1} + b), h_0 = 0 or given.

    Derived in the chapter "Recurrent networks".

    Parameters
    ----------
    n_in, n_hidden : int
        Size of each input vector x_t and of each hidden state h_t.
    rng : numpy.random.Generator or int (a seed)
        Source of the initial parameters. As in ``torch.nn.RNN`` every
        parameter starts uniform in [-1/sqrt(n_hidden), 1/sqrt(n_hidden)].
        (PyTorch keeps two biases, b_ih and b_hh, that are always added
        together; ``b`` here plays the role of their sum.)
    truncate : int or None
        None (default): full backpropagation through time. An int k >= 1:
        truncated BPTT, in which the gradient of the cost term at step t
        reaches back through at most k steps, i.e. only z_t, z_{t-1}, ...,
        z_{t-k+1}; with k = 1 nothing flows through W_hh from one step to
        the previous one. Any k >= T gives exactly the full gradient.

    Shapes: input X (N, T, n_in) -> output H (N, T, n_hidden), all hidden
    states h_1..h_T. ``params``: "W_xh" (n_hidden, n_in), "W_hh"
    (n_hidden, n_hidden), "b" (n_hidden,); ``grads`` has the same keys and
    shapes after ``backward``.

    State: ``forward(X, h0)`` starts from h0 (N, n_hidden) instead of zeros;
    ``final_state`` is h_T after forward and ``state_grad`` is dC/dh_0 after backward
    (with truncate=k, the part that reaches h_0 through the window).
    """

    def __init__(self, n_in, n_hidden, *, rng=None, truncate=None):
        super().__init__()
        if int(n_in) != n_in or int(n_hidden) != n_hidden or n_in < 1 or n_hidden < 1:
            raise ValueError(f"RNN: n_in and n_hidden must be positive integers, got {n_in} and {n_hidden}.")
        rng = check_rng(rng, "RNN")
        self.n_in, self.n_hidden = int(n_in), int(n_hidden)
        self.truncate = truncate  # checked by the property setter below
        self.final_state = None   # h_T of the last forward
        self.state_grad = None    # dC/dh_0 of the last backward
        bound = 1.0 / np.sqrt(self.n_hidden)  # torch.nn.RNN: U(-1/sqrt(hidden), 1/sqrt(hidden))
        self.params = {
            "W_xh": rng.uniform(-bound, bound, size=(self.n_hidden, self.n_in)),
            "W_hh": rng.uniform(-bound, bound, size=(self.n_hidden, self.n_hidden)),
            "b": rng.uniform(-bound, bound, size=self.n_hidden),
        }

    @property
    def truncate(self):
        """Window k of truncated BPTT (an int >= 1), or None for full BPTT."""
        return self._truncate

    @truncate.setter
    def truncate(self, k):
        if k is not None and (isinstance(k, bool) or int(k) != k or k < 1):
            raise ValueError(f"RNN: truncate must be None (full BPTT) or a positive integer, got {k!r}.")
        self._truncate = None if k is None else int(k)

    def forward(self, X, h0=None):
        """Run the recurrence over time.  X: (N, T, n_in) -> H: (N, T, n_hidden).

        h0: the initial state (N, n_hidden), zeros if None. ``final_state`` is h_T after
        the call: pass it as the next chunk's h0 to carry the state along a long sequence.
        """
        X = as_float_array(X, self)
        _check_sequence(X, self.n_in, self)
        check_finite(X, self)
        W_xh, W_hh, b = self.params["W_xh"], self.params["W_hh"], self.params["b"]
        N, T, _ = X.shape
        H = np.empty((N, T, self.n_hidden))
        h = h0 = _initial_state(h0, N, self.n_hidden, self)   # h_0 (zeros by default)
        for t in range(T):
            z = X[:, t] @ W_xh.T + h @ W_hh.T + b         # z_t = W_xh x_t + W_hh h_{t-1} + b
            h = np.tanh(z)                               # h_t = tanh(z_t)
            H[:, t] = h
        # backward needs x_t, h_t and h_{t-1}; H_prev[:, t] is h_{t-1} (h_0 first)
        H_prev = np.concatenate([h0[:, None], H[:, :-1]], axis=1)
        self._cache = (X, H, H_prev)
        self.final_state = h.copy()
        return H

    def backward(self, dH, input_grad=True):
        """Backpropagation through time.

        dH: (N, T, n_hidden), dC/dh_t for every step (the direct part only).
        Fills grads "W_xh" (n_hidden, n_in), "W_hh" (n_hidden, n_hidden),
        "b" (n_hidden,); returns dC/dX of shape (N, T, n_in).
        """
        X, H, H_prev = self._cached()
        dH = as_float_array(dH, self, "gradient dH")
        check_shape(dH, H.shape, self, "gradient dH")
        if self.truncate is None:
            dZ = self._dZ_full(dH, H)
        else:
            dZ = self._dZ_truncated(dH, H, self.truncate)
        # The parameters are shared by all steps: sum each step's contribution over t (and n).
        W_xh = self.params["W_xh"]
        self.grads["W_xh"] = np.einsum("nth,nti->hi", dZ, X)       # dC/dW_xh = sum_t dz_t x_t^T
        self.grads["W_hh"] = np.einsum("nth,ntj->hj", dZ, H_prev)  # dC/dW_hh = sum_t dz_t h_{t-1}^T
        self.grads["b"] = dZ.sum(axis=(0, 1))                      # dC/db    = sum_t dz_t
        self.state_grad = dZ[:, 0] @ self.params["W_hh"]           # dC/dh_0  = W_hh^T dz_1
        if not input_grad:
            return None
        return dZ @ W_xh                                           # dC/dx_t  = W_xh^T dz_t

    def _dZ_full(self, dH, H):
        """Full BPTT: dZ[:, t] = dC/dz_t for every t, one sweep from t = T back to t = 1."""
        W_hh = self.params["W_hh"]
        N, T, _ = H.shape
        dZ = np.empty_like(H)
        dz_next = np.zeros((N, self.n_hidden))                # dz_{T+1} = 0: nothing after the last step
        for t in reversed(range(T)):
            dh = dH[:, t] + dz_next @ W_hh                    # dC/dh_t = dH_t + W_hh^T dz_{t+1}
            dz = dh * (1.0 - H[:, t] ** 2)                    # dz_t = dC/dh_t (.) (1 - h_t^2)
            dZ[:, t] = dz
            dz_next = dz
        return dZ

    def _dZ_truncated(self, dH, H, k):
        """Truncated BPTT with window k: the cost term at step t reaches only z_t, ..., z_{t-k+1}.

        Each step's term needs its own backward walk (one shared sweep would
        carry every term all the way back), so this costs T*k steps instead of T.
        """
        W_hh = self.params["W_hh"]
        T = H.shape[1]
        dZ = np.zeros_like(H)
        for t in range(T):                                    # the term of the cost that reads h_t
            dz = dH[:, t] * (1.0 - H[:, t] ** 2)              # its part of dz_t = dH_t (.) (1 - h_t^2)
            dZ[:, t] += dz
            for s in range(t - 1, max(t - k, -1), -1):       # s = t-1, ..., t-k+1 (and s >= 0)
                dz = (dz @ W_hh) * (1.0 - H[:, s] ** 2)       # dz_s = W_hh^T dz_{s+1} (.) (1 - h_s^2)
                dZ[:, s] += dz
        return dZ

    def __repr__(self):
        extra = "" if self.truncate is None else f", truncate={self.truncate}"
        return f"RNN({self.n_in} -> {self.n_hidden}{extra})"


class LastTimeStep(Layer):
    """Keep only the last hidden state: (N, T, n) -> (N, n), i.e. h_T.

    Derived in the chapter "Recurrent networks": the cost reads h_T alone,
    so backward puts dY at step T and zeros at every other step (dC/dh_t
    for t < T then comes only through the recurrence, inside the RNN).
    """

    def forward(self, H):
        """H: (N, T, n) -> H[:, -1]: (N, n)."""
        H = as_float_array(H, self)
        _check_sequence(H, None, self)
        check_finite(H, self)
        self._cache = H.shape
        return H[:, -1]

    def backward(self, dY, input_grad=True):
        """dY: (N, n) -> dC/dH: (N, T, n), zero except at the last step."""
        shape = self._cached()
        dY = as_float_array(dY, self, "gradient dY")
        check_shape(dY, (shape[0], shape[2]), self, "gradient dY")
        dH = np.zeros(shape)
        dH[:, -1] = dY
        return dH


def _check_sequence(X, n_features, who):
    """A sequence batch is 3-D, (N, T, n_features) with T >= 1; say how to fix the usual slips."""
    if X.ndim == 3 and X.shape[1] == 0:
        raise ShapeError(f"{who}: expected at least one time step, got input of shape {X.shape}.")
    try:
        check_shape(X, (None, None, n_features), who)
    except ShapeError as error:
        shown = "(N, T, " + ("n" if n_features is None else str(n_features)) + ")"
        hint = ""
        if X.ndim == 2:
            hint = (" A batch of sequences is 3-D (N, T, features): one sequence needs"
                    " X.reshape(1, T, -1), one step per example X.reshape(N, 1, -1).")
        raise ShapeError(f"{who}: expected input of shape {shown}, got {X.shape}.{hint}") from error


def _initial_state(h0, N, n_hidden, who):
    """h0 as a float array of shape (N, n_hidden); zeros for None."""
    if h0 is None:
        return np.zeros((N, n_hidden))
    h0 = as_float_array(h0, who, "h0")
    if h0.shape != (N, n_hidden):
        raise ShapeError(f"{who}: h0 must have shape ({N}, {n_hidden}), one state per sequence of "
                         f"the batch (e.g. the layer's final_state after the previous chunk), got {h0.shape}.")
    check_finite(h0, who, "h0")
    return h0
