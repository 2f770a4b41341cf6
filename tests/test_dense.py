"""Dense: the parameters its constructor builds.

Its gradients are checked in whole networks (test_network.py), its error messages
in test_errors.py.
"""
import numpy as np

import bp


def test_pytorch_init_by_name_or_by_function_gives_the_same_layer():
    by_name = bp.Dense(4, 3, rng=np.random.default_rng(0), init="pytorch")
    by_function = bp.Dense(4, 3, rng=np.random.default_rng(0), init=bp.init.pytorch_default)
    for key in ("W", "b"):
        np.testing.assert_array_equal(by_name.params[key], by_function.params[key])
    assert np.all(by_function.params["b"] != 0)
