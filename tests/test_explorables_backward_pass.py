"""The backward_pass explorable: bp's reference numbers against finite differences of the
cost and against the chapter's hand-computed values."""
import json

import numpy as np
import pytest

from bpbook.explorables import backward_pass as bw


def cost(params, x, y):
    """C = (a^2 - y)^2 of the chapter's 2-3-1 network, written out in numpy."""
    z1 = params["0.W"] @ x + params["0.b"]
    a1 = 1 / (1 + np.exp(-z1))
    a2 = params["2.W"] @ a1 + params["2.b"]
    return float(((a2 - y) ** 2).sum())


def numerical_gradients(x1, x2, y, eps=1e-6):
    params = {k: np.array(v, dtype=float) for k, v in bw.WEIGHTS.items()}
    x = np.array([x1, x2])
    grads = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            keep = p[i]
            p[i] = keep + eps
            up = cost(params, x, y)
            p[i] = keep - eps
            down = cost(params, x, y)
            p[i] = keep
            g[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


@pytest.mark.parametrize("x1, x2, y", [(1.0, -2.0, 1.0), (2.5, 0.7, -0.5), (-1.3, 0.7, 1.8)])
def test_gradients_match_finite_differences(x1, x2, y):
    r = bw.backward_pass(x1, x2, y)
    numeric = numerical_gradients(x1, x2, y)
    for key, name in [("dW1", "0.W"), ("db1", "0.b"), ("dW2", "2.W"), ("db2", "2.b")]:
        np.testing.assert_allclose(np.array(r[key]).reshape(numeric[name].shape), numeric[name],
                                   rtol=1e-6, atol=1e-9, err_msg=key)


def test_deltas_follow_bp1_bp2_with_chapter_numbers():
    r = bw.backward_pass(**bw.START)
    a1, W2 = np.array(r["a1"]), np.array(bw.WEIGHTS["2.W"])
    delta2 = 2 * (r["a2"] - bw.START["y"])                       # (BP1), identity output
    np.testing.assert_allclose(r["delta2"], [delta2], rtol=1e-12)
    np.testing.assert_allclose(r["delta1"], W2[0] * delta2 * a1 * (1 - a1), rtol=1e-12)   # (BP2)
    # the chapter's printed values
    np.testing.assert_allclose(r["delta2"], [-1.4604], atol=1e-4)
    np.testing.assert_allclose(r["delta1"], [-0.2598, 0.5263, -0.1244], atol=1e-4)


def test_reference_cases_reveal_the_steps_in_order():
    cases = bw.reference()
    assert 3 <= len(cases) <= 6
    controls = {action[1] for case in cases for action in case["actions"]}
    assert controls == {"x1", "x2", "y", "next", "back", "reset"}
    for case in cases:
        result = case["result"]
        step = result["step"]
        assert (result["delta2"] is None) == (step < 1)
        assert (result["dW2"] is None) == (step < 2)
        known = [] if result["delta1"] is None else [d is not None for d in result["delta1"]]
        assert sum(known) == max(0, min(3, step - 2))
        assert (result["dW1"] is None) == (step < 6)


def test_backward_pass_page_data_is_json_and_describe_runs():
    json.dumps(bw.page_data())
    json.dumps(bw.reference())
    text = bw.describe()
    assert "delta^2 = 2(a^2 - y) = -1.460" in text
