"""The learning-rate explorer, driven without a browser: moving a control retrains and redraws."""
import re

import matplotlib
import pytest

matplotlib.use("Agg")

from bp.widgets import CurveFitting, LearningRateExplorer, log_grid, static_slider_html  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return LearningRateExplorer(problem=CurveFitting(n_points=30, hidden=8), lr=0.1, epochs=60)


def test_moving_the_learning_rate_retrains_and_redraws(explorer):
    explorer.lr.value = 0.1
    before_run, before_picture = explorer.last_run, explorer.picture.value
    explorer.lr.value = 0.02
    assert explorer.last_run is not before_run
    assert explorer.last_run.lr == pytest.approx(0.02)
    assert explorer.last_run.loss != before_run.loss
    assert explorer.picture.value != before_picture          # a new picture is shown
    assert "0.02" in explorer.status.value


def test_same_settings_retrain_from_the_same_initial_weights(explorer):
    explorer.lr.value = 0.05
    first = explorer.last_run.loss
    explorer.lr.value = 0.2
    explorer.lr.value = 0.05
    assert explorer.last_run.loss == first


def test_epochs_and_seed_controls_also_retrain(explorer):
    explorer.lr.value = 0.1
    explorer.epochs.value = 60
    explorer.seed.value = 0
    loss_seed0 = explorer.last_run.loss
    explorer.seed.value = 1
    assert explorer.last_run.loss[0] != loss_seed0[0]         # other initial weights
    explorer.epochs.value = 30
    assert len(explorer.last_run.loss) == 30


def test_divergence_is_shown_plainly(explorer):
    explorer.epochs.value = 200
    explorer.lr.value = 8.0
    run = explorer.last_run
    assert run.diverged_at is not None and 1 <= run.diverged_at <= 200
    assert f"Diverged at epoch {run.diverged_at}" in explorer.status.value
    assert run.prediction is None and len(run.loss) == run.diverged_at - 1
    assert bytes(explorer.picture.value).startswith(b"\x89PNG")   # still a picture, not a blank


def test_static_slider_has_one_distinct_frame_per_rate_and_no_network_use():
    problem = CurveFitting(n_points=30, hidden=8)
    page = static_slider_html(problem, epochs=200, lr_range=(1e-2, 10.0), per_decade=2)
    rates = log_grid(1e-2, 10.0, per_decade=2)
    frames = re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]+", page)
    # the first frame appears twice: in the <img> and in the data for the script
    assert len(frames) == len(rates) + 1
    assert len(set(frames)) == len(rates)
    assert 'type="range"' in page and f'max="{len(rates) - 1}"' in page
    assert "Diverged at epoch" in page                         # the largest rate diverges
    assert "http://" not in page and "https://" not in page
    assert static_slider_html(problem, epochs=200, lr_range=(1e-2, 10.0), per_decade=2) == page


def test_static_slider_speaks_the_rate_and_announces_the_result():
    # A screen reader must hear "learning rate 0.1", not the slider's index, and the
    # printed result must sit in a polite live region so that a change is announced.
    problem = CurveFitting(n_points=12, hidden=4)
    page = static_slider_html(problem, epochs=20, lr_range=(1e-2, 1.0), per_decade=1, start=0.1)
    assert 'aria-valuetext="learning rate 0.1"' in page
    assert 'class="bp-lr-message" aria-live="polite"' in page
    assert 'input.setAttribute("aria-valuetext", "learning rate " + data.lrs[i])' in page
