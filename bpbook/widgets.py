"""Feel the learning rate: a live explorer in Jupyter, and the same explorer on a static page.

:class:`LearningRateExplorer` is an anywidget: its view (``bpbook/explorer.js``) shows
the controls and draws the loss per epoch and the fitted curve on a canvas, in the
browser. Moving a control sends the new setting to the kernel, which retrains the same
network from the same initial weights with bp and sends the run back as numbers (the
losses, the fitted curve); nothing is drawn in the kernel, so a change is redrawn about
as fast as bp trains (tools/benchmarks/bench_widget.py measures it in JupyterLab).

The book's static website has no kernel. When the site is built (``make book`` sets
``BP_BOOK_SITE=1``), the explorer's HTML form is :func:`static_explorer_html`: the
same ``explorer.js`` over runs that bp computed at build time. Elsewhere (Jupyter,
and the saved notebooks) the HTML form is one line telling the reader to run the
cells, which is what a notebook opened without a kernel shows.

anywidget is imported only here, so ``import bp`` stays light. Used in the chapter
"Updating the weights".
"""
import base64
import hashlib
import html
import json
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bp import datasets
from bp.activations import Tanh
from bp.dense import Dense
from bp.errors import TrainingDiverged
from bp.extras import require
from bp.losses import MSELoss
from bp.network import Sequential
from bp.optim import SGD
from bp.training import TrainingWarning, fit

anywidget = require("anywidget", "bpbook.widgets")
import traitlets  # noqa: E402  (comes with anywidget, through ipywidgets)

EXPLORER_JS = Path(__file__).with_name("explorer.js")
EXPORT_LINE = "export default { render, staticModel };"
# Set by `make book`: build the kernel-free explorer into the page (see the module docstring).
SITE_BUILD = "BP_BOOK_SITE"
RUN_THE_CELLS = ("The learning-rate explorer appears here when this cell runs: run the "
                 "notebook's cells from the top (Run > Run All Cells).")


@dataclass
class Run:
    """One training run: the loss per epoch, and how it ended."""

    lr: float
    epochs: int
    seed: int
    loss: list
    prediction: np.ndarray  # the model on the plotting grid (last finite state)
    diverged_at: int = None  # the epoch at which fit stopped a diverging run, or None

    @property
    def message(self):
        if self.diverged_at is not None:
            return (f"Diverged at epoch {self.diverged_at} with learning rate {self.lr:.3g}: "
                    f"the loss grew without bound.")
        return f"learning rate {self.lr:.3g}: loss {self.loss[-1]:.4f} after {self.epochs} epochs"


class CurveFitting:
    """The problem the explorer trains: a 1-hidden-layer tanh network fitting a noisy curve.

    Full-batch gradient descent on ``bp.datasets.regression_curve`` with the mean squared
    error. The data are fixed by ``data_seed``; the initial weights by the ``seed`` of
    each run, so the same seed always starts from the same weights.
    """

    def __init__(self, n_points=40, hidden=16, noise=0.1, data_seed=0):
        self.hidden = hidden
        self.X, self.y = datasets.regression_curve(n_points, np.random.default_rng(data_seed), noise)
        self.grid = np.linspace(-3.2, 3.2, 161)[:, None]

    def make_net(self, seed):
        rng = np.random.default_rng(seed)
        return Sequential([Dense(1, self.hidden, rng=rng, init="xavier"), Tanh(),
                           Dense(self.hidden, 1, rng=rng, init="xavier")])

    def train(self, lr, epochs, seed):
        net = self.make_net(seed)
        try:
            # The explorer tries rates that fail on purpose and says so itself: no warnings.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", TrainingWarning)
                history = fit(net, MSELoss(), self.X, self.y, SGD(net, lr), epochs=epochs)
        except TrainingDiverged as err:
            return Run(lr, epochs, seed, list(err.history.loss), None, diverged_at=err.epoch)
        return Run(lr, epochs, seed, list(history.loss), net.forward(self.grid).ravel())


