"""What every layer of bp shares (bp/layer.py): gradients that match finite differences,
the same two clear errors, and being callable. The layers come from one table,
helpers.LAYER_FACTORIES, which must list every layer bp exports."""
import inspect

import numpy as np
import pytest

import bp
from helpers import LAYER_FACTORIES


def test_the_table_lists_every_layer_bp_exports():
    exported = {name for name, value in vars(bp).items()
                if inspect.isclass(value) and issubclass(value, bp.Layer) and value is not bp.Layer}
    assert exported == set(LAYER_FACTORIES), (
        f"add to helpers.LAYER_FACTORIES: {sorted(exported - set(LAYER_FACTORIES))}; "
        f"not layers of bp: {sorted(set(LAYER_FACTORIES) - exported)}")


@pytest.mark.parametrize("name", LAYER_FACTORIES)
def test_every_layer_matches_finite_differences(name):
    make, shape = LAYER_FACTORIES[name]
    rng = np.random.default_rng(2)
    report = bp.gradcheck_layer(make(), rng.normal(size=shape), rng)
    assert "input" in report.errors
    report.assert_ok(1e-6)


@pytest.mark.parametrize("name", LAYER_FACTORIES)
def test_every_layer_refuses_nan_input_with_its_position(name):
    make, shape = LAYER_FACTORIES[name]
    X = np.ones(shape)
    index = (1, *[0] * (len(shape) - 2), 2)
    X[index] = np.nan
    with pytest.raises(bp.NonFiniteError, match=r"nan at index " + r"\(" + ", ".join(map(str, index))):
        make().forward(X)


@pytest.mark.parametrize("name", LAYER_FACTORIES)
def test_every_layer_refuses_backward_before_forward(name):
    make, shape = LAYER_FACTORIES[name]
    with pytest.raises(bp.BackwardBeforeForwardError, match="before forward"):
        make().backward(np.ones(shape))


@pytest.mark.parametrize("name", LAYER_FACTORIES)
def test_calling_a_layer_is_its_forward_pass(name):
    make, shape = LAYER_FACTORIES[name]
    layer, X = make(), np.random.default_rng(3).normal(size=shape)
    np.testing.assert_array_equal(layer(X), layer.forward(X))
