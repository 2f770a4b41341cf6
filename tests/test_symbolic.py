"""The four backpropagation equations checked exactly against sympy.diff of the whole cost.

These are the book's central claim: each test builds a network symbol by
symbol (bp.symbolic), differentiates its cost with sympy, and requires the
gradients of (BP1)-(BP4) to equal those derivatives exactly. Sizes are all
distinct and N >= 3, so a missing transpose or a missing 1/N cannot hide.
"""
import numpy as np
import pytest
import sympy as sp

from bp import symbolic as S

ARCHITECTURES = [
    # (sizes, activations, loss)
    ((2, 3, 4), ("sigmoid", "sigmoid"), "mse"),
    ((2, 3, 4), ("tanh", "tanh"), "mse"),
    ((2, 3, 4), ("sigmoid", "identity"), "cross_entropy"),
    ((2, 3, 4), ("tanh", "identity"), "cross_entropy"),
    ((2, 3, 4), ("relu", "sigmoid"), "mse"),
]


def _id(arch):
    sizes, activations, loss = arch
    return "-".join(map(str, sizes)) + "-" + "+".join(activations) + "-" + loss


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=_id)
def test_backprop_equations_equal_sympy_diff_exactly(arch):
    sizes, activations, loss = arch
    net = S.SymbolicNetwork(sizes, activations, loss, N=3)
    result = S.check_backprop_equations(net)
    assert set(result) == {f"{p}{l}" for l in range(1, len(sizes)) for p in "Wb"}
    assert all(result.values()), result


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=_id)
def test_bp_backward_matches_lambdified_sympy_gradients(arch):
    sizes, activations, loss = arch
    net = S.SymbolicNetwork(sizes, activations, loss, N=3)
    errors = S.compare_with_bp(net, np.random.default_rng(7))
    assert len(errors) == 2 * (len(sizes) - 1)
    assert max(errors.values()) < 1e-10, errors


def test_batch_of_four_with_other_labels():
    net = S.SymbolicNetwork((3, 4, 2), ("tanh", "identity"), "cross_entropy", N=4, labels=(1, 0, 0, 1))
    assert all(S.check_backprop_equations(net).values())


def test_activation_derivatives_in_closed_form():
    assert S.check_activation_derivatives() == {"sigmoid": True, "tanh": True, "relu": True, "identity": True}


@pytest.mark.parametrize("N, K", [(3, 4), (4, 3)])
def test_loss_gradients_in_closed_form(N, K):
    assert S.check_loss_gradients(N, K) == {"mse": True, "cross_entropy": True}


# --- the checks must be able to fail -------------------------------------------------


def test_sigma_prime_at_a_instead_of_z_is_rejected():
    """The classic slip: applying sigma' to the activation a = sigma(z) instead of to z."""
    wrong = dict(S.DERIVATIVES)
    wrong["sigmoid"] = lambda z: S.sigmoid(S.sigmoid(z)) * (1 - S.sigmoid(S.sigmoid(z)))
    net = S.SymbolicNetwork((2, 3, 4), ("sigmoid", "sigmoid"), "mse", N=3)
    assert not any(S.check_backprop_equations(net, wrong).values())


def test_wrong_tanh_derivative_is_rejected():
    wrong = dict(S.DERIVATIVES)
    wrong["tanh"] = lambda z: 1 - z ** 2  # tanh'(z) is 1 - tanh(z)^2, not 1 - z^2
    net = S.SymbolicNetwork((2, 3, 4), ("tanh", "tanh"), "mse", N=3)
    result = S.check_backprop_equations(net, wrong)
    assert not any(result.values()), result


def test_missing_transpose_is_rejected():
    """dC/dW^l = (delta^l)^T A^{l-1}; delta^l A^{l-1}^T-like shortcuts have the wrong shape."""
    net = S.SymbolicNetwork((2, 3, 4), ("sigmoid", "sigmoid"), "mse", N=3)
    delta = net.deltas()
    wrong = net.A[0].T * delta[1]                  # (n_0, n_1) instead of (n_1, n_0)
    assert not S.matrices_equal(wrong, net.gradients_by_diff()["W1"])
    assert S.matrices_equal(wrong.T, net.gradients_by_diff()["W1"])   # ...the transpose is right


