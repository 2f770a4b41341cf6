"""The graph_backward explorable: bp's stepped gradients against the calculus of
f = max(x y + z, 0) y and against finite differences."""
import json

import pytest

from bpbook.explorables import graph_backward as gb


def f(x, y, z):
    return max(x * y + z, 0.0) * y


@pytest.mark.parametrize("x, y, z", [(3.0, -2.0, 8.0), (1.2, 2.6, 1.0), (3.0, 1.5, 1.0),
                                     (3.0, -2.0, -7.0)])
def test_final_gradients_match_calculus_and_finite_differences(x, y, z):
    r = gb.stepped(x, y, z, gb.LAST_STEP)
    grad = dict(zip(r["nodes"], r["grad"]))
    s = x * y + z
    on = 1.0 if s > 0 else 0.0
    # df/dy = x y relu'(s) + relu(s): the two shares of the fan-out add
    assert grad["y"] == pytest.approx(on * x * y + max(s, 0.0), rel=1e-12, abs=1e-12)
    assert grad["x"] == pytest.approx(on * y * y, rel=1e-12, abs=1e-12)
    assert grad["z"] == pytest.approx(on * y, rel=1e-12, abs=1e-12)
    eps = 1e-6
    for i, name in enumerate("xyz"):
        up, down = [x, y, z], [x, y, z]
        up[i] += eps
        down[i] -= eps
        assert grad[name] == pytest.approx((f(*up) - f(*down)) / (2 * eps), rel=1e-6, abs=1e-8)


def test_steps_reach_the_nodes_in_reverse_topological_order():
    full = gb.stepped(**gb.START, step=gb.LAST_STEP)
    final = dict(zip(full["nodes"], full["grad"]))
    previous = set()
    for step in range(gb.LAST_STEP + 1):
        r = gb.stepped(**gb.START, step=step)
        reached = {n for n, g in zip(r["nodes"], r["grad"]) if g is not None}
        assert previous <= reached
        previous = reached
        for n in reached - {"y"}:                  # complete once reached, except the fan-out
            assert dict(zip(r["nodes"], r["grad"]))[n] == final[n]
    # before the last step y holds one share only: m = 2; after it 2 + (-6) = -4
    assert dict(zip(gb.ORDER, gb.stepped(**gb.START, step=4)["grad"]))["y"] == 2.0
    assert final["y"] == -4.0
    assert gb.stepped(**gb.START, step=99)["step"] == gb.LAST_STEP


def test_values_are_the_forward_pass():
    r = gb.stepped(3.0, -2.0, 8.0, 0)
    assert r["value"] == [3.0, -2.0, 8.0, -6.0, 2.0, 2.0, -4.0]
    assert all(g is None for g in r["grad"])


def test_reference_touches_every_control_and_is_json():
    cases = gb.reference()
    assert 3 <= len(cases) <= 6
    assert {a[1] for c in cases for a in c["actions"]} == {"x", "y", "z", "next", "back", "reset"}
    json.dumps(cases)
    json.dumps(gb.page_data())
    assert "df/dy = 2 + (-6) = -4" in gb.describe()
