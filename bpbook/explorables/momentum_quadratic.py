"""Gradient descent with momentum on the chapter's quadratics, with the learning rate,
the momentum and the number of steps on sliders (in the spirit of Goh's "Why momentum
really works", Distill 2017).

Chapter "Updating the weights". Three quadratic costs, each the mean squared error of
one bp.Dense layer, so bp computes it and bp.SGD(net, lr, momentum) trains it:

- "valley": the chapter's C = theta^T H theta / 2 with H = [[5, 8], [8, 17]]
  (curvatures 1 and 21, kappa = 21), started at theta_0 = (-3.5, 2.5) as in the
  chapter's figures. It is the mean squared error of a Dense(2, 1) whose bias is held at
  0, on four points X with target 0: (1/4) ||X theta||^2 = theta^T (X^T X / 4) theta and
  X^T X = 2 H.
- "raw" and "standardised": the chapter's regression data of the section on
  standardising (seed 7), its first feature only (mean 4, spread 2), fitted with a
  Dense(1, 1) and its bias: theta = (w, b), from zero weights. Raw, kappa is about 85;
  standardised, kappa = 1 (equation eq-standardised-hessian).

The update is (eq-heavy-ball), bp.SGD's and torch.optim.SGD's form: v <- mu v + g
(v = g at the first step), theta <- theta - eta v. A run stops at the first step whose
predictions or loss are not finite numbers (the page stops at the same step).
"""
import numpy as np

from bp.dense import Dense
from bp.losses import MSELoss
from bp.network import Sequential
from bp.optim import SGD

TITLE = "Explorable: momentum on an ill-conditioned quadratic"
START = {"problem": "valley", "lr": 0.0909, "momentum": 0.0, "steps": 40}
STEPS = {"min": 1, "max": 200, "step": 1}
# The chapter's best plain rates 2/(lambda_min + lambda_max) (eq-best-rate), for the valley
# and the raw feature, and 0.5 standardised. Momentum's optimal rates are added exactly
# (optimum), so that the slider reaches them.
CHAPTER_RATES = (0.0909, 0.0587, 0.5)
VALLEY_X = np.array([[3.0, 5.0], [1.0, 1.0], [0.0, 2.0], [0.0, 2.0]])   # X^T X = 2 H
H_VALLEY = np.array([[5.0, 8.0], [8.0, 17.0]])
LABELS = {"valley": "the valley, κ = 21", "raw": "raw feature, κ ≈ 85",
          "standardised": "standardised feature, κ = 1"}


def learning_rates():
    """The slider's rates: 20 per decade from 0.001 to 2 (3 significant digits), the
    chapter's own plain rates, and each problem's optimal momentum rate eta*."""
    grid = {float(f"{10 ** (k / 20):.3g}") for k in range(-60, 7)}
    optimal = {optimum(p)["lr"] for p in problems().values()}
    return sorted(grid | set(CHAPTER_RATES) | optimal)


def momenta():
    """The momentum slider's values: 0 to 0.99 in steps of 0.01, and each problem's optimal
    momentum mu* (the valley's 0.4118... lies between 0.41 and 0.42)."""
    grid = {k / 100 for k in range(100)}
    return sorted(grid | {optimum(p)["momentum"] for p in problems().values()})


def optimum(problem):
    """Momentum's best eta and mu for a problem (eq-momentum-optimal):
    mu* = ((sqrt(kappa) - 1)/(sqrt(kappa) + 1))^2, eta* = (2/(sqrt(l_min) + sqrt(l_max)))^2,
    which put lambda_min and lambda_max at the ends of the window where every direction
    shrinks by sqrt(mu*) per step. Rounded to 12 decimals, so that rounding noise does not
    add a second 0 or 0.5 to the sliders (the standardised problem has kappa = 1)."""
    lams = quadratic(problem)["lambdas"]
    kappa = lams[-1] / lams[0]
    mu = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    eta = (2 / (np.sqrt(lams[0]) + np.sqrt(lams[-1]))) ** 2
    return {"lr": round(float(eta), 12), "momentum": round(float(mu), 12)}


