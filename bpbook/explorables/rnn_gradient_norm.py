"""How far back the gradient reaches: the spectral radius of W_hh, the length of the
sequence and the saturation of tanh.

Chapter "Recurrent networks", section "Vanishing and exploding gradients": the network
of that section (32 units, W_xh = I, b = 0, the chapter's random matrix W_random with
spectral radius 1 and its random inputs X_drive, seed 3), with W_hh = radius * W0 / rho(W0),
h_t = tanh(W_xh x_t + W_hh h_{t-1} + b) (eq-rnn-cell; or h_t = z_t, the linear regime),
and a loss at the last step only, C = MSE(h_T, y). The page (rnn_gradient_norm.js) runs
the forward pass and BPTT (eq-bptt-dh, eq-bptt-dz, eq-bptt-grads) as bp.RNN does and
draws ||dC/dh_t|| for t = 1..T; bp computes the same here, for the browser test.
"""
import numpy as np

from bp.dense import Dense
from bp.losses import MSELoss
from bp.recurrent import RNN, LastTimeStep

TITLE = "Explorable: the gradient through time"
N_UNITS, T_MAX = 32, 60                       # the chapter's n_units and T_span
START = {"radius": 1.5, "T": 40, "scale": 1.0, "activation": "tanh"}
RADIUS = {"min": 0.2, "max": 3.0, "step": 0.05}
STEPS = {"min": 5, "max": T_MAX, "step": 1}
SCALE = {"min": 0.0, "max": 3.0, "step": 0.1}
ACTIVATIONS = [["tanh", "tanh (the RNN)"], ["linear", "linear (h = z)"]]


def chapter_data():
    """The chapter's W_random (spectral radius 1) and X_drive, the same seed and draws,
    then a target y for the loss at step T. Rounded (W0 to 4 decimals, X and y to 3) so
    the page carries them in a few kB; the page and bp both use the rounded numbers, and
    rho0 is the spectral radius of the rounded W0."""
    rng = np.random.default_rng(3)
    W_random = rng.normal(size=(N_UNITS, N_UNITS)) / np.sqrt(N_UNITS)
    W_random /= np.max(np.abs(np.linalg.eigvals(W_random)))
    X_drive = rng.normal(size=(T_MAX, N_UNITS))
    y = 0.5 * rng.normal(size=N_UNITS)
    W0, X, y = np.round(W_random, 4), np.round(X_drive, 3), np.round(y, 3)
    rho0 = float(np.max(np.abs(np.linalg.eigvals(W0))))
    return W0, rho0, X, y


def recurrent_weights(radius):
    """W_hh = radius * W0 / rho(W0): spectral radius `radius` (as the page computes it)."""
    W0, rho0, _, _ = chapter_data()
    return radius * W0 / rho0


def bp_tanh(radius, T, scale):
    """bp.RNN (W_xh = I, b = 0) forward on scale * x_1..x_T, MSELoss on h_T, and its BPTT.

    bp.RNN.backward returns dC/dX and the parameter gradients, not dC/dh_t. Two facts get
    dC/dh_t from bp alone: (1) with W_xh = I, dC/dx_t = W_xh^T delta_t (eq-bptt-dx) is
    delta_t = dC/dz_t itself (the chapter's cross-check does the same); (2) h_t reaches the
    cost only through z_{t+1} = W_hh h_t + ..., a dense layer, and (for t < T) directly only
    at t = T, so dC/dh_t = g_t + W_hh^T delta_{t+1} (eq-bptt-dh) is bp.Dense's backward
    (W = W_hh, b = 0) of delta_{t+1}, plus g_T = the loss gradient at the last step.
    """
    W0, rho0, X, y = chapter_data()
    rnn = RNN(N_UNITS, N_UNITS, rng=np.random.default_rng(0))
    rnn.params["W_xh"][:] = np.eye(N_UNITS)
    rnn.params["W_hh"][:] = recurrent_weights(radius)
    rnn.params["b"][:] = 0.0
    last, mse = LastTimeStep(), MSELoss()
    H = rnn.forward(scale * X[None, :T])                     # (1, T, 32)
    loss = mse.forward(last.forward(H), y[None])
    dH = last.backward(mse.backward())                       # dC/dh_t direct: zero but at t = T
    deltas = rnn.backward(dH)[0]                             # dC/dX = delta_t (W_xh = I)
    through = Dense(N_UNITS, N_UNITS, init="zeros")          # z_{t+1} = W_hh h_t (+ the rest)
    through.params["W"][:] = rnn.params["W_hh"]
    dC_dh = dH[0].copy()
    if T > 1:
        through.forward(H[0, :-1])                           # h_1 .. h_{T-1}
        dC_dh[:-1] += through.backward(deltas[1:])           # W_hh^T delta_{t+1}, t = 1..T-1
    return {"h_norm_grad": np.linalg.norm(dC_dh, axis=1).tolist(), "loss": float(loss),
            "dW_hh": rnn.grads["W_hh"].tolist()}


