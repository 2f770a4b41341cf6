"""The backward pass of chapter 4's 2-3-1 network, stepped one node at a time.

Chapter "Backpropagation calculations", section "A backward pass in numbers": the
hand-weighted 2-3-1 network of the chapter on forward propagation (sigmoid hidden
units, an identity output), a target y and the squared error C = (a^2 - y)^2. The page
(backward_pass.js) computes (BP1), then (BP3)/(BP4) for the output layer, then (BP2)
for each hidden unit, then (BP3)/(BP4) for the first layer, one step per "Next". bp
computes the same numbers here with bp.Sequential, bp.MSELoss and Sequential.backward.
"""
import numpy as np

from bp.activations import Sigmoid
from bp.dense import Dense
from bp.losses import MSELoss
from bp.network import Sequential

TITLE = "Explorable: the backward pass, one node at a time"
# chapter 4's weights (the chapter's cell "A backward pass in numbers")
WEIGHTS = {"0.W": [[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]], "0.b": [0.1, 0.0, -0.2],
           "2.W": [[1.0, -1.5, 0.7]], "2.b": [0.3]}
START = {"x1": 1.0, "x2": -2.0, "y": 1.0}
X_RANGE = {"min": -3.0, "max": 3.0, "step": 0.1}
Y_RANGE = {"min": -2.0, "max": 2.0, "step": 0.1}
# The steps: 0 = forward pass only; 1 = delta^2 (BP1); 2 = dC/dW^2, dC/db^2 (BP3, BP4);
# 3, 4, 5 = delta^1_1, delta^1_2, delta^1_3 (BP2); 6 = dC/dW^1, dC/db^1 (BP3, BP4).
LAST_STEP = 6


def network():
    """The chapter's 2-3-1 network in bp, with its weights loaded."""
    model = Sequential([Dense(2, 3, init="zeros"), Sigmoid(), Dense(3, 1, init="zeros")])
    model.load_state_dict({name: np.array(value, dtype=float) for name, value in WEIGHTS.items()})
    return model


def backward_pass(x1, x2, y):
    """bp's forward and backward pass for one example: activations, cost, deltas, gradients."""
    model, loss = network(), MSELoss()
    X, Y = np.array([[x1, x2]]), np.array([[y]])
    prediction = model.forward(X)
    cost = loss.forward(prediction, Y)
    model.backward(loss.backward())
    grads = {name: layer.grads[key] for name, _, layer, key in model.named_parameters()}
    a1 = model.layers[1]._cache.ravel()    # the sigmoid layer's stored output a^1
    return {"a1": a1.tolist(), "a2": float(prediction[0, 0]), "C": float(cost),
            # for one example dC/db = delta (BP4), so bp's bias gradients are the deltas
            "delta2": grads["2.b"].tolist(), "dW2": grads["2.W"].tolist(), "db2": grads["2.b"].tolist(),
            "delta1": grads["0.b"].tolist(), "dW1": grads["0.W"].tolist(), "db1": grads["0.b"].tolist()}


def known_at(step, full):
    """What the page has computed after `step` presses of Next (null: not yet)."""
    step = max(0, min(LAST_STEP, step))
    units = max(0, min(3, step - 2))        # hidden deltas known after steps 3, 4, 5
    return {"step": step, "a2": full["a2"], "C": full["C"],
            "delta2": full["delta2"] if step >= 1 else None,
            "dW2": full["dW2"] if step >= 2 else None,
            "db2": full["db2"] if step >= 2 else None,
            "delta1": None if units == 0 else [d if j < units else None
                                               for j, d in enumerate(full["delta1"])],
            "dW1": full["dW1"] if step >= 6 else None,
            "db1": full["db1"] if step >= 6 else None}


def page_data():
    return {"weights": WEIGHTS, "start": START, "x": X_RANGE, "y": Y_RANGE, "last": LAST_STEP}


