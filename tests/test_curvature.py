"""The Hessian and sharpness of bp.curvature.

The Hessian test uses linear regression, whose Hessian is known exactly:
C = (1/N) ||X~ theta - y||^2 has H = (2/N) X~^T X~ (chapter "Updating the weights").
Shapes are distinct (N=7, 3 -> 2 outputs) so a transposed block would show.
"""
import numpy as np
import pytest

import bp


def linear_regression(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(7, 3)) * np.array([2.0, 1.0, 0.3])
    y = rng.normal(size=(7, 2))
    layer = bp.Dense(3, 2, rng=rng)
    return bp.Sequential([layer]), X, y


def exact_hessian_of_linear_regression(X, n_out):
    """H of MSE (mean over N * n_out entries) in the order W (row-major (n_out, n_in)), then b."""
    N, n_in = X.shape
    X_tilde = np.hstack([X, np.ones((N, 1))])
    block = 2 / (N * n_out) * X_tilde.T @ X_tilde        # one output's (w_j, b_j) block
    H = np.zeros((n_out * (n_in + 1), n_out * (n_in + 1)))
    for j in range(n_out):
        w_rows = np.arange(j * n_in, (j + 1) * n_in)           # W[j, :] in the flattened W
        rows = np.append(w_rows, n_out * n_in + j)             # then b[j]
        H[np.ix_(rows, rows)] = block
    return H


def test_hessian_of_linear_regression_is_exact():
    net, X, y = linear_regression()
    H = bp.hessian(net, bp.MSELoss(), X, y)
    assert H.shape == (8, 8)
    assert bp.relative_error(H, exact_hessian_of_linear_regression(X, 2)) < 1e-7


def test_hessian_restores_the_weights_and_is_symmetric():
    rng = np.random.default_rng(1)
    net = bp.Sequential([bp.Dense(2, 5, rng=rng), bp.Tanh(), bp.Dense(5, 3, rng=rng)])
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 3, size=6)
    before = [param.copy() for _, param, _ in net.parameters()]
    H = bp.hessian(net, bp.CrossEntropyLoss(), X, y)
    for original, (_, param, _) in zip(before, net.parameters()):
        assert np.array_equal(original, param)
    assert np.array_equal(H, H.T)
    assert H.shape == (net.n_params, net.n_params)


def test_hessian_of_a_tanh_network_matches_second_differences_of_the_cost():
    """Independent of backprop: d^2 C / d theta_i d theta_j from four cost evaluations."""
    rng = np.random.default_rng(2)
    net = bp.Sequential([bp.Dense(1, 3, rng=rng), bp.Tanh(), bp.Dense(3, 1, rng=rng)])
    X, y = rng.normal(size=(5, 1)), rng.normal(size=(5, 1))
    loss = bp.MSELoss()
    H = bp.hessian(net, loss, X, y)
    params = [param.reshape(-1) for _, param, _ in net.parameters()]
    slots = [(p, i) for p in params for i in range(p.size)]

    def cost():
        return loss.forward(net.forward(X), y)

    h = 1e-4
    second = np.empty_like(H)
    for a, (pa, ia) in enumerate(slots):
        for b, (pb, ib) in enumerate(slots):
            values = []
            for sa, sb in [(1, 1), (1, -1), (-1, 1), (-1, -1)]:
                pa[ia] += sa * h
                pb[ib] += sb * h
                values.append(cost())
                pa[ia] -= sa * h
                pb[ib] -= sb * h
            second[a, b] = (values[0] - values[1] - values[2] + values[3]) / (4 * h * h)
    assert bp.relative_error(H, second) < 1e-5


def test_sharpness_is_the_largest_eigenvalue_and_sets_the_stable_rate():
    net, X, y = linear_regression()
    lam = bp.sharpness(net, bp.MSELoss(), X, y)
    assert lam == pytest.approx(np.linalg.eigvalsh(exact_hessian_of_linear_regression(X, 2))[-1], rel=1e-7)
    # A quadratic cost: just below 2 / lambda_max converges, just above diverges.
    for factor, converges in [(0.95, True), (1.05, False)]:
        net, X, y = linear_regression()
        start = bp.MSELoss().forward(net.forward(X), y)
        history = None
        try:
            history = bp.fit(net, bp.MSELoss(), X, y, bp.SGD(net, factor * 2 / lam), epochs=400)
        except bp.TrainingDiverged:
            pass
        assert (history is not None and history.loss[-1] < start) == converges
