"""The data sets of bp.datasets: shapes, repeatable draws, a fixed stratified digits split."""
import numpy as np
import pytest

import bp


def test_data_sets_shapes_and_repeatability():
    X, y = bp.datasets.xor()
    assert X.shape == (4, 2) and y.tolist() == [0, 1, 1, 0]
    for make in (bp.datasets.two_spirals, bp.datasets.moons):
        X1, y1 = make(50, np.random.default_rng(3))
        X2, _ = make(50, np.random.default_rng(3))
        assert X1.shape == (100, 2) and y1.shape == (100,) and np.bincount(y1).tolist() == [50, 50]
        np.testing.assert_array_equal(X1, X2)
    x, t = bp.datasets.regression_curve(30, np.random.default_rng(0))
    assert x.shape == t.shape == (30, 1)


def test_digits_split_is_stratified_and_fixed():
    data = bp.datasets.digits()
    assert data.X_train.shape == (1347, 64) and data.X_test.shape == (450, 64)
    assert data.X_train.min() >= 0.0 and data.X_train.max() <= 1.0
    counts_all = np.bincount(np.concatenate([data.y_train, data.y_test]))
    assert counts_all.sum() == 1797
    assert np.all(np.abs(np.bincount(data.y_test) - 0.25 * counts_all) <= 1)
    np.testing.assert_array_equal(bp.datasets.digits().y_test, data.y_test)


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.

# Empty or huge data --------------------------------------------------------------------------


def test_data_sets_refuse_empty_or_impossible_sizes(rng):
    with pytest.raises(ValueError, match="n_per_class must be a positive integer"):
        bp.datasets.moons(-5, rng)
    with pytest.raises(ValueError, match="noise must be"):
        bp.datasets.moons(5, rng, noise=-0.1)
    with pytest.raises(ValueError, match="at most"):
        bp.datasets.two_spirals(10**9, rng)
    with pytest.raises(ValueError, match="no training examples"):
        bp.datasets.digits(test_fraction=0.9999)