def describe():
    r = backward_pass(**START)
    d1 = ", ".join(f"{d:.3f}" for d in r["delta1"])
    return (f"Input x = ({START['x1']:.0f}, {START['x2']:.0f}), target y = {START['y']:.0f}: the "
            f"output is a^2 = {r['a2']:.3f} and the cost C = {r['C']:.3f}. Stepping backwards: "
            f"delta^2 = 2(a^2 - y) = {r['delta2'][0]:.3f} (BP1); dC/dW^2 = delta^2 (a^1)^T (BP3); "
            f"each hidden unit's delta^1_j = w^2_1j delta^2 sigma'(z^1_j) (BP2) gives delta^1 = "
            f"({d1}); then dC/dW^1 = delta^1 x^T (BP3) and dC/db^1 = delta^1 (BP4).")


def static_figure():
    import matplotlib.pyplot as plt
    r = backward_pass(**START)
    W2 = np.array(WEIGHTS["2.W"])
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    xs, hs = [0.75, 0.25], [0.85, 0.5, 0.15]
    red, orange = "C3", "C1"
    for yk in xs:
        for yj in hs:
            ax.plot([0.08, 0.45], [yk, yj], color="0.75", lw=0.8, zorder=1)
    for j, yj in enumerate(hs):
        ax.annotate("", xy=(0.57, yj), xytext=(0.78, 0.5),
                    arrowprops=dict(arrowstyle="-|>", color=red, lw=1.3))
        ax.text(0.675, (yj + 0.5) / 2 + 0.045, f"{W2[0, j]:g}", color=orange, fontsize=9, ha="center")
        sp = r["a1"][j] * (1 - r["a1"][j])
        ax.text(0.51, yj, f"$a^1_{j + 1}$={r['a1'][j]:.3f}\n$\\sigma'$={sp:.3f}\n"
                f"$\\delta^1_{j + 1}$={r['delta1'][j]:.3f}", ha="center", va="center", fontsize=8.5,
                bbox=dict(fc="white", ec="0.3", boxstyle="round,pad=0.3"), zorder=3)
    for k, yk in enumerate(xs):
        ax.text(0.05, yk, f"$x_{k + 1}$={[START['x1'], START['x2']][k]:g}", ha="center", va="center",
                fontsize=9, bbox=dict(fc="white", ec="0.3", boxstyle="round,pad=0.3"), zorder=3)
    ax.text(0.88, 0.5, f"$a^2$={r['a2']:.3f}\ny={START['y']:g}\nC={r['C']:.3f}\n"
            f"$\\delta^2$={r['delta2'][0]:.3f}", ha="center", va="center", fontsize=8.5,
            bbox=dict(fc="white", ec=red, boxstyle="round,pad=0.3"), zorder=3)
    ax.set(xlim=(-0.02, 1.0), ylim=(0.0, 1.0))
    ax.axis("off")
    ax.set_title("Every delta of the backward pass (x = (1, -2), y = 1)", fontsize=10)
    return fig


def reference():
    """The browser test's cases (run one after another on the same page)."""
    def case(actions, step, x1, x2, y):
        return {"actions": actions, "result": known_at(step, backward_pass(x1, x2, y))}
    fill = lambda name, v: ["fill", name, f"{v:g}"]      # noqa: E731
    return [
        case([["click", "reset", 1], fill("x1", 1), fill("x2", -2), fill("y", 1), ["click", "next", 2]],
             2, 1.0, -2.0, 1.0),
        case([["click", "next", 2]], 4, 1.0, -2.0, 1.0),
        case([fill("y", -0.5), ["click", "next", 2]], 6, 1.0, -2.0, -0.5),
        case([["click", "back", 3], fill("x1", 2.5), fill("x2", 0.7)], 3, 2.5, 0.7, -0.5),
        case([["click", "reset", 1], ["click", "next", 9], fill("x1", -1.3), fill("y", 1.8)],
             6, -1.3, 0.7, 1.8),
        case([["click", "back", 1]], 5, -1.3, 0.7, 1.8),
    ]