def chapter_regression():
    """The chapter's data of the section on standardising: X_raw (100, 3), y_raw (100, 1)."""
    data_rng = np.random.default_rng(7)
    means, spreads = np.array([4.0, -2.0, 0.0]), np.array([2.0, 0.5, 0.1])
    X_raw = means + spreads * data_rng.normal(size=(100, 3))
    y_raw = X_raw @ np.array([[0.5], [-1.0], [3.0]]) + 1.0 + 0.1 * data_rng.normal(size=(100, 1))
    return X_raw, y_raw


def problems():
    """Each problem: inputs X (N, n), targets y (N, 1), whether the bias learns, theta_0."""
    X_raw, y_raw = chapter_regression()
    x = X_raw[:, :1]
    x_std = (x - x.mean(axis=0)) / x.std(axis=0)        # the training set's m_j and s_j
    return {
        "valley": {"X": VALLEY_X, "y": np.zeros((4, 1)), "bias": False, "theta0": [-3.5, 2.5],
                   "names": ["θ₁", "θ₂"], "view": [[-4.5, 4.5], [-3.0, 3.0]]},
        "raw": {"X": x, "y": y_raw, "bias": True, "theta0": [0.0, 0.0],
                "names": ["weight w", "bias b"], "view": [[-3.5, 4.5], [-1.0, 5.0]]},
        "standardised": {"X": x_std, "y": y_raw, "bias": True, "theta0": [0.0, 0.0],
                         "names": ["weight w", "bias b"], "view": [[-1.5, 3.0], [-0.5, 5.5]]},
    }


def quadratic(problem):
    """The exact quadratic of a problem: its Hessian H = (2/N) X~^T X~ (the bias column
    left out when the bias is held), eigenvalues lambda_i (ascending) with eigenvectors
    q_i as columns, the minimum theta* and C_min."""
    X, y = problem["X"], problem["y"]
    X_tilde = np.hstack([X, np.ones((len(X), 1))]) if problem["bias"] else X
    H = 2 / len(X) * X_tilde.T @ X_tilde
    lams, Q = np.linalg.eigh(H)
    theta_star = np.linalg.lstsq(X_tilde, y, rcond=None)[0].ravel()
    c_min = float(np.mean((X_tilde @ theta_star - y.ravel()) ** 2))
    return {"H": H, "lambdas": lams, "Q": Q, "minimum": theta_star, "cmin": c_min}


