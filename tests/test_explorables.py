"""The explorables' framework (bpbook/explorables/__init__.py, tools/explorable_driver.py)
and the first explorable, gradient descent on one weight. Each other explorable has its
own test file, tests/test_explorables_<name>.py; the browser test compares the pages'
numbers with these references."""
import base64
import html
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from bpbook import explorables
from bpbook.explorables import gradient_descent_1d

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from explorable_driver import compare  # noqa: E402


@pytest.mark.parametrize("name", explorables.NAMES)
def test_every_explorable_is_complete(name):
    module = explorables.module(name)
    assert (explorables.HERE / f"{name}.js").is_file(), f"{name}.js is missing"
    assert "function explore(live, data, root)" in (explorables.HERE / f"{name}.js").read_text()
    assert module.TITLE and module.describe()
    json.dumps(module.page_data(), allow_nan=False)            # the page can read it
    cases = module.reference()
    assert len(cases) >= 2
    for case in cases:
        assert case["actions"] and case["result"]
        json.dumps(case, allow_nan=False)
        for kind, control, _ in case["actions"]:
            assert kind in {"fill", "press", "click", "select", "tap"}, kind
            assert f'"{control}"' in (explorables.HERE / f"{name}.js").read_text() \
                or control in json.dumps(module.page_data()), f"{name}: no control {control!r} in its page"


@pytest.mark.parametrize("name", explorables.NAMES)
def test_the_page_fragment_is_self_contained(name, monkeypatch):
    fragment = explorables.page_html(name, alt="alt text")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", fragment), "fetches from a network"
    assert "import(" not in fragment and "fetch(" not in fragment
    assert len(fragment.encode()) < 300_000
    assert 'class="bp-x-static"' in fragment and 'alt="alt text"' in fragment
    assert fragment == explorables.page_html(name, alt="alt text"), "the same bp must give the same bytes"


def test_the_site_and_jupyter_both_get_the_live_form(monkeypatch):
    shown = explorables.show("gradient_descent_1d", alt="a parabola")
    monkeypatch.delenv(explorables.SITE_BUILD, raising=False)
    data, _ = shown._repr_mimebundle_()
    assert set(data) == {"text/plain", "text/html"}
    jupyter = data["text/html"]
    # a notebook's output carries the stylesheet (the site links it), a figure with twice
    # the pixels it is shown at, and says where the live one runs
    assert jupyter.startswith("<style>") and ".bp-explorable {" in jupyter and "<script>" in jupyter
    width = int(re.search(r'<img src="data:image/png;base64,[^"]+" width="(\d+)"', jupyter).group(1))
    png = base64.b64decode(re.search(r"base64,([^\"]+)", jupyter).group(1))
    assert int.from_bytes(png[16:20], "big") in (2 * width, 2 * width + 1)
    assert html.escape(explorables.IN_JUPYTER) in jupyter
    monkeypatch.setenv(explorables.SITE_BUILD, "1")
    data, _ = shown._repr_mimebundle_()
    assert set(data) == {"text/plain", "text/html"} and "<script>" in data["text/html"]
    assert "<style>" not in data["text/html"] and "starting point of a live" not in data["text/html"]
    assert data["text/plain"] == f"{shown.module.TITLE}. {shown.module.describe()}"
    with pytest.raises(ValueError, match="no explorable named 'nope'"):
        explorables.show("nope", alt="")


def test_the_stylesheet_touches_only_the_explorables():
    """Every rule of explorable.css starts at .bp-explorable: in a notebook the stylesheet
    is on the whole page (JupyterLab's own interface included)."""
    css = re.sub(r"/\*.*?\*/", "", (explorables.HERE / "explorable.css").read_text(), flags=re.S)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css) for s in block.split(",")]
    assert len(selectors) > 20
    assert [s for s in selectors if not s.startswith(".bp-explorable")] == []


def test_compare_finds_a_difference_and_ignores_rounding_near_zero():
    bp_numbers = {"loss": [1.0, 0.5], "W": [[1.0, 0.0], [2.0, 3.0]], "label": "converges"}
    assert compare(bp_numbers, bp_numbers) == (0.0, [])
    near = {"loss": [1.0, 0.5], "W": [[1.0, 1e-17], [2.0, 3.0]], "label": "converges"}
    assert compare(near, bp_numbers)[1] == []
    off = {"loss": [1.0, 0.5 * (1 + 1e-8)], "W": [[1.0, 0.0], [2.0, 3.0]], "label": "diverges"}
    worst, problems = compare(off, bp_numbers)
    assert worst > 1e-9 and len(problems) == 2
    assert compare({"loss": [1.0]}, bp_numbers)[1], "missing numbers must be reported"


def test_gradient_descent_on_one_weight_contracts_by_one_minus_eta_c2():
    # Independent of bp's layer: C is quadratic, so w_k - w* = (1 - eta C'')^k (w_0 - w*)
    x, y = gradient_descent_1d.chapter_data()
    w_star = np.sum(x * y) / np.sum(x * x)
    for case in gradient_descent_1d.reference():
        settings = {a[1]: float(a[2]) for a in case["actions"]}
        path = np.array(case["result"]["path"])
        factor = 1 - settings["lr"] * gradient_descent_1d.curvature()
        expected = w_star + factor ** np.arange(len(path)) * (settings["w0"] - w_star)
        assert np.allclose(path, expected, rtol=1e-10, atol=1e-12)
        assert len(path) == settings["steps"] + 1
        assert np.allclose(case["result"]["loss"], [np.mean((w * x - y) ** 2) for w in path], rtol=1e-12)
