"""Forward propagation through the chapter's hand-weighted 2-3-1 network.

Chapter "Forward propagation": z^l = W^l a^{l-1} + b^l, a^l = sigma(z^l) (equations
eq-neuron and eq-layer), with a sigmoid hidden layer and an identity output. The reader
moves the two inputs and any one weight or bias; the page (forward_pass.js) recomputes
every z and a, and bp computes the same with bp.Dense and bp.Sigmoid, for the browser
test.
"""
import numpy as np

from bp.activations import Sigmoid
from bp.dense import Dense
from bp.network import Sequential

TITLE = "Explorable: a forward pass, input by input and weight by weight"
# The chapter's hand-chosen weights and its example input x = (1, -2).
W1 = [[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]]
B1 = [0.1, 0.0, -0.2]
W2 = [[1.0, -1.5, 0.7]]
B2 = [0.3]
X = [1.0, -2.0]
INPUT = {"min": -3.0, "max": 3.0, "step": 0.1}
VALUE = {"min": -3.0, "max": 3.0, "step": 0.1}
START_WEIGHT = "W1.0.1"          # w^1_12, the weight from x2 into hidden unit 1


def parameter_names():
    """Every weight and bias as "<W1|b1|W2|b2>.<j>[.<k>]" (0-based, as in the arrays),
    and how the book writes it (1-based: w^l_jk goes to unit j from unit k)."""
    names = []
    for layer, (W, b) in enumerate([(W1, B1), (W2, B2)], start=1):
        for j, row in enumerate(W):
            for k in range(len(row)):
                names.append((f"W{layer}.{j}.{k}", f"w{layer}_{j + 1}{k + 1}"))
        for j in range(len(b)):
            names.append((f"b{layer}.{j}", f"b{layer}_{j + 1}"))
    return names


def network(weight=None, value=None):
    """The chapter's network in bp, with the chapter's weights and, if given, one of them
    (a name from parameter_names) set to ``value``."""
    net = Sequential([Dense(2, 3, init="zeros"), Sigmoid(), Dense(3, 1, init="zeros")])
    dense1, dense2 = net.layers[0], net.layers[2]
    dense1.params["W"][:] = W1
    dense1.params["b"][:] = B1
    dense2.params["W"][:] = W2
    dense2.params["b"][:] = B2
    if weight is not None:
        kind, *index = weight.split(".")
        layer = dense1 if kind[1] == "1" else dense2
        layer.params[kind[0]][tuple(int(i) for i in index)] = value
    return net


def forward(x1=X[0], x2=X[1], weight=None, value=None):
    """bp's forward pass for one example: every layer's z and a."""
    net = network(weight, value)
    dense1, sigmoid, dense2 = net.layers
    Z1 = dense1.forward(np.array([[x1, x2]]))
    A1 = sigmoid.forward(Z1)
    Z2 = dense2.forward(A1)
    return {"z1": Z1[0].tolist(), "a1": A1[0].tolist(), "z2": Z2[0].tolist(),
            "a2": Z2[0].tolist()}                 # identity output: a2 = z2


def page_data():
    net = network()
    dense1, dense2 = net.layers[0], net.layers[2]
    return {"W1": dense1.params["W"].tolist(), "b1": dense1.params["b"].tolist(),
            "W2": dense2.params["W"].tolist(), "b2": dense2.params["b"].tolist(),
            "x": X, "input": INPUT, "value": VALUE, "start_weight": START_WEIGHT,
            "names": parameter_names()}


def describe():
    r = forward()
    z1 = ", ".join(f"{v:.2f}" for v in r["z1"])
    a1 = ", ".join(f"{v:.3f}" for v in r["a1"])
    return (f"Input x = (1.0, -2.0) through the chapter's 2-3-1 network: the hidden layer "
            f"computes z1 = ({z1}) and, through the sigmoid, a1 = ({a1}); the output is "
            f"z2 = a2 = {r['a2'][0]:.3f}.")


def static_figure():
    import matplotlib.pyplot as plt
    r = forward()
    fig, ax = plt.subplots(figsize=(5.2, 3.2))
    xs, ys = [0.0, 1.0, 2.0], [[0.6, -0.6], [1.0, 0.0, -1.0], [0.0]]
    weights = [np.array(W1), np.array(W2)]
    for l, W in enumerate(weights):
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                w = W[j, k]
                ax.plot([xs[l], xs[l + 1]], [ys[l][k], ys[l + 1][j]], color="C3" if w > 0 else "C0",
                        lw=0.8 + 2.2 * min(abs(w), 2) / 2, zorder=1, alpha=0.8)
    labels = [[f"$x_{k + 1}$ = {X[k]:.1f}" for k in range(2)],
              [f"$z$ = {z:.2f}\n$a$ = {a:.3f}" for z, a in zip(r["z1"], r["a1"])],
              [f"$z = a$ = {r['a2'][0]:.3f}"]]
    values = [X, r["a1"], r["a2"]]
    for l in range(3):
        for j, y in enumerate(ys[l]):
            v = values[l][j]
            ax.scatter([xs[l]], [y], s=420, color="C3" if v > 0 else "C0",
                       alpha=0.25 + 0.6 * min(abs(v), 1), edgecolor="0.2", zorder=2)
            ax.text(xs[l], y - 0.22, labels[l][j], ha="center", va="top", fontsize=10, zorder=3)
    for x, name in zip(xs, ["input", "hidden (sigmoid)", "output (identity)"]):
        ax.text(x, 1.4, name, ha="center", fontsize=10)
    ax.set(xlim=(-0.45, 2.45), ylim=(-1.7, 1.6))
    ax.axis("off")
    ax.set_title("The chapter's 2-3-1 network at x = (1, -2)", fontsize=10, pad=12)
    return fig


def reference():
    """The browser test's cases: settings made with the controls, and bp's numbers."""
    cases = [
        {"actions": [["fill", "x1", "1"], ["fill", "x2", "-2"]], "result": forward()},
        {"actions": [["fill", "x1", "-1.5"], ["fill", "x2", "0.7"]],
         "result": forward(-1.5, 0.7)},
        {"actions": [["select", "weight", "W1.0.1"], ["fill", "value", "1.2"]],
         "result": forward(-1.5, 0.7, "W1.0.1", 1.2)},
        {"actions": [["select", "weight", "W1.0.1"], ["fill", "value", "-0.3"],
                     ["select", "weight", "W2.0.2"], ["fill", "value", "-2.5"],
                     ["fill", "x1", "2.4"]],
         "result": forward(2.4, 0.7, "W2.0.2", -2.5)},
        {"actions": [["click", "reset", 1], ["select", "weight", "b1.1"], ["fill", "value", "-3"]],
         "result": forward(1.0, -2.0, "b1.1", -3.0)},
    ]
    return cases
