"""A playground: a small network trained in the page on a 2-D non-linear data set.

Chapter "Advantages of backpropagation", section "Complex, non-linear data". In the
spirit of TensorFlow Playground: choose the data (bp's two spirals, two moons or the
four XOR points), the width of the one hidden layer, its activation and the learning
rate, then train with full-batch gradient descent and watch the decision regions and
the loss.

The network is the chapter's: Dense(2, H), an activation, Dense(H, 2), with
bp.CrossEntropyLoss (softmax folded into the loss), its initial weights drawn by bp's
default initialiser from ``np.random.default_rng(SEED)`` for every width H. The page
(playground.js) takes the same steps as ``bp.fit(..., batch_size=None)`` with
``bp.SGD``; bp takes them here for the browser test.
"""
import warnings

import numpy as np

from bp import datasets
from bp.activations import ReLU, Sigmoid, Tanh
from bp.dense import Dense
from bp.losses import CrossEntropyLoss
from bp.network import Sequential
from bp.optim import SGD
from bp.training import TrainingWarning, evaluate, fit

TITLE = "Explorable: a playground for a small network"
SEED = 0                     # the initial weights of every width
N_PER_CLASS = 100            # 200 points: 100 epochs take a few milliseconds in the page
DECIMALS = 2                 # the data's coordinates, rounded (see data_set)
WIDTHS = range(1, 17)
RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]   # the learning-rate slider's positions
ACTIVATIONS = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
UNIT_NAMES = {"tanh": "tanh", "relu": "ReLU", "sigmoid": "sigmoid"}
DATA_NAMES = {"spirals": "two spirals", "moons": "two moons", "xor": "XOR, 4 points"}
START = {"data": "spirals", "width": 16, "activation": "relu", "lr": 0.3}
FIGURE_EPOCHS = 1000         # what the static figure shows: the default run, trained this long


def data_set(name):
    """(X, y) of data set ``name``, made by bp.datasets (the chapter's seed for the spirals).

    The coordinates are rounded to DECIMALS places, so that the page's copy is small; the
    rounded points are the data set, for the page and for bp alike."""
    if name == "spirals":
        X, y = datasets.two_spirals(N_PER_CLASS, np.random.default_rng(0))
    elif name == "moons":
        X, y = datasets.moons(N_PER_CLASS, np.random.default_rng(0))
    elif name == "xor":
        X, y = datasets.xor()
    else:
        raise ValueError(f"no data set {name!r}; the playground has {', '.join(DATA_NAMES)}")
    return np.round(X, DECIMALS), y


def network(width, activation):
    """2 -> width -> 2, bp's default (PyTorch) initial weights from default_rng(SEED)."""
    rng = np.random.default_rng(SEED)
    return Sequential([Dense(2, width, rng=rng), ACTIVATIONS[activation](), Dense(width, 2, rng=rng)])


def weights(net):
    first, second = net.layers[0].params, net.layers[2].params
    return {"W1": first["W"].tolist(), "b1": first["b"].tolist(),
            "W2": second["W"].tolist(), "b2": second["b"].tolist()}


def train(data, width, activation, schedule):
    """bp's full-batch gradient descent: ``schedule`` is [(lr, epochs), ...], run in turn with
    one bp.SGD whose rate is changed between them (as moving the page's rate slider does).

    Returns the page's result: epochs run, the loss of every epoch (as bp.fit records it:
    measured before that epoch's update), the weights, and the loss and training accuracy
    of the weights now."""
    X, y = data_set(data)
    net, loss_fn = network(width, activation), CrossEntropyLoss()
    optimizer = SGD(net, schedule[0][0] if schedule else RATES[0])
    losses = []
    for lr, epochs in schedule:
        optimizer.lr = lr
        with warnings.catch_warnings():      # a setting that learns nothing is the page's to show
            warnings.simplefilter("ignore", TrainingWarning)
            losses += fit(net, loss_fn, X, y, optimizer, epochs=epochs).loss    # batch_size=None: full batch
    loss_now, accuracy_now = evaluate(net, loss_fn, X, y)
    return {"epoch": len(losses), "loss": [float(v) for v in losses], **weights(net),
            "loss_now": float(loss_now), "accuracy": float(accuracy_now), "net": net}


def page_data():
    sets = {}
    for name, label in DATA_NAMES.items():
        X, y = data_set(name)
        sets[name] = {"label": label, "X": X.tolist(), "y": y.tolist()}
    # bp's initial weights for every width (they do not depend on the activation)
    initial = {str(width): weights(network(width, "tanh")) for width in WIDTHS}
    return {"sets": sets, "initial": initial, "rates": RATES, "start": START,
            "widths": [WIDTHS[0], WIDTHS[-1]]}