def log_grid(low=1e-3, high=10.0, per_decade=5):
    """Learning rates evenly spaced on a log scale, ``per_decade`` per factor of 10."""
    n = int(round(np.log10(high / low) * per_decade)) + 1
    return np.round(np.logspace(np.log10(low), np.log10(high), n), 12)


def run_data(run):
    """A :class:`Run` as the numbers explorer.js draws (JSON-ready)."""
    return {"lr": run.lr, "epochs": run.epochs, "loss": [float(v) for v in run.loss],
            "prediction": None if run.prediction is None else [float(v) for v in run.prediction],
            "diverged_at": run.diverged_at, "message": run.message}


def points_data(problem):
    """The data points, the plotting grid and the true curve, for explorer.js."""
    x = problem.grid.ravel()
    return {"X": problem.X.ravel().tolist(), "y": problem.y.ravel().tolist(),
            "grid": x.tolist(), "curve": datasets.target_curve(x).tolist()}


class LearningRateExplorer(anywidget.AnyWidget):
    """Retrain and redraw on every change of the learning rate, the epochs or the seed.

    ``explorer.lr``, ``explorer.epochs`` and ``explorer.seed`` are the settings (set them
    from Python, or move the sliders); ``explorer.last_run`` is the :class:`Run` shown
    and ``explorer.run`` the numbers sent to the browser.
    """

    _esm = EXPLORER_JS
    lr = traitlets.Float(0.1).tag(sync=True)
    epochs = traitlets.Int(200).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    lr_min = traitlets.Float(1e-3).tag(sync=True)
    lr_max = traitlets.Float(10.0).tag(sync=True)
    lr_step = traitlets.Float(0.05).tag(sync=True)   # of log10(lr): 20 positions per decade
    points = traitlets.Dict().tag(sync=True)
    run = traitlets.Dict().tag(sync=True)

    def __init__(self, problem=None, lr=0.1, epochs=200, seed=0, lr_range=(1e-3, 10.0)):
        self._ready = False
        self.problem = problem if problem is not None else CurveFitting()
        self.last_run = None
        super().__init__(lr_min=lr_range[0], lr_max=lr_range[1], lr=lr, epochs=epochs, seed=seed,
                         points=points_data(self.problem))
        self._ready = True
        self.update()

    @traitlets.validate("lr")
    def _valid_lr(self, proposal):
        lr = proposal["value"]
        if not (math.isfinite(lr) and self.lr_min <= lr <= self.lr_max):
            raise traitlets.TraitError(
                f"learning rate must be between {self.lr_min:g} and {self.lr_max:g}, got {lr!r}")
        return lr

    @traitlets.validate("epochs")
    def _valid_epochs(self, proposal):
        if not 1 <= proposal["value"] <= 10_000:
            raise traitlets.TraitError(f"epochs must be between 1 and 10000, got {proposal['value']}")
        return proposal["value"]

    @traitlets.observe("lr", "epochs", "seed")
    def _on_change(self, change):
        if self._ready:
            self.update()

    def update(self):
        """Retrain from the same initial weights and send the run to the view (what every
        control change does)."""
        run = self.problem.train(self.lr, self.epochs, self.seed)
        self.last_run = run
        self.run = run_data(run)
        return run

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = (f"LearningRateExplorer: {self.problem.hidden} hidden units, "
                              f"{self.epochs} epochs, seed {self.seed}")
        if os.environ.get(SITE_BUILD):
            data["text/html"] = static_explorer_html(self.problem, epochs=self.epochs, seed=self.seed,
                                                     lr_range=(self.lr_min, self.lr_max), start=self.lr)
        else:
            data["text/html"] = f"<p><em>{html.escape(RUN_THE_CELLS)}</em></p>"
        return data, metadata


