"""The four steps of training, stepped one at a time on a 2-3-2 network.

Chapter "The backpropagation algorithm": 1. initialization (Xavier weights, zero
biases), then, repeated, 2. forward propagation (eq-loop-forward), 3. backpropagation
(eq-loop-backward) and 4. the weight update W <- W - eta dC/dW. The chapter trains a
2-8-2 tanh network on 200 moons; here it is 2-3-2 on 8 moons, small enough to draw every
number. The page (four_steps.js) takes the steps; bp takes the same steps here, with
bp.Dense, bp.Tanh, bp.CrossEntropyLoss and bp.SGD, for the browser test.

The state is a function of the number of steps taken, k, and of the learning rate:
k = 0 is the initialization; step k >= 1 is a forward pass when k % 3 == 1, a backward
pass when k % 3 == 2 and an update when k % 3 == 0. "Back" is k - 1.
"""
import numpy as np

from bp import datasets
from bp.activations import Tanh
from bp.dense import Dense
from bp.losses import CrossEntropyLoss, softmax
from bp.network import Sequential
from bp.optim import SGD

TITLE = "Explorable: the four steps of training, one at a time"
SIZES = (2, 3, 2)
LR = {"min": 0.1, "max": 3.0, "step": 0.1}
START_LR = 1.0
MAX_ITERATIONS = 2000
STEPS = ("initialization", "forward", "backward", "update")


def chapter_data():
    """8 points of the chapter's two moons (4 per class), from bp.datasets."""
    return datasets.moons(4, np.random.default_rng(0), noise=0.15)


def initial_network():
    """Step 1: Xavier-scaled random weights and zero biases, as the chapter's moons_net."""
    init_rng = np.random.default_rng(1)
    return Sequential([Dense(SIZES[0], SIZES[1], rng=init_rng, init="xavier"), Tanh(),
                       Dense(SIZES[1], SIZES[2], rng=init_rng, init="xavier")])


def step_name(k):
    return STEPS[0] if k == 0 else STEPS[(k - 1) % 3 + 1]


def run(k, lr=START_LR):
    """bp after k steps: the parameters, the loss of every forward pass so far, and the
    numbers of the last forward and backward passes."""
    X, y = chapter_data()
    net = initial_network()
    dense1, tanh, dense2 = net.layers
    loss, optimizer = CrossEntropyLoss(), SGD(net, lr=lr)
    losses, forward, backward = [], None, None
    for step in range(1, k + 1):
        name = step_name(step)
        if name == "forward":                     # step 2, (eq-loop-forward)
            Z1 = dense1.forward(X)
            A1 = tanh.forward(Z1)
            Z2 = dense2.forward(A1)
            losses.append(loss.forward(Z2, y))
            forward = {"Z1": Z1.tolist(), "A1": A1.tolist(), "Z2": Z2.tolist(),
                       "P": softmax(Z2).tolist()}
        elif name == "backward":                  # step 3, (eq-loop-backward)
            dZ2 = loss.backward()
            dZ1 = tanh.backward(dense2.backward(dZ2))
            dense1.backward(dZ1)
            backward = {"dZ2": dZ2.tolist(), "dZ1": dZ1.tolist(),
                        "dW1": dense1.grads["W"].tolist(), "db1": dense1.grads["b"].tolist(),
                        "dW2": dense2.grads["W"].tolist(), "db2": dense2.grads["b"].tolist()}
        else:                                     # step 4: W <- W - eta dC/dW
            optimizer.step()
    return {"k": k, "iteration": k // 3, "step": step_name(k), "loss": [float(v) for v in losses],
            "W1": dense1.params["W"].tolist(), "b1": dense1.params["b"].tolist(),
            "W2": dense2.params["W"].tolist(), "b2": dense2.params["b"].tolist(),
            "forward": forward, "backward": backward}


def page_data():
    X, y = chapter_data()
    net = initial_network()
    dense1, dense2 = net.layers[0], net.layers[2]
    return {"X": X.tolist(), "y": y.tolist(), "sizes": list(SIZES),
            "W1": dense1.params["W"].tolist(), "b1": dense1.params["b"].tolist(),
            "W2": dense2.params["W"].tolist(), "b2": dense2.params["b"].tolist(),
            "lr": LR, "start_lr": START_LR, "max_iterations": MAX_ITERATIONS}


def describe():
    losses = run(3 * 300)["loss"]
    return (f"Eight points of the two moons and a 2-3-2 tanh network with Xavier initial "
            f"weights and zero biases. The first forward pass gives the loss "
            f"{losses[0]:.2f}, close to log 2 = 0.69; each backward pass gives every "
            f"weight its gradient, and each update moves it by -eta times that gradient. "
            f"With learning rate {START_LR:.1f} the loss is {losses[99]:.2f} after 100 "
            f"iterations (a plateau, with one spike on the way) and {losses[299]:.3f} "
            f"after 300.")


def static_figure():
    import matplotlib.pyplot as plt
    state = run(3 * 300)
    fig, (ax_net, ax_loss) = plt.subplots(1, 2, figsize=(5.2, 3.2),
                                          gridspec_kw={"width_ratios": [1.1, 1]})
    xs = [0.0, 1.0, 2.0]
    ys = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n)[::-1] for n in SIZES]
    for l, W in enumerate([np.array(state["W1"]), np.array(state["W2"])]):
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                ax_net.plot([xs[l], xs[l + 1]], [ys[l][k], ys[l + 1][j]],
                            color="C3" if W[j, k] > 0 else "C0",
                            lw=0.6 + 3 * min(abs(W[j, k]), 4) / 4, zorder=1)
    for l in range(3):
        ax_net.scatter(np.full(SIZES[l], xs[l]), ys[l], s=260, color="white",
                       edgecolor="0.2", zorder=2)
    for x, name in zip(xs, ["input", "tanh", "softmax"]):
        ax_net.text(x, 1.55, name, ha="center", fontsize=9)
    ax_net.set(xlim=(-0.3, 2.3), ylim=(-1.5, 1.8), title="weights after 300 iterations")
    ax_net.axis("off")
    ax_loss.plot(np.arange(1, 301), state["loss"], color="C3")
    ax_loss.set(xlabel="iteration", ylabel="loss C", title="loss, learning rate 1.0",
                ylim=(0, None))
    fig.tight_layout()
    return fig


def reference():
    """The browser test's cases: buttons pressed, and bp's numbers after them."""
    return [
        {"actions": [["fill", "lr", "1"], ["click", "next", 1]], "result": run(1)},
        {"actions": [["click", "next", 2]], "result": run(3)},
        {"actions": [["click", "back", 1]], "result": run(2)},
        {"actions": [["select", "example", "5"], ["fill", "lr", "2.5"], ["click", "plus10", 1]],
         "result": run(30, 2.5)},
        {"actions": [["click", "next", 2], ["click", "plus1", 1], ["fill", "lr", "0.3"]],
         "result": run(33, 0.3)},
        {"actions": [["click", "reset", 1], ["click", "plus100", 1], ["click", "next", 2]],
         "result": run(302, 0.3)},
        # back across the states the page saves (every 150 steps) and resumes from
        {"actions": [["click", "back", 3]], "result": run(299, 0.3)},
    ]
