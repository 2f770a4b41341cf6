"""RNN and LastTimeStep: the forward recurrence, full and truncated BPTT, clear errors.

Gradient checks follow CONTRIBUTING.md: float64, all sizes distinct
(N=4, T=6, n_in=3, n_hidden=5), random non-zero parameters, every parameter tensor
and the input checked, full BPTT against finite differences. The planted-bug tests
show that each check is able to fail.

A single layer is checked through the scalar C = sum(R * layer.forward(X))
with a fixed random R: then dC/d(output) = R, so backward(R) must give
dC/dX and fill dC/d(every parameter) (bp.gradcheck_layer).
"""
import numpy as np
import pytest

import bp
from bp.convolution import MaxPool2D
from bp.recurrent import RNN, LastTimeStep
from helpers import show

N, T, N_IN, N_HIDDEN = 4, 6, 3, 5


def rnn_and_batch(seed=0, truncate=None):
    rng = np.random.default_rng(seed)
    rnn = RNN(N_IN, N_HIDDEN, rng=rng, truncate=truncate)
    # larger than the default init, so that tanh is well away from linear and W_hh matters
    for value in rnn.params.values():
        value[:] = rng.normal(0.0, 0.6, value.shape)
    X = rng.normal(size=(N, T, N_IN))
    return rnn, X, rng


# --- RNN: forward and full BPTT -------------------------------------------------------------


def test_rnn_forward_matches_the_per_example_column_vector_recurrence():
    rnn, X, _ = rnn_and_batch()
    H = rnn.forward(X)
    W_xh, W_hh, b = (rnn.params[k] for k in ("W_xh", "W_hh", "b"))
    for n in range(N):
        h = np.zeros((N_HIDDEN, 1))                        # h_0 = 0
        for t in range(T):
            x = X[n, t].reshape(-1, 1)
            h = np.tanh(W_xh @ x + W_hh @ h + b.reshape(-1, 1))
            np.testing.assert_allclose(H[n, t], h.ravel(), rtol=1e-13, atol=1e-15)


def test_rnn_full_bptt_matches_finite_differences():
    rnn, X, rng = rnn_and_batch(seed=1)
    report = show("RNN full BPTT", bp.gradcheck_layer(rnn, X, rng))
    assert set(report.errors) == {"W_xh", "W_hh", "b", "input"}
    report.assert_ok(1e-6)


def test_rnn_gradient_shapes_and_torch_like_init():
    rng = np.random.default_rng(2)
    rnn = RNN(N_IN, N_HIDDEN, rng=rng)
    assert {k: v.shape for k, v in rnn.params.items()} == {
        "W_xh": (N_HIDDEN, N_IN), "W_hh": (N_HIDDEN, N_HIDDEN), "b": (N_HIDDEN,)}
    bound = 1 / np.sqrt(N_HIDDEN)
    assert all(np.abs(v).max() <= bound and np.abs(v).min() > 0 for v in rnn.params.values())
    rnn.forward(rng.normal(size=(N, T, N_IN)))
    dX = rnn.backward(rng.normal(size=(N, T, N_HIDDEN)))
    assert dX.shape == (N, T, N_IN)
    assert {k: v.shape for k, v in rnn.grads.items()} == {k: v.shape for k, v in rnn.params.items()}
    # the same seed gives the same parameters
    again = RNN(N_IN, N_HIDDEN, rng=np.random.default_rng(2))
    for key in rnn.params:
        np.testing.assert_array_equal(again.params[key], rnn.params[key])


def test_rnn_last_step_dense_cross_entropy_network_passes_gradcheck():
    rng = np.random.default_rng(3)
    net = bp.Sequential([RNN(N_IN, N_HIDDEN, rng=rng), LastTimeStep(), bp.Dense(N_HIDDEN, 2, rng=rng)])
    for _, param, _ in net.parameters():
        param[:] = rng.normal(0.0, 0.6, param.shape)
    X, y = rng.normal(size=(N, T, N_IN)), rng.integers(0, 2, N)
    report = show("RNN + LastTimeStep + Dense + CE", bp.gradcheck(net, bp.CrossEntropyLoss(), X, y))
    assert set(report.errors) == {"0.W_xh", "0.W_hh", "0.b", "2.W", "2.b", "input"}
    report.assert_ok(1e-6)