def static_explorer_html(problem, epochs=200, seed=0, lr_range=(1e-3, 10.0), per_decade=5,
                         start=0.1, more_epochs=(1000,)):
    """The explorer for a page without a kernel, as one self-contained HTML fragment.

    bp trains one run per learning rate of :func:`log_grid` for ``epochs`` and for each
    of ``more_epochs``; the fragment holds their numbers and explorer.js, which draws
    them as the live explorer does. Nothing is fetched from the network, and the same
    arguments give the same bytes.

    The runs of ``more_epochs`` are most of the bytes (about 80%) and are drawn only when
    a reader moves the epochs slider. They sit in their own ``<script type="application/json"
    data-bp-lazy=...>`` element: the site's build (tools/sphinx/lazy_data.py) moves its
    contents into a file of their own that the page loads when first needed; a page built
    without that step keeps them inline, and the explorer reads them from there.
    """
    lrs = [float(lr) for lr in log_grid(*lr_range, per_decade=per_decade)]
    epoch_choices = [epochs, *more_epochs]
    runs = [[run_data(problem.train(lr, n, seed)) for lr in lrs] for n in epoch_choices]
    first = lrs[int(np.argmin(np.abs(np.log(lrs) - np.log(start))))]
    data = {"choices": lrs, "epoch_choices": epoch_choices, "lr": first, "epochs": epochs,
            "seed": seed, "points": points_data(problem), "runs": runs[:1]}
    # explorer.js is a module for anywidget; inline, its functions are used directly
    script = EXPLORER_JS.read_text(encoding="utf-8").replace(EXPORT_LINE, "")
    payload = _script_json(data)
    more = _script_json(runs[1:])
    uid = "bp-lr-" + hashlib.sha1((payload + more).encode()).hexdigest()[:10]
    start_run = runs[0][lrs.index(first)]
    # The figure and words of the starting setting: what a page shows without JavaScript,
    # and what a printed page shows (tools/sphinx/static/bp-print.css); once the live
    # explorer is drawn, they are hidden on screen.
    png = base64.b64encode(static_explorer_png(problem, start_run)).decode("ascii")
    words = (f"The learning-rate explorer at its start, {start_run['message']}. On the book's "
             f"website, its sliders retrain the network with {len(lrs)} learning rates from "
             f"{lrs[0]:g} to {lrs[-1]:g} and with {' or '.join(map(str, epoch_choices))} epochs.")
    return f"""<div class="bp-lr-slider" id="{uid}">
<figure class="bp-lr-static"><img src="data:image/png;base64,{png}" alt="Training loss per epoch and the fitted curve, {html.escape(start_run['message'])}">
<figcaption>{html.escape(words)}</figcaption></figure>
<script type="application/json" data-bp-lazy="{uid}-more-epochs">{more}</script>
<script type="module">
{script}
const root = document.getElementById("{uid}");
const data = {payload};
render({{model: staticModel(data, root.querySelector("script[data-bp-lazy]")), el: root}});
root.querySelector(".bp-lr-static").hidden = true;
</script>
</div>"""


def _script_json(value):
    """JSON that can stand inside a <script> element (no "</script>" in it)."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def static_explorer_png(problem, run):
    """The explorer's two panels for one run (bp's numbers), as a PNG: the loss per epoch
    above, the data, the true curve and the network's fit below, as explorer.js draws them."""
    import matplotlib.pyplot as plt

    from .explorables import png_bytes
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.2, 5.2))
    loss = np.asarray(run["loss"], dtype=float)
    top.semilogy(np.arange(1, len(loss) + 1), loss, color="#1f77b4")
    top.set(xlabel="epoch", ylabel="training loss", title=f"learning rate {run['lr']:.3g}")
    x = problem.grid.ravel()
    bottom.plot(problem.X.ravel(), problem.y.ravel(), "o", color="#666666", ms=4, label="data")
    bottom.plot(x, datasets.target_curve(x), color="#999999", label="true curve")
    if run["prediction"] is not None:
        bottom.plot(x, run["prediction"], color="#ff7f0e", label="network")
    bottom.set(xlabel="x", ylabel="y")
    bottom.legend(fontsize=9)
    fig.tight_layout()
    return png_bytes(fig)