def bp_linear(radius, T, scale):
    """The linear RNN h_t = W_xh x_t + W_hh h_{t-1} (W_xh = I, b = 0), which bp.RNN (tanh
    only) does not offer: unrolled, as the chapter draws it, into T bp.Dense layers that
    share W_hh, one per step. Their backward passes, from step T down, are BPTT with the
    derivative of the activation 1: dC/dh_{t-1} = W_hh^T dC/dh_t, and dC/dW_hh is the sum
    of the layers' grads["W"] (eq-bptt-grads)."""
    W0, rho0, X, y = chapter_data()
    W_hh = recurrent_weights(radius)
    steps, h = [], np.zeros((1, N_UNITS))                    # h_0 = 0
    for t in range(T):
        layer = Dense(N_UNITS, N_UNITS, init="zeros")
        layer.params["W"][:] = W_hh
        h = scale * X[None, t] + layer.forward(h)            # z_t = x_t + W_hh h_{t-1}; h_t = z_t
        steps.append(layer)
    mse = MSELoss()
    loss = mse.forward(h, y[None])
    dh = mse.backward()                                      # g_T
    norms, dW_hh = [], np.zeros((N_UNITS, N_UNITS))
    for layer in reversed(steps):                            # t = T, ..., 1
        norms.append(float(np.linalg.norm(dh)))
        dh = layer.backward(dh)                              # dC/dh_{t-1} = W_hh^T dC/dh_t
        dW_hh += layer.grads["W"]                            # delta_t h_{t-1}^T
    return {"h_norm_grad": norms[::-1], "loss": float(loss), "dW_hh": dW_hh.tolist()}


def gradient_through_time(radius, T, scale, activation):
    """bp's numbers for one setting: ||dC/dh_t|| for t = 1..T, the loss, dC/dW_hh, and the
    ratio ||dC/dh_1|| / ||dC/dh_T||."""
    run = (bp_tanh if activation == "tanh" else bp_linear)(radius, T, scale)
    run["ratio"] = run["h_norm_grad"][0] / run["h_norm_grad"][-1]
    return run


def regime(ratio):
    if ratio < 1e-2:
        return "vanishes"
    if ratio > 1e2:
        return "explodes"
    return "neither vanishes nor explodes over this span"


def page_data():
    W0, rho0, X, y = chapter_data()
    return {"W0": W0.tolist(), "rho0": rho0, "X": X.tolist(), "y": y.tolist(),
            "start": START, "radius": RADIUS, "T": STEPS, "scale": SCALE,
            "activations": ACTIVATIONS}


def describe(radius=START["radius"], T=START["T"], scale=START["scale"],
             activation=START["activation"]):
    run = gradient_through_time(radius, T, scale, activation)
    ratio = run["ratio"]
    return (f"Spectral radius of W_hh {radius:.2f}, T = {T} steps, {activation}, input scale "
            f"{scale:.1f}, a loss at step {T} only: ||dC/dh_1|| / ||dC/dh_{T}|| is about "
            f"{ratio:.0e}, so the gradient {regime(ratio)} on its way back. A linear RNN would "
            f"scale it like radius^(T-1) = {radius ** (T - 1):.0e}"
            + (": saturated tanh units (1 - h_t^2 near 0) shrink every step's factor."
               if activation == "tanh" else "."))


def static_figure():
    import matplotlib.pyplot as plt
    run = gradient_through_time(**START)
    T, radius = START["T"], START["radius"]
    t = np.arange(1, T + 1)
    norms = np.array(run["h_norm_grad"])
    fig, ax = plt.subplots(figsize=(5.2, 3.2))
    ax.semilogy(t, norms, color="C0", label="‖∂C/∂h_t‖")
    ax.semilogy(t, norms[-1] * radius ** (T - t), ":", color="0.4",
                label="‖∂C/∂h_T‖ ρ^(T−t) (linear regime)")
    ax.set(xlabel="time step t", ylabel="‖∂C/∂h_t‖ (log scale)",
           title=f"ρ(W_hh) = {radius}, T = {T}, tanh, input scale {START['scale']}")
    ax.legend(loc="upper right", fontsize=9)
    return fig


def reference():
    """The browser test's cases: settings made with the controls, and bp's numbers."""
    # At radius 3 the tanh states wander chaotically and amplify the last-bit differences
    # between the page's sums and numpy's BLAS: T = 40 keeps that near 1e-12 (at T = 60
    # and input scale 0.5 it reaches 1e-9, the test's tolerance) and still explodes.
    cases = []
    for activation, radius, T, scale in [("tanh", 1.5, 40, 1.0), ("tanh", 0.9, 60, 0.3),
                                         ("tanh", 3.0, 40, 1.0), ("linear", 1.2, 30, 1.0),
                                         ("linear", 0.6, 12, 2.5), ("tanh", 2.0, 5, 0.0)]:
        actions = [["select", "activation", activation], ["fill", "radius", f"{radius:g}"],
                   ["fill", "T", f"{T:d}"], ["fill", "scale", f"{scale:g}"]]
        cases.append({"actions": actions,
                      "result": gradient_through_time(radius, T, scale, activation)})
    return cases
