"""The explorable rnn_gradient_norm: bp's reference numbers against independent ones
(finite differences of the loss, the chapter's product of Jacobians), and its page data."""
import json

import numpy as np
import pytest

from bpbook.explorables import rnn_gradient_norm as x


def loss_from(h, t, radius, T, scale, activation):
    """The loss C = mean((h_T - y)^2) when the state at 0-based step t is set to h: a plain
    numpy forward pass over the steps after t (W_xh = I, b = 0), independent of bp."""
    _, _, X, y = x.chapter_data()
    W_hh = x.recurrent_weights(radius)
    act = np.tanh if activation == "tanh" else (lambda z: z)
    for s in range(t + 1, T):
        h = act(scale * X[s] + W_hh @ h)
    return np.mean((h - y) ** 2)


def states(radius, T, scale, activation):
    _, _, X, _ = x.chapter_data()
    W_hh = x.recurrent_weights(radius)
    act = np.tanh if activation == "tanh" else (lambda z: z)
    h, H = np.zeros(x.N_UNITS), []
    for s in range(T):
        h = act(scale * X[s] + W_hh @ h)
        H.append(h)
    return np.array(H)


@pytest.mark.parametrize("activation, radius, T, scale",
                         [("tanh", 1.5, 9, 1.0), ("tanh", 0.7, 7, 2.0), ("linear", 1.2, 8, 1.0)])
def test_gradient_norms_match_finite_differences(activation, radius, T, scale):
    run = x.gradient_through_time(radius, T, scale, activation)
    H = states(radius, T, scale, activation)
    assert np.isclose(run["loss"], loss_from(H[-1], T - 1, radius, T, scale, activation), rtol=1e-12)
    eps = 1e-6
    for t in range(T):
        grad = np.zeros(x.N_UNITS)
        for i in range(x.N_UNITS):
            up, down = H[t].copy(), H[t].copy()
            up[i] += eps
            down[i] -= eps
            grad[i] = (loss_from(up, t, radius, T, scale, activation)
                       - loss_from(down, t, radius, T, scale, activation)) / (2 * eps)
        assert abs(run["h_norm_grad"][t] / np.linalg.norm(grad) - 1) < 1e-6, t
    assert run["ratio"] == run["h_norm_grad"][0] / run["h_norm_grad"][-1]


def test_dW_hh_matches_finite_differences():
    radius, T, scale = 1.3, 6, 1.0
    W0, rho0, X, y = x.chapter_data()
    for activation in ("tanh", "linear"):
        run = x.gradient_through_time(radius, T, scale, activation)
        act = np.tanh if activation == "tanh" else (lambda z: z)

        def loss(W_hh):
            h = np.zeros(x.N_UNITS)
            for s in range(T):
                h = act(scale * X[s] + W_hh @ h)
            return np.mean((h - y) ** 2)

        W = x.recurrent_weights(radius)
        eps = 1e-6
        for i, j in [(0, 0), (3, 17), (31, 5), (12, 12)]:
            up, down = W.copy(), W.copy()
            up[i, j] += eps
            down[i, j] -= eps
            numeric = (loss(up) - loss(down)) / (2 * eps)
            assert abs(run["dW_hh"][i][j] - numeric) < 1e-7 * max(1.0, abs(numeric)), (activation, i, j)


def test_linear_regime_is_the_chapters_matrix_power():
    # eq-jacobian-product with every 1 - h_s^2 = 1: dC/dh_t = (W_hh^T)^(T-t) g_T
    radius, T = 0.8, 20
    _, _, _, y = x.chapter_data()
    W = x.recurrent_weights(radius)
    H = states(radius, T, 1.0, "linear")
    g = 2 * (H[-1] - y) / x.N_UNITS
    expected = [np.linalg.norm(np.linalg.matrix_power(W.T, T - 1 - t) @ g) for t in range(T)]
    run = x.gradient_through_time(radius, T, 1.0, "linear")
    assert np.allclose(run["h_norm_grad"], expected, rtol=1e-10)
    # with no input the tanh RNN stays at h = 0, where tanh is linear: the same numbers
    still = x.gradient_through_time(radius, T, 0.0, "tanh")
    plain = x.gradient_through_time(radius, T, 0.0, "linear")
    assert np.allclose(still["h_norm_grad"], plain["h_norm_grad"], rtol=1e-12)


def test_spectral_radius_and_regimes():
    W0, rho0, _, _ = x.chapter_data()
    assert np.isclose(np.max(np.abs(np.linalg.eigvals(x.recurrent_weights(1.7)))), 1.7)
    assert abs(rho0 - 1) < 1e-3                     # the chapter's W_random, rounded
    assert x.gradient_through_time(**x.START)["ratio"] < 1e-2            # tanh saturation: vanishes
    assert x.gradient_through_time(1.5, 40, 1.0, "linear")["ratio"] > 1e2   # linear: explodes
    assert x.gradient_through_time(3.0, 40, 1.0, "tanh")["ratio"] > 1e2


def test_page_data_describe_and_cases():
    data = json.loads(json.dumps(x.page_data()))
    assert len(data["W0"]) == x.N_UNITS and len(data["X"]) == x.T_MAX
    text = x.describe()
    assert "vanishes" in text and "1.50" in text
    cases = x.reference()
    assert 3 <= len(cases) <= 6
    touched = {action[1] for case in cases for action in case["actions"]}
    assert touched == {"radius", "T", "scale", "activation"}
    assert {case["actions"][0][2] for case in cases} == {"tanh", "linear"}
    for case in cases:
        json.dumps(case)
        T = int(case["actions"][2][2])
        assert len(case["result"]["h_norm_grad"]) == T
        assert np.all(np.isfinite(case["result"]["h_norm_grad"]))
