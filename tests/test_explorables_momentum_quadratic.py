"""The explorable momentum_quadratic: bp's reference numbers against the chapter's
formulas (the valley's Hessian, the eigendirection recurrence eq-momentum-matrix), and
its page data and text."""
import json

import numpy as np
import pytest

import bp
from bpbook.explorables import momentum_quadratic as mq

CASES = mq.reference()


def setting(case):
    """(problem, lr, momentum, steps) that a case's actions choose."""
    values = {name: value for _, name, value in case["actions"]}
    if "optimum" in values:                       # the button: momentum's optimum
        best = mq.optimum(mq.problems()[values["problem"]])
        return values["problem"], best["lr"], best["momentum"], int(values["steps"])
    return (values["problem"], mq.learning_rates()[int(values["lr"])],
            mq.momenta()[int(values["momentum"])], int(values["steps"]))


def test_momentum_page_data_is_json_and_describe_runs():
    text = json.dumps(mq.page_data(), allow_nan=False)
    assert len(text) < 20_000
    words = mq.describe()
    assert "0.909" in words and words.startswith("On the valley")
    assert mq.START["lr"] in mq.learning_rates()
    assert all(rate in mq.learning_rates() for rate in mq.CHAPTER_RATES)


def test_the_sliders_reach_momentums_optimum_and_the_text_gives_its_factor():
    """The chapter's mu* = 0.412 and eta* = 0.128 (eq-momentum-optimal) are on the sliders,
    and at them both directions of the valley shrink by sqrt(mu*) = 0.642 per step."""
    lams = mq.quadratic(mq.problems()["valley"])["lambdas"]
    best = mq.optimum(mq.problems()["valley"])
    assert best["lr"] in mq.learning_rates() and best["momentum"] in mq.momenta()
    assert f"{best['momentum']:.3f}" == "0.412" and f"{best['lr']:.3g}" == "0.128"
    factors = [mq.rate_per_step(best["lr"], best["momentum"], lam) for lam in lams]
    # a double root at both ends: eta* rounded to 12 decimals moves it by about 1e-6
    assert factors == pytest.approx([np.sqrt(best["momentum"])] * 2, rel=1e-5)
    words = mq.describe()
    assert f"{factors[0]:.3f}" == f"{factors[1]:.3f}" and f"both shrink by {factors[0]:.3f} per step" in words
    assert "(eq-" not in words                    # no raw equation label in the caption
    # the rounded 0.41 and 0.128 are not the optimum: the flat direction is slower there
    assert mq.rate_per_step(0.128, 0.41, lams[0]) > factors[0] + 0.005


def test_the_valley_is_the_chapters_quadratic():
    """The mean squared error of the four points with target 0 is theta^T H theta / 2."""
    rng = np.random.default_rng(0)
    layer = bp.Dense(2, 1, init="zeros")
    X = mq.problems()["valley"]["X"]
    for theta in rng.normal(size=(5, 2)):
        layer.params["W"][0] = theta
        value = bp.MSELoss().value(layer.forward(X), np.zeros((len(X), 1)))
        assert value == pytest.approx(theta @ np.array([[5.0, 8.0], [8.0, 17.0]]) @ theta / 2,
                                      rel=1e-14)


@pytest.mark.parametrize("index", range(len(CASES)))
def test_reference_follows_the_momentum_matrix(index):
    """theta_t - theta* = sum_i c_i(t) q_i with (c_i, d_i) <- M_i (c_i, d_i) from d_i = 0
    (eq-momentum-matrix), and the loss is C_min + (1/2) sum_i lambda_i c_i^2."""
    problem, lr, mu, steps = setting(CASES[index])
    result = CASES[index]["result"]
    q = mq.quadratic(mq.problems()[problem])
    theta = np.array(result["theta"])
    c = q["Q"].T @ (theta[0] - q["minimum"])
    d = np.zeros(2)
    offsets, losses = [], []
    for _ in range(len(theta)):
        offsets.append(q["Q"] @ c)
        losses.append(q["cmin"] + 0.5 * np.sum(q["lambdas"] * c**2))
        c, d = c - lr * (mu * d + q["lambdas"] * c), mu * d + q["lambdas"] * c
    offsets = np.array(offsets)
    assert bp.relative_error(theta - q["minimum"], offsets) < 1e-9
    assert bp.relative_error(np.array(result["loss"]), np.array(losses)) < 1e-9


def test_divergence_stops_at_the_first_overflow():
    problem, lr, mu, steps = setting(CASES[3])
    loss = CASES[3]["result"]["loss"]
    assert (problem, lr, mu) == ("valley", 2.0, 0.0) and len(loss) < steps + 1
    assert np.all(np.isfinite(loss))
    growth = (1 - lr * 21) ** 2                      # the steep direction's factor, squared
    assert loss[-1] * growth > np.finfo(float).max   # one step more would overflow


def test_the_chapters_claims():
    # standardised, eta = 1/lambda = 0.5: one step to the minimum
    loss = CASES[5]["result"]["loss"]
    cmin = mq.quadratic(mq.problems()["standardised"])["cmin"]
    assert loss[1] == pytest.approx(cmin, rel=1e-12)
    # the valley at the best plain rate and at momentum's (eq-momentum-optimal)
    plain, heavy = (np.array(CASES[i]["result"]["theta"]) for i in (0, 1))
    assert np.linalg.norm(plain[40]) / np.linalg.norm(plain[0]) == pytest.approx(0.909**40, rel=0.01)
    assert np.linalg.norm(heavy[40]) < 1e-4 * np.linalg.norm(plain[40])