# --- RNN: truncated BPTT ------------------------------------------------------------------------


def rnn_gradients(rnn, X, dH):
    rnn.forward(X)
    dX = rnn.backward(dH)
    return {**{k: v.copy() for k, v in rnn.grads.items()}, "input": dX}


@pytest.mark.parametrize("k", [T, T + 3])
def test_truncation_window_at_least_T_is_exactly_full_bptt(k):
    rnn, X, rng = rnn_and_batch(seed=4)
    dH = rng.normal(size=(N, T, N_HIDDEN))
    full = rnn_gradients(rnn, X, dH)
    rnn.truncate = k
    truncated = rnn_gradients(rnn, X, dH)
    for key in full:
        np.testing.assert_allclose(truncated[key], full[key], rtol=1e-12, atol=1e-14)


def truncated_reference_cost(rnn, X, R, k, frozen_H):
    """sum_t R_t . h_t where h_t is recomputed from h_{t-k}, which is held fixed at frozen_H.

    Holding h_{t-k} constant is what cuts the path: the term at step t can then
    depend on the parameters and inputs only through steps t-k+1..t.
    """
    W_xh, W_hh, b = (rnn.params[key] for key in ("W_xh", "W_hh", "b"))
    total = 0.0
    for t in range(T):
        first = max(t - k + 1, 0)
        h = frozen_H[:, first - 1] if first > 0 else np.zeros((N, N_HIDDEN))
        for s in range(first, t + 1):
            h = np.tanh(X[:, s] @ W_xh.T + h @ W_hh.T + b)
        total += float(np.sum(R[:, t] * h))
    return total


@pytest.mark.parametrize("k", [1, 2, 4])
def test_truncated_bptt_matches_finite_differences_of_an_explicitly_truncated_cost(k):
    rnn, X, rng = rnn_and_batch(seed=5, truncate=k)
    R = rng.normal(size=(N, T, N_HIDDEN))
    got = rnn_gradients(rnn, X, R)
    frozen_H = rnn.forward(X).copy()  # the cut-off states, at the unperturbed point

    def cost():
        return truncated_reference_cost(rnn, X, R, k, frozen_H)

    errors = {key: bp.relative_error(got[key], bp.numerical_gradient(cost, rnn.params[key]))
              for key in rnn.params}
    errors["input"] = bp.relative_error(got["input"], bp.numerical_gradient(cost, X))
    show(f"RNN truncated BPTT k={k} vs truncated reference", bp.GradcheckReport(errors)).assert_ok(1e-6)

    rnn.truncate = None  # and it really is different from the full gradient
    full = rnn_gradients(rnn, X, R)
    assert not np.allclose(got["W_hh"], full["W_hh"], rtol=1e-3)
    assert not np.allclose(got["input"], full["input"], rtol=1e-3)


def test_truncation_window_1_is_the_one_step_formula():
    rnn, X, rng = rnn_and_batch(seed=6, truncate=1)
    dH = rng.normal(size=(N, T, N_HIDDEN))
    got = rnn_gradients(rnn, X, dH)
    H = rnn.forward(X)
    H_prev = np.concatenate([np.zeros((N, 1, N_HIDDEN)), H[:, :-1]], axis=1)
    dZ = dH * (1 - H ** 2)            # dz_t = dH_t (.) (1 - h_t^2): nothing from step t+1
    expected = {
        "W_xh": sum(dZ[:, t].T @ X[:, t] for t in range(T)),
        "W_hh": sum(dZ[:, t].T @ H_prev[:, t] for t in range(T)),
        "b": dZ.sum(axis=(0, 1)),
        "input": dZ @ rnn.params["W_xh"],
    }
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-12, atol=1e-14)


# --- planted bugs: the checks above must be able to fail ------------------------------------------


