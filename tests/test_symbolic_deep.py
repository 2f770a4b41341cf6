"""The exact backprop-equation checks of test_symbolic.py on deeper 3-4-5-2 networks.

A separate file only so that pytest-xdist runs these slow checks (about a
minute) in parallel with the rest.
"""
import numpy as np
import pytest

from bp import symbolic as S

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