def describe():
    data, width, activation, lr = START["data"], START["width"], START["activation"], START["lr"]
    n = len(data_set(data)[1])
    untrained = train(data, width, activation, [])
    trained = train(data, width, activation, [(lr, FIGURE_EPOCHS)])
    return (f"{DATA_NAMES[data].capitalize()}, {n} points; one hidden layer of {width} "
            f"{UNIT_NAMES[activation]} units, learning rate {lr:g}, full-batch gradient descent on "
            f"the cross-entropy. Untrained, the loss is {untrained['loss_now']:.2f} and "
            f"{round(untrained['accuracy'] * n)} of the {n} points are classified correctly; after "
            f"{FIGURE_EPOCHS} epochs the loss is {trained['loss_now']:.2f} and "
            f"{round(trained['accuracy'] * n)} are, with a decision boundary that winds between "
            f"the two arms.")


def static_figure():
    import matplotlib.pyplot as plt
    X, y = data_set(START["data"])
    run = train(START["data"], START["width"], START["activation"], [(START["lr"], FIGURE_EPOCHS)])
    net = run.pop("net")
    fig, (ax_regions, ax_loss) = plt.subplots(1, 2, figsize=(5.2, 3.2),
                                              gridspec_kw={"width_ratios": [1.1, 1]})
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], 120), np.linspace(lo[1], hi[1], 120))
    logits = net.predict(np.column_stack([g0.ravel(), g1.ravel()]))
    p1 = np.exp(logits[:, 1] - np.logaddexp(logits[:, 0], logits[:, 1])).reshape(g0.shape)
    ax_regions.contourf(g0, g1, p1, levels=[0, 0.5, 1], colors=["C0", "C1"], alpha=0.3)
    ax_regions.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "C1", "C0"), s=7, linewidths=0)
    ax_regions.set(title=f"After {FIGURE_EPOCHS} epochs", xlabel="$x_1$", ylabel="$x_2$",
                   aspect="equal")
    ax_loss.plot(np.arange(FIGURE_EPOCHS + 1), run["loss"] + [run["loss_now"]], color="C3")
    ax_loss.set(title="Loss per epoch", xlabel="epoch", ylabel="cross-entropy", ylim=(0, None))
    fig.tight_layout()
    return fig


def reference():
    """The browser test's cases: settings made with the controls, and bp's numbers.

    The page keeps its state from one case to the next (as a reader's page does), so each
    case sets every control and then presses Reset, except where it tests what a control
    does to a network already trained."""
    def settings(data, activation, width, lr):
        return [["select", "data", data], ["select", "activation", activation],
                ["fill", "width", str(width)], ["fill", "lr", str(RATES.index(lr))]]

    def result(*args):
        out = train(*args)
        out.pop("net")
        return out

    cases = [
        # the default setting, 300 epochs
        (settings("spirals", "relu", 16, 0.3) + [["click", "reset", 1], ["click", "train100", 3]],
         result("spirals", 16, "relu", [(0.3, 300)])),
        # ReLU on the moons: 10 + 10 + 100 epochs
        (settings("moons", "relu", 3, 0.3) + [["click", "reset", 1], ["click", "train10", 2],
                                              ["click", "train100", 1]],
         result("moons", 3, "relu", [(0.3, 120)])),
        # sigmoid units on XOR at the largest rate
        (settings("xor", "sigmoid", 2, 3.0) + [["click", "reset", 1], ["click", "train100", 2]],
         result("xor", 2, "sigmoid", [(3.0, 200)])),
        # the rate changed in the middle of training: the network is kept, the rate applies
        # from the next epoch on
        (settings("spirals", "tanh", 8, 0.1) + [["click", "reset", 1], ["click", "train10", 3],
                                                ["fill", "lr", str(RATES.index(0.3))],
                                                ["click", "train100", 1]],
         result("spirals", 8, "tanh", [(0.1, 30), (0.3, 100)])),
        # a new width starts again from that width's initial weights
        (settings("moons", "tanh", 12, 3.0) + [["click", "reset", 1], ["click", "train100", 1],
                                               ["fill", "width", "5"], ["click", "train10", 1]],
         result("moons", 5, "tanh", [(3.0, 10)])),
        # the smallest rate, a single unit, and Reset after training: epoch 0 again
        (settings("spirals", "sigmoid", 1, 0.01) + [["click", "train10", 4], ["click", "reset", 1],
                                                    ["click", "train10", 1]],
         result("spirals", 1, "sigmoid", [(0.01, 10)])),
    ]
    return [{"actions": actions, "result": res} for actions, res in cases]
