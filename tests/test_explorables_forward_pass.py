"""The forward_pass explorable: bp's reference numbers agree with the chapter's own
unit-by-unit formula (eq-neuron), the page data is JSON, and the words run."""
import json

import numpy as np

from bpbook.explorables import forward_pass


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def by_hand(x, W1, b1, W2, b2):
    """Equation (eq-neuron), one unit at a time, written independently of bp."""
    z1 = [sum(W1[j][k] * x[k] for k in range(2)) + b1[j] for j in range(3)]
    a1 = [sigmoid(z) for z in z1]
    z2 = [sum(W2[0][k] * a1[k] for k in range(3)) + b2[0]]
    return {"z1": z1, "a1": a1, "z2": z2, "a2": z2}


def chapter_params():
    return {"W1": [row[:] for row in forward_pass.W1], "b1": list(forward_pass.B1),
            "W2": [row[:] for row in forward_pass.W2], "b2": list(forward_pass.B2)}


def test_reference_matches_the_chapter_formula():
    """Replay the cases' actions on a plain model of the page's state (the cases run one
    after another on one page, so settings carry over), and compute by hand."""
    x, params, picked = list(forward_pass.X), chapter_params(), forward_pass.START_WEIGHT
    for case in forward_pass.reference():
        for kind, name, value in case["actions"]:
            if kind == "click" and name == "reset":
                x, params = list(forward_pass.X), chapter_params()
            elif kind == "fill" and name in ("x1", "x2"):
                x[int(name[1]) - 1] = float(value)
            elif kind == "select":
                picked = value
            elif kind == "fill" and name == "value":
                array, *index = picked.split(".")
                if len(index) == 2:
                    params[array][int(index[0])][int(index[1])] = float(value)
                else:
                    params[array][int(index[0])] = float(value)
        expected = by_hand(x, params["W1"], params["b1"], params["W2"], params["b2"])
        for key, values in expected.items():
            np.testing.assert_allclose(case["result"][key], values, rtol=1e-12, atol=1e-15)


def test_the_chapter_numbers():
    result = forward_pass.forward()
    assert abs(result["z1"][0] - 1.2) < 1e-12                # the chapter's hand computation
    assert abs(result["a1"][0] - 0.7685) < 1e-4


def test_forward_pass_page_data_and_words():
    data = json.loads(json.dumps(forward_pass.page_data()))
    assert data["W1"] == forward_pass.W1 and len(data["names"]) == 13
    assert "0.270" in forward_pass.describe()
    assert {case["actions"][0][1] for case in forward_pass.reference()} >= {"x1", "weight", "reset"}
