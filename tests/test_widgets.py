"""The learning-rate explorer, driven without a browser: a change of a setting retrains
with bp and sends the new run's numbers to the view; the static page holds bp's runs."""
import html
import json
import re

import pytest
import traitlets

import bpbook.widgets
from bpbook.widgets import (RUN_THE_CELLS, SITE_BUILD, CurveFitting, LearningRateExplorer, log_grid,
                            static_explorer_html)


@pytest.fixture(scope="module")
def explorer():
    return LearningRateExplorer(problem=CurveFitting(n_points=30, hidden=8), lr=0.1, epochs=60)


def test_moving_the_learning_rate_retrains_and_sends_numbers(explorer):
    explorer.lr = 0.1
    before = explorer.run
    explorer.lr = 0.02
    assert explorer.run["lr"] == pytest.approx(0.02)
    assert explorer.run["loss"] != before["loss"]
    assert "0.02" in explorer.run["message"]
    # what the view draws is what bp computes
    again = explorer.problem.train(0.02, 60, explorer.seed)
    assert explorer.run["loss"] == [float(v) for v in again.loss]
    assert explorer.run["prediction"] == [float(v) for v in again.prediction]


def test_same_settings_retrain_from_the_same_initial_weights(explorer):
    explorer.lr = 0.05
    first = explorer.run["loss"]
    explorer.lr = 0.2
    explorer.lr = 0.05
    assert explorer.run["loss"] == first


def test_epochs_and_seed_also_retrain(explorer):
    explorer.lr, explorer.epochs, explorer.seed = 0.1, 60, 0
    loss_seed0 = explorer.run["loss"]
    explorer.seed = 1
    assert explorer.run["loss"][0] != loss_seed0[0]         # other initial weights
    explorer.epochs = 30
    assert len(explorer.run["loss"]) == 30


def test_divergence_is_sent_plainly(explorer):
    explorer.epochs = 200
    explorer.lr = 8.0
    run = explorer.run
    assert run["diverged_at"] is not None and 1 <= run["diverged_at"] <= 200
    assert f"Diverged at epoch {run['diverged_at']}" in run["message"]
    assert run["prediction"] is None and len(run["loss"]) == run["diverged_at"] - 1
    json.dumps(run, allow_nan=False)                          # every number is valid JSON


def test_settings_out_of_range_are_refused_clearly(explorer):
    with pytest.raises(traitlets.TraitError, match="learning rate must be between 0.001 and 10"):
        explorer.lr = 0.0
    with pytest.raises(traitlets.TraitError, match="epochs must be between 1 and 10000"):
        explorer.epochs = 0


def test_in_jupyter_the_html_form_says_to_run_the_cells(monkeypatch, explorer):
    monkeypatch.delenv(SITE_BUILD, raising=False)
    data, _ = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert html.escape(RUN_THE_CELLS) in data["text/html"] and "<script" not in data["text/html"]


def test_the_site_build_puts_the_static_explorer_in_the_html_form(monkeypatch):
    monkeypatch.setenv(SITE_BUILD, "1")
    small = LearningRateExplorer(problem=CurveFitting(n_points=12, hidden=4), epochs=20,
                                 lr_range=(1e-2, 1.0))
    data, _ = small._repr_mimebundle_()
    assert 'class="bp-lr-slider"' in data["text/html"]


def static_data(page):
    """The numbers a static explorer holds: those it draws first, and the runs of the longer
    trainings that it keeps apart, to be loaded when first needed (data-bp-lazy)."""
    data = json.loads(re.search(r"const data = (\{.*\});\n", page).group(1).replace("<\\/", "</"))
    lazy = re.search(r'<script type="application/json" data-bp-lazy="[\w-]+">(.*?)</script>', page, re.S)
    data["runs"] += json.loads(lazy.group(1).replace("<\\/", "</"))
    return data


def test_static_explorer_holds_bps_runs_and_nothing_from_the_network():
    problem = CurveFitting(n_points=30, hidden=8)
    page = static_explorer_html(problem, epochs=200, lr_range=(1e-2, 10.0), per_decade=2)
    data = static_data(page)
    rates = [float(r) for r in log_grid(1e-2, 10.0, per_decade=2)]
    assert data["choices"] == rates and data["epoch_choices"] == [200, 1000]
    assert len(data["runs"]) == 2                                        # the 1000 epochs kept apart
    for n, runs in zip(data["epoch_choices"], data["runs"]):
        for lr, run in zip(rates, runs):
            expected = problem.train(lr, n, 0)
            assert run["loss"] == [float(v) for v in expected.loss]     # bp's numbers, exactly
            assert run["message"] == expected.message
    assert any(run["diverged_at"] for run in data["runs"][0])           # the largest rate diverges
    assert "http://" not in page and "https://" not in page and "import " not in page
    assert "export default" not in page                                  # explorer.js, inlined
    assert static_explorer_html(problem, epochs=200, lr_range=(1e-2, 10.0), per_decade=2) == page


def test_the_view_speaks_the_rate_and_announces_the_result():
    # A screen reader must hear "learning rate 0.1", not the slider's position, and the
    # result must sit in a polite live region so that a change is announced.
    script = (bpbook.widgets.EXPLORER_JS).read_text()
    assert 'setAttribute("aria-valuetext", "learning rate " + fmt3(lrValue()))' in script
    assert 'message.setAttribute("aria-live", "polite")' in script
    assert 'canvas.setAttribute("role", "img")' in script and '"aria-label"' in script
