"""Feel the learning rate: a live explorer in Jupyter, and a slider that works on a static page.

ipywidgets and matplotlib are imported only here, so ``import bp`` stays light.

In Jupyter (with a kernel), :class:`LearningRateExplorer` retrains the same
network from the same initial weights every time a control moves, and redraws
the loss curve and the fitted model. On the book's static website there is no
kernel to retrain anything, so the same output also carries an HTML version:
a plain ``<input type="range">`` over runs computed in advance, one picture
per learning rate, swapped by a few lines of JavaScript. Jupyter shows the
live widget; the website shows the precomputed slider (``_config.yml`` drops
the widget view there), so no control on the page moves without doing anything.

Used in the chapter "Updating the weights".
"""
import base64
import hashlib
import html
import io
import json
from dataclasses import dataclass

import numpy as np

from . import datasets
from .activations import Tanh
from .dense import Dense
from .errors import TrainingDiverged
from .extras import require
from .losses import MSELoss
from .network import Sequential
from .optim import SGD
from .training import fit

widgets = require("ipywidgets", "bp.widgets")
plt = require("matplotlib.pyplot", "bp.widgets")


@dataclass
class Run:
    """One training run: the loss per epoch, and how it ended."""

    lr: float
    epochs: int
    seed: int
    loss: list
    prediction: np.ndarray  # the model on the plotting grid (last finite state)
    diverged_at: int = None  # the epoch at which the loss became NaN/inf, or None

    @property
    def message(self):
        if self.diverged_at is not None:
            return (f"Diverged at epoch {self.diverged_at} with learning rate {self.lr:.3g}: "
                    f"the loss became infinite.")
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
            history = fit(net, MSELoss(), self.X, self.y, SGD(net, lr), epochs=epochs)
        except TrainingDiverged as err:
            return Run(lr, epochs, seed, list(err.history.loss), None, diverged_at=err.epoch)
        return Run(lr, epochs, seed, list(history.loss), net.forward(self.grid).ravel())


class RunFigure:
    """A two-panel figure (loss curve above, fitted model below) redrawn in place for each run.

    The axes, data points and labels are drawn once; each run only updates the
    lines and texts that change, which keeps a redraw fast enough for a slider.
    """

    def __init__(self, problem, figsize=(4.6, 5.6), dpi=80):
        self.problem = problem
        # Panels stacked, 368 px wide: a phone shows the picture at nearly full size.
        # A fixed layout: automatic layout engines take most of the redraw time.
        self.fig, (ax_loss, ax_model) = plt.subplots(2, 1, figsize=figsize, dpi=dpi)
        self.fig.subplots_adjust(left=0.17, right=0.97, bottom=0.1, top=0.95, hspace=0.42)
        plt.close(self.fig)  # shown only on request, not by the inline backend

        ax_loss.set_yscale("log")
        ax_loss.set_ylim(1e-3, 1e2)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("loss (MSE, log scale)")
        (self.loss_line,) = ax_loss.plot([], [], color="C0")
        self.diverged_line = ax_loss.axvline(0, color="C3", ls="--", visible=False)
        self.diverged_text = ax_loss.text(0.5, 0.5, "", transform=ax_loss.transAxes, ha="center",
                                          va="center", color="C3", fontsize=12, visible=False,
                                          bbox=dict(facecolor="white", edgecolor="C3"))

        x = problem.grid.ravel()
        ax_model.scatter(problem.X.ravel(), problem.y.ravel(), s=12, color="0.4", label="data")
        ax_model.plot(x, datasets.target_curve(x), color="0.7", ls=":", label="true curve")
        (self.model_line,) = ax_model.plot(x, np.zeros_like(x), color="C1", lw=2, label="network")
        self.no_model_text = ax_model.text(0.5, 0.5, "no usable model:\nthe weights blew up",
                                           transform=ax_model.transAxes, ha="center", va="center",
                                           color="C3", fontsize=12, visible=False)
        ax_model.set_ylim(-2.5, 2.5)
        ax_model.set_xlabel("x")
        ax_model.set_ylabel("y")
        ax_model.set_title("The fitted curve")
        ax_model.legend(loc="upper left", fontsize=10)
        self.ax_loss, self.ax_model = ax_loss, ax_model

    def draw(self, run):
        # Losses near 1e308 overflow the log-scale transform; they are off the axes anyway.
        self.loss_line.set_data(np.arange(1, len(run.loss) + 1), np.minimum(run.loss, 1e3))
        self.ax_loss.set_xlim(0, run.epochs)
        self.ax_loss.set_title(f"Loss, learning rate {run.lr:.3g}")
        diverged = run.diverged_at is not None
        self.diverged_line.set_visible(diverged)
        self.diverged_text.set_visible(diverged)
        if diverged:
            self.diverged_line.set_xdata([run.diverged_at, run.diverged_at])
            self.diverged_text.set_text(f"diverged at epoch {run.diverged_at}")
        self.model_line.set_visible(run.prediction is not None)
        self.no_model_text.set_visible(run.prediction is None)
        if run.prediction is not None:
            self.model_line.set_ydata(run.prediction)
        return self.fig

    def png(self, run):
        """The figure of ``run`` as PNG bytes."""
        self.draw(run)
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()