def test_missing_one_over_n_is_rejected():
    net = S.SymbolicNetwork((2, 3, 4), ("tanh", "identity"), "cross_entropy", N=3)
    right = net.gradients_by_backprop()["W2"]
    assert not S.matrices_equal(right * net.N, net.gradients_by_diff()["W2"])


def test_is_zero_proves_and_refutes():
    z, w = sp.symbols("z w", real=True)
    # true identities, in forms sympy.diff actually produces
    assert S.is_zero(S.sigmoid(z) * (1 - S.sigmoid(z)) - sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
    assert S.is_zero(sp.diff(sp.tanh(w * z), w) - z * (1 - sp.tanh(w * z) ** 2))
    assert S.is_zero(S.relu(z) * sp.Piecewise((1, z > 0), (0, True)) - S.relu(z))
    # false ones
    assert not S.is_zero(S.sigmoid(z) - sp.tanh(z))
    assert not S.is_zero(S.sigmoid(z) * (1 - S.sigmoid(z)) - S.sigmoid(z))
    assert not S.is_zero(S.relu(z) - z)


def test_symbolic_network_rejects_bad_arguments():
    with pytest.raises(ValueError, match="need 2 activations"):
        S.SymbolicNetwork((2, 3, 4), ("tanh",), "mse")
    with pytest.raises(ValueError, match="unknown activation"):
        S.SymbolicNetwork((2, 3, 4), ("tanh", "softplus"), "mse")
    with pytest.raises(ValueError, match="must be 'identity'"):
        S.SymbolicNetwork((2, 3, 4), ("tanh", "sigmoid"), "cross_entropy")
    with pytest.raises(ValueError, match="labels"):
        S.SymbolicNetwork((2, 3, 4), ("tanh", "identity"), "cross_entropy", N=3, labels=(0, 4, 1))


def test_symbolic_network_refuses_float_labels():
    from bp.symbolic import SymbolicNetwork
    with pytest.raises(ValueError, match="integers"):
        SymbolicNetwork(sizes=(2, 2), activations=("identity",), N=2, loss="cross_entropy", labels=(0.7, 1.2))


def test_name_derivatives_writes_sigma_prime():
    from bp.symbolic import name_derivatives, sigma, sigma_prime
    x, w, b = sp.symbols("x w b", real=True)
    derivative = name_derivatives(sp.diff(sigma(w * x + b) ** 2, w))
    assert not derivative.has(sp.Subs) and not derivative.has(sp.Derivative)
    assert S.is_zero(derivative - 2 * sigma(w * x + b) * sigma_prime(w * x + b) * x)
    assert not S.is_zero(derivative - 2 * sigma(w * x + b) * sigma_prime(w * x + b))


# --- deeper networks: 3-4-5-2 -------------------------------------------------------------
# Two hidden layers, so (BP2) carries delta back through more than one layer. The
# slowest tests of the suite (about a minute and a half).


DEEP = [
    ((3, 4, 5, 2), ("tanh", "sigmoid", "sigmoid"), "mse"),
    ((3, 4, 5, 2), ("sigmoid", "tanh", "identity"), "cross_entropy"),
]


@pytest.mark.parametrize("arch", DEEP, ids=["mse", "cross_entropy"])
def test_deep_network_backprop_equations_exact_and_bp_agrees(arch):
    sizes, activations, loss = arch
    net = S.SymbolicNetwork(sizes, activations, loss, N=3)
    result = S.check_backprop_equations(net)
    assert set(result) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    assert all(result.values()), result
    errors = S.compare_with_bp(net, np.random.default_rng(7))
    assert max(errors.values()) < 1e-10, errors
