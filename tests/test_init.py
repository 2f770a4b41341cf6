"""The weight initializers of bp.init: their scales, and why equal weights never learn.

The chapter "The backpropagation algorithm" shows why the scale matters and why
all-equal weights never break symmetry.
"""
import warnings

import numpy as np
import pytest

import bp


def test_symmetric_initialization_never_breaks_symmetry():
    X, y = bp.datasets.xor()
    for init in (bp.init.zeros, bp.init.constant(0.3)):
        net = bp.Sequential([bp.Dense(2, 4, init=init), bp.Tanh(), bp.Dense(4, 2, init=init)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, 0.5), epochs=200)
        if init is bp.init.zeros:
            # this run ends no better than guessing, and fit says why
            assert history.accuracy[-1] == 0.5
            assert "Layer 0 has every unit's weights equal" in str(caught[0].message)
        W = net.layers[0].params["W"]
        assert np.allclose(W, W[0])  # every hidden unit has the same incoming weights


def test_initializer_scales(rng):
    assert np.std(bp.init.he(400, 300, rng)) == pytest.approx(np.sqrt(2 / 300), rel=0.05)
    assert np.std(bp.init.xavier(400, 300, rng)) == pytest.approx(np.sqrt(2 / 700), rel=0.05)
    W = bp.init.pytorch_default(400, 300, rng)
    assert np.abs(W).max() <= 1 / np.sqrt(300) and np.abs(W).max() > 0.95 / np.sqrt(300)
