"""Gradient descent on one weight, with the learning rate on a slider.

Chapter "What is backpropagation?": the model y_hat = w x, the loss
C(w) = (1/N) sum_i (w x_i - y_i)^2 and the step w <- w - eta C'(w) (equation
eq-one-weight). The page (gradient_descent_1d.js) takes the steps; bp takes the same
steps here, with a bias-free bp.Dense(1, 1) and bp.MSELoss, for the browser test.
"""
import numpy as np

from bp.dense import Dense
from bp.losses import MSELoss

TITLE = "Explorable: gradient descent on one weight"
START = {"lr": 1.0, "w0": -1.0, "steps": 8}       # the chapter's own run
LR = {"min": 0.05, "max": 4.0, "step": 0.05}
W0 = {"min": -1.5, "max": 4.5, "step": 0.1}
STEPS = {"min": 1, "max": 30, "step": 1}


def chapter_data():
    """The chapter's 20 points near y = 2x (the same seed and draws as the chapter)."""
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=20)
    y = 2.0 * x + 0.2 * rng.normal(size=20)
    return x, y


def descend(lr, w0, steps):
    """bp's gradient descent on w alone: the path w_0..w_steps and the loss at each w."""
    x, y = chapter_data()
    layer = Dense(1, 1, init="zeros")           # y_hat = w x + b, with b held at 0
    layer.params["W"][:] = w0
    mse, path, losses = MSELoss(), [], []
    for _ in range(steps + 1):
        w = float(layer.params["W"][0, 0])
        path.append(w)
        losses.append(float(mse.forward(layer.forward(x[:, None]), y[:, None])))
        if len(path) > steps or not np.isfinite(losses[-1]):
            break
        layer.backward(mse.backward())
        layer.params["W"] -= lr * layer.grads["W"]   # only w learns
    return {"path": path, "loss": losses}


def curvature():
    x, _ = chapter_data()
    return 2 * float(np.mean(x ** 2))            # C''(w), the same for every w


def page_data():
    x, y = chapter_data()
    return {"x": x.tolist(), "y": y.tolist(), "start": START, "lr": LR, "w0": W0, "steps": STEPS}


def describe(lr=START["lr"], w0=START["w0"], steps=START["steps"]):
    run = descend(lr, w0, steps)
    factor = 1 - lr * curvature()
    return (f"Learning rate {lr:.2f}, starting at w = {w0:.1f}: after {steps} steps "
            f"w = {run['path'][-1]:.2f} and the loss is {run['loss'][-1]:.3f}. Each step multiplies "
            f"the distance to the minimum by 1 - eta C'' = {factor:.2f}.")


def static_figure():
    import matplotlib.pyplot as plt
    x, y = chapter_data()
    run = descend(**START)
    grid = np.linspace(-1.5, 4.5, 200)
    fig, ax = plt.subplots(figsize=(5.2, 3.2))
    ax.plot(grid, [np.mean((g * x - y) ** 2) for g in grid], color="0.3")
    ax.plot(run["path"], run["loss"], "o-", color="C3", ms=5, label="steps")
    ax.set(xlabel="weight w", ylabel="loss C(w)", title="Learning rate 1.00, 8 steps")
    ax.legend()
    return fig


def reference():
    """The browser test's cases: settings made with the controls, and bp's numbers."""
    cases = []
    for lr, w0, steps in [(1.0, -1.0, 8), (0.1, 4.0, 30), (2.9, -1.5, 12), (3.5, 0.5, 10)]:
        actions = [["fill", "lr", f"{lr:g}"], ["fill", "w0", f"{w0:g}"], ["fill", "steps", f"{steps:d}"]]
        cases.append({"actions": actions, "result": descend(lr, w0, steps)})
    return cases