def descend(problem="valley", lr=START["lr"], momentum=START["momentum"], steps=START["steps"]):
    """bp.SGD(net, lr, momentum) on the problem's Dense layer and bp.MSELoss: theta_0 ..
    theta_steps and the loss at each, up to the first non-finite prediction or loss."""
    p = problems()[problem]
    X, y = p["X"], p["y"]
    layer = Dense(X.shape[1], 1, init="zeros")
    net = Sequential([layer])
    layer.params["W"][0, :] = p["theta0"][:X.shape[1]]
    if p["bias"]:
        layer.params["b"][0] = p["theta0"][-1]
    optimizer, mse = SGD(net, lr, momentum=momentum), MSELoss()
    theta, loss = [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            pred = net.forward(X)
            if not np.all(np.isfinite(pred)):
                break
            value = mse.forward(pred, y)
            if not np.isfinite(value):
                break
            params = list(layer.params["W"][0]) + (list(layer.params["b"]) if p["bias"] else [])
            theta.append([float(v) for v in params])
            loss.append(float(value))
            if t == steps:
                break
            net.backward(mse.backward(), input_grad=False)
            if not p["bias"]:
                layer.grads["b"][:] = 0.0          # the valley's bias is held at 0
            optimizer.step()                       # (eq-heavy-ball)
    return {"theta": theta, "loss": loss}


def page_data():
    data = {"start": START, "lr": {"values": learning_rates()}, "momentum": {"values": momenta()},
            "steps": STEPS, "problems": {}}
    for name, p in problems().items():
        q = quadratic(p)
        data["problems"][name] = {
            "label": LABELS[name], "X": p["X"].tolist(), "y": p["y"].ravel().tolist(),
            "bias": p["bias"], "theta0": p["theta0"], "names": p["names"], "view": p["view"],
            "lambdas": q["lambdas"].tolist(), "Q": q["Q"].tolist(),
            "minimum": q["minimum"].tolist(), "cmin": q["cmin"], "optimum": optimum(p)}
    return data


def rate_per_step(lr, momentum, lam):
    """The size |z| of the larger root of z^2 - (1 + mu - eta lambda) z + mu
    (eq-momentum-roots): how much the direction of curvature lambda shrinks per step."""
    return float(max(abs(np.roots([1.0, -(1 + momentum - lr * lam), momentum]))))


def describe(problem=START["problem"], lr=START["lr"], momentum=START["momentum"],
             steps=START["steps"]):
    run = descend(problem, lr, momentum, steps)
    lams = quadratic(problems()[problem])["lambdas"]
    rates = [rate_per_step(lr, momentum, lam) for lam in lams]
    best = optimum(problems()[problem])
    best_rates = [rate_per_step(best["lr"], best["momentum"], lam) for lam in lams]
    shrink = " and ".join(dict.fromkeys(f"{r:.3f}" for r in best_rates))   # one number if equal
    return (f"On {LABELS[problem]}, learning rate {lr:.3g} and momentum {momentum:.2f}: after "
            f"{steps} steps the loss is {run['loss'][-1]:.3g}. Per step the flat direction "
            f"shrinks by {rates[0]:.3f} and the steep one by {rates[1]:.3f}, so the path "
            f"zig-zags across the valley and creeps along it. With momentum's optimal "
            f"μ* = {best['momentum']:.3f} and η* = {best['lr']:.3g} both shrink by {shrink} per step.")


def static_figure():
    import matplotlib.pyplot as plt
    p = problems()[START["problem"]]
    q = quadratic(p)
    run = descend(**START)
    theta = np.array(run["theta"])
    fig, (ax_path, ax_c) = plt.subplots(1, 2, figsize=(5.2, 3.2), width_ratios=[1.25, 1])
    grid = np.linspace(-4.5, 4.5, 201)
    G1, G2 = np.meshgrid(grid, grid)
    H = q["H"]
    cost = 0.5 * (H[0, 0] * G1**2 + 2 * H[0, 1] * G1 * G2 + H[1, 1] * G2**2)
    ax_path.contour(G1, G2, cost, levels=np.geomspace(0.1, 60, 9), colors="0.8", linewidths=0.8)
    ax_path.plot(*theta.T, "-o", color="C0", ms=2, lw=1)
    ax_path.plot(0, 0, "k*", ms=8)
    ax_path.set(xlim=(-4.5, 4.5), ylim=(-3, 3), aspect="equal", xlabel="θ₁", ylabel="θ₂",
                title="η = 0.0909, μ = 0")
    coords = np.abs((theta - q["minimum"]) @ q["Q"])
    steps = np.arange(len(theta))
    ax_c.semilogy(steps, coords[:, 0], color="C2", label="|c₁| flat")
    ax_c.semilogy(steps, coords[:, 1], color="C3", label="|c₂| steep")
    ax_c.set(xlabel="step t", title="|c₁| and |c₂|, log scale")
    ax_c.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lr_index(lr):
    return learning_rates().index(lr)


def momentum_index(mu):
    return momenta().index(mu)


def reference():
    """The browser test's cases: settings made with the controls, and bp's numbers."""
    best = optimum(problems()["valley"])
    settings = [
        ("valley", 0.0909, 0.0, 40),       # the chapter's plain run: zig-zag and crawl
        ("valley", best["lr"], best["momentum"], 60),   # momentum's optimum (eq-momentum-optimal)
        ("valley", 0.112, 0.9, 120),       # too much momentum: a slow spiral
        ("valley", 2.0, 0.0, 200),         # diverges; stops where the numbers overflow
        ("raw", 0.0587, 0.0, 150),         # kappa ~ 85 at its best plain rate
        ("standardised", 0.5, 0.0, 5),     # kappa = 1: one step to the minimum
    ]
    cases = []
    for problem, lr, momentum, steps in settings:
        actions = [["select", "problem", problem], ["fill", "lr", str(lr_index(lr))],
                   ["fill", "momentum", str(momentum_index(momentum))], ["fill", "steps", f"{steps:d}"]]
        cases.append({"actions": actions, "result": descend(problem, lr, momentum, steps)})
    # the button that sets momentum's optimum, on the raw feature
    raw = optimum(problems()["raw"])
    cases.append({"actions": [["select", "problem", "raw"], ["fill", "steps", "100"],
                              ["click", "optimum", 1]],
                  "result": descend("raw", raw["lr"], raw["momentum"], 100)})
    return cases