def log_grid(low=1e-3, high=10.0, per_decade=5):
    """Learning rates evenly spaced on a log scale, ``per_decade`` per factor of 10."""
    n = int(round(np.log10(high / low) * per_decade)) + 1
    return np.round(np.logspace(np.log10(low), np.log10(high), n), 12)


class LearningRateExplorer:
    """Retrain and redraw on every change of the learning rate, the epochs or the seed.

    ``explorer.lr``, ``explorer.epochs`` and ``explorer.seed`` are the ipywidgets controls;
    ``explorer.last_run`` is the :class:`Run` currently shown. Displaying the explorer in
    Jupyter shows the live controls; its HTML form (for pages without a kernel) is the
    precomputed slider of :func:`static_slider_html`.
    """

    def __init__(self, problem=None, lr=0.1, epochs=200, seed=0, lr_range=(1e-3, 10.0)):
        self.problem = problem if problem is not None else CurveFitting()
        self.lr_range = lr_range
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=np.log10(lr_range[0]),
                                         max=np.log10(lr_range[1]), step=0.05,
                                         description="learning rate", readout_format=".3g",
                                         continuous_update=True)
        self.epochs = widgets.IntSlider(value=epochs, min=10, max=1000, step=10, description="epochs")
        self.seed = widgets.IntSlider(value=seed, min=0, max=9, description="init seed")
        self.status = widgets.HTML()
        # An Image widget, updated in place: no display() calls that could leak into a cell's output.
        self.picture = widgets.Image(format="png")
        self.figure = RunFigure(self.problem)
        for control in (self.lr, self.epochs, self.seed):
            control.observe(self._on_change, names="value")
        self.last_run = None
        self.update()

    def _on_change(self, change):
        self.update()

    def update(self):
        """Retrain from the same initial weights and redraw (what every control change does)."""
        run = self.problem.train(self.lr.value, self.epochs.value, self.seed.value)
        self.picture.value = self.figure.png(run)
        self.status.value = f"<b>{html.escape(run.message)}</b>"
        self.last_run = run
        return run

    @property
    def widget(self):
        return widgets.VBox([widgets.HBox([self.lr, self.epochs, self.seed]), self.status, self.picture])

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = static_slider_html(self.problem, epochs=self.epochs.value,
                                                 seed=self.seed.value, lr_range=self.lr_range,
                                                 start=self.lr.value)
        bundle["text/plain"] = (f"LearningRateExplorer: {self.problem.hidden} hidden units, "
                                f"{self.epochs.value} epochs, seed {self.seed.value}")
        return bundle


def static_slider_html(problem, epochs=200, seed=0, lr_range=(1e-3, 10.0), per_decade=5, start=0.1):
    """A kernel-free slider over precomputed runs, as one self-contained HTML fragment.

    One PNG per learning rate of :func:`log_grid` is embedded (base64); moving the
    ``<input type="range">`` swaps the picture and the printed final loss. Nothing is
    fetched from the network. The element id is a hash of the content, so re-running
    the notebook gives byte-identical output.
    """
    lrs = log_grid(*lr_range, per_decade=per_decade)
    figure = RunFigure(problem)
    frames, messages = [], []
    for lr in lrs:
        run = problem.train(float(lr), epochs, seed)
        frames.append("data:image/png;base64," + base64.b64encode(figure.png(run)).decode("ascii"))
        messages.append(run.message)
    first = int(np.argmin(np.abs(np.log(lrs) - np.log(start))))
    uid = "bp-lr-" + hashlib.sha1("".join(frames).encode()).hexdigest()[:10]
    data = json.dumps({"lrs": [f"{lr:.3g}" for lr in lrs], "frames": frames, "messages": messages})
    return f"""<div class="bp-lr-slider" id="{uid}" style="font-family: sans-serif">
<p style="margin: 0 0 4px 0"><label>learning rate (precomputed, {len(lrs)} runs):
<input type="range" min="0" max="{len(lrs) - 1}" step="1" value="{first}" aria-valuetext="learning rate {lrs[first]:.3g}" style="width: min(320px, 100%); vertical-align: middle">
<code class="bp-lr-value" style="color: inherit; background: none">{lrs[first]:.3g}</code></label></p>
<p class="bp-lr-message" aria-live="polite" style="margin: 0 0 4px 0; font-weight: bold">{html.escape(messages[first])}</p>
<img class="bp-lr-frame" src="{frames[first]}" alt="Training loss per epoch and the fitted curve for learning rate {lrs[first]:.3g}" style="max-width: 100%">
<script>
(function () {{
  var root = document.getElementById("{uid}");
  var data = {data};
  var input = root.querySelector("input");
  input.addEventListener("input", function () {{
    var i = Number(input.value);
    var frame = root.querySelector(".bp-lr-frame");
    frame.src = data.frames[i];
    frame.alt = "Training loss per epoch and the fitted curve for learning rate " + data.lrs[i];
    input.setAttribute("aria-valuetext", "learning rate " + data.lrs[i]);
    root.querySelector(".bp-lr-value").textContent = data.lrs[i];
    // a polite live region: a screen reader says the result once the reader pauses
    root.querySelector(".bp-lr-message").textContent = data.messages[i];
  }});
}})();
</script>
</div>"""