class RNNWithoutTanhDerivative(RNN):
    """dz_t = dC/dh_t, forgetting the factor (1 - h_t^2)."""

    def _dZ_full(self, dH, H):
        dZ, dz_next = np.empty_like(H), np.zeros((H.shape[0], self.n_hidden))
        for t in reversed(range(H.shape[1])):
            dZ[:, t] = dz_next = dH[:, t] + dz_next @ self.params["W_hh"]
        return dZ


class RNNWithoutRecurrence(RNN):
    """Treats h_{t-1} as a constant: each step's gradient stops at that step (truncation k=1)."""

    def backward(self, dH):
        self.truncate = 1
        return super().backward(dH)


@pytest.mark.parametrize("planted", [RNNWithoutTanhDerivative, RNNWithoutRecurrence])
def test_rnn_gradcheck_catches_a_planted_mistake(planted):
    rng = np.random.default_rng(1)
    rnn = planted(N_IN, N_HIDDEN, rng=rng)
    for value in rnn.params.values():
        value[:] = rng.normal(0.0, 0.6, value.shape)
    report = bp.gradcheck_layer(rnn, rng.normal(size=(N, T, N_IN)), rng)
    assert report.worst > 1e-3


# --- clear errors -----------------------------------------------------------------------------------


def test_recurrent_layer_construction_errors_and_reprs(rng):
    with pytest.raises(TypeError, match="default_rng"):
        RNN(3, 5)
    with pytest.raises(TypeError, match="default_rng"):
        bp.LSTM(3, 5)
    with pytest.raises(ValueError, match="truncate must be None"):
        RNN(3, 5, rng=np.random.default_rng(0), truncate=0)
    assert repr(RNN(3, 5, rng=rng)) == "RNN(3 -> 5)"
    assert repr(RNN(3, 5, rng=rng, truncate=2)) == "RNN(3 -> 5, truncate=2)"
    assert repr(LastTimeStep()) == "LastTimeStep()"


def test_pooling_and_recurrent_shape_errors():
    rnn = RNN(N_IN, N_HIDDEN, rng=np.random.default_rng(0))
    with pytest.raises(bp.ShapeError, match=r"RNN\(3 -> 5\): expected input of shape \(N, T, 3\), "
                                            r"got \(4, 3\)\. A batch of sequences is 3-D"):
        rnn.forward(np.ones((4, 3)))
    with pytest.raises(bp.ShapeError, match=r"expected input of shape \(N, T, 3\), got \(4, 6, 2\)"):
        rnn.forward(np.ones((4, 6, 2)))
    rnn.forward(np.ones((4, 6, 3)))
    with pytest.raises(bp.ShapeError, match=r"gradient dH of shape \(4, 6, 5\), got \(4, 5\)"):
        rnn.backward(np.ones((4, 5)))
    with pytest.raises(bp.ShapeError, match=r"MaxPool2D.*expected input of shape \(N, C, H, W\), got \(4, 6\)"):
        MaxPool2D(2).forward(np.ones((4, 6)))
    with pytest.raises(bp.ShapeError, match=r"smaller than the 2x3 kernel"):
        MaxPool2D((2, 3)).forward(np.ones((1, 1, 4, 2)))
    with pytest.raises(bp.ShapeError, match=r"LastTimeStep\(\): expected input of shape \(N, T, n\)"):
        LastTimeStep().forward(np.ones((4, 5)))


# --- initial and final states: carrying the memory across chunks -----------------------------


def state_gradcheck(layer, X, state, rng, eps=1e-6):
    """Relative error of the layer's state_grad against finite differences of
    C = sum(R * layer.forward(X, state)), one entry per array of the state."""
    R = rng.normal(size=(X.shape[0], X.shape[1], layer.n_hidden))
    arrays = list(state) if isinstance(state, tuple) else [state]

    def cost():
        given = tuple(arrays) if isinstance(state, tuple) else arrays[0]
        return float(np.sum(R * layer.forward(X, given)))

    cost()
    layer.backward(R)
    analytic = layer.state_grad if isinstance(state, tuple) else (layer.state_grad,)
    return [bp.relative_error(a, bp.numerical_gradient(cost, array, eps))
            for a, array in zip(analytic, arrays)]


def test_rnn_carries_its_state_across_chunks_as_one_long_sequence_does():
    rnn, X, rng = rnn_and_batch(seed=3)
    whole = rnn.forward(X)
    first = rnn.forward(X[:, :4])
    second = rnn.forward(X[:, 4:], h0=rnn.final_state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(rnn.final_state, whole[:, -1])


def test_rnn_gradient_of_its_initial_state_matches_finite_differences():
    rnn, X, rng = rnn_and_batch(seed=4)
    h0 = rng.normal(0.0, 0.5, size=(N, N_HIDDEN))
    [error] = state_gradcheck(rnn, X, h0, rng)
    assert error < 1e-6, error
    report = bp.gradcheck_layer(rnn, X, rng)       # the weights' gradients still check out
    report.assert_ok(1e-6)


def test_an_initial_state_of_the_wrong_shape_is_refused_by_name():
    rnn, X, _ = rnn_and_batch()
    with pytest.raises(bp.ShapeError, match=r"RNN\(3 -> 5\): h0 must have shape \(4, 5\).*got \(5,\)"):
        rnn.forward(X, h0=np.zeros(N_HIDDEN))
    lstm = bp.LSTM(N_IN, N_HIDDEN, rng=0)
    with pytest.raises(bp.ShapeError, match=r"state must be a pair \(h0, c0\)"):
        lstm.forward(X, state=np.zeros((N, N_HIDDEN)))
    with pytest.raises(bp.ShapeError, match=r"c0 must have shape \(4, 5\)"):
        lstm.forward(X, state=(np.zeros((N, N_HIDDEN)), np.zeros((1, N_HIDDEN))))


# --- LSTM -----------------------------------------------------------------------------------


def lstm_and_batch(seed=0, lstm_class=bp.LSTM):
    rng = np.random.default_rng(seed)
    lstm = lstm_class(N_IN, N_HIDDEN, rng=rng)
    # larger than the default init, so every gate is well away from 0.5 and matters
    for value in lstm.params.values():
        value[:] = rng.normal(0.0, 0.6, value.shape)
    X = rng.normal(size=(N, T, N_IN))
    state = (rng.normal(0.0, 0.5, size=(N, N_HIDDEN)), rng.normal(0.0, 0.5, size=(N, N_HIDDEN)))
    return lstm, X, state, rng


def test_lstm_passes_gradcheck_for_every_parameter_the_input_and_the_initial_state():
    lstm, X, state, rng = lstm_and_batch(seed=1)
    report = show("LSTM", bp.gradcheck_layer(lstm, X, rng))
    assert set(report.errors) == {"W_ih", "W_hh", "b", "input"}
    report.assert_ok(1e-6)
    errors = state_gradcheck(lstm, X, state, rng)
    assert max(errors) < 1e-6, errors


def test_lstm_shapes_init_and_chunks():
    lstm = bp.LSTM(N_IN, N_HIDDEN, rng=2)
    assert {k: v.shape for k, v in lstm.params.items()} == {
        "W_ih": (4 * N_HIDDEN, N_IN), "W_hh": (4 * N_HIDDEN, N_HIDDEN), "b": (4 * N_HIDDEN,)}
    bound = 1 / np.sqrt(N_HIDDEN)
    assert all(np.all(np.abs(v) <= bound) for v in lstm.params.values())
    X = np.random.default_rng(0).normal(size=(N, T, N_IN))
    whole = lstm.forward(X)
    assert whole.shape == (N, T, N_HIDDEN) and repr(lstm) == "LSTM(3 -> 5)"
    first = lstm.forward(X[:, :2])
    second = lstm.forward(X[:, 2:], state=lstm.final_state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, rtol=0, atol=1e-15)


def test_lstm_equals_torch_nn_lstm_in_outputs_final_state_and_every_gradient():
    torch = pytest.importorskip("torch")
    lstm, X, (h0, c0), rng = lstm_and_batch(seed=5)
    twin = torch.nn.LSTM(N_IN, N_HIDDEN, batch_first=True).double()
    with torch.no_grad():
        twin.weight_ih_l0.copy_(torch.from_numpy(lstm.params["W_ih"]))
        twin.weight_hh_l0.copy_(torch.from_numpy(lstm.params["W_hh"]))
        twin.bias_ih_l0.copy_(torch.from_numpy(lstm.params["b"]))
        twin.bias_hh_l0.zero_()                  # bp's b is torch's b_ih + b_hh
    R = rng.normal(size=(N, T, N_HIDDEN))
    H = lstm.forward(X, state=(h0, c0))
    dX = lstm.backward(R)
    tX, th0, tc0 = (torch.tensor(a, requires_grad=True) for a in (X, h0[None], c0[None]))
    tH, (thT, tcT) = twin(tX, (th0, tc0))
    (tH * torch.from_numpy(R)).sum().backward()
    pairs = {"output": (H, tH), "h_T": (lstm.final_state[0], thT[0]), "c_T": (lstm.final_state[1], tcT[0]),
             "dX": (dX, tX.grad), "dh0": (lstm.state_grad[0], th0.grad[0]), "dc0": (lstm.state_grad[1], tc0.grad[0]),
             "W_ih": (lstm.grads["W_ih"], twin.weight_ih_l0.grad), "W_hh": (lstm.grads["W_hh"], twin.weight_hh_l0.grad),
             "b": (lstm.grads["b"], twin.bias_ih_l0.grad)}
    differences = {name: float(np.max(np.abs(ours - theirs.detach().numpy()))) for name, (ours, theirs) in pairs.items()}
    print("LSTM against torch.nn.LSTM, largest difference:", max(differences.values()), differences)
    assert max(differences.values()) <= 1e-10, differences


class LSTMWithoutCellPath(bp.LSTM):
    """Forgets that c_{t-1} reaches c_t through the forget gate: dc_{t -> t-1} = 0."""

    def backward(self, dH, input_grad=True):
        forget = self.params["W_hh"]                 # the mistake is planted in the loop below
        X, hs, cs, gates = self._cached()
        N, T, _ = X.shape
        H = self.n_hidden
        dA = np.empty((N, T, 4 * H))
        dh_next = np.zeros((N, H))
        for t in reversed(range(T)):
            i, f, g, o = (gates[:, t, k * H:(k + 1) * H] for k in range(4))
            tanh_c = np.tanh(cs[:, t + 1])
            dh = dH[:, t] + dh_next
            dc = dh * o * (1.0 - tanh_c ** 2)        # the planted mistake: no dc from step t+1
            dA[:, t] = np.concatenate([dc * g * i * (1 - i), dc * cs[:, t] * f * (1 - f),
                                       dc * i * (1 - g ** 2), dh * tanh_c * o * (1 - o)], axis=1)
            dh_next = dA[:, t] @ forget
        self.grads["W_ih"] = np.einsum("nta,nti->ai", dA, X)
        self.grads["W_hh"] = np.einsum("nta,ntj->aj", dA, hs[:, :-1])
        self.grads["b"] = dA.sum(axis=(0, 1))
        return dA @ self.params["W_ih"]


class LSTMWithSwappedGates(bp.LSTM):
    """Reads the gates in the order (i, g, f, o) in backward, as a slip in the slicing would."""

    def _cached(self):
        X, hs, cs, gates = super()._cached()
        H = self.n_hidden
        swapped = np.concatenate([gates[..., :H], gates[..., 2 * H:3 * H], gates[..., H:2 * H],
                                  gates[..., 3 * H:]], axis=-1)
        return X, hs, cs, swapped


@pytest.mark.parametrize("planted", [LSTMWithoutCellPath, LSTMWithSwappedGates])
def test_lstm_gradcheck_catches_a_planted_mistake(planted):
    lstm, X, _, rng = lstm_and_batch(seed=1, lstm_class=planted)
    report = bp.gradcheck_layer(lstm, X, rng)
    assert report.worst > 1e-3, report
