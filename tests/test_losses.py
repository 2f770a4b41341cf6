"""MSELoss, CrossEntropyLoss and softmax: values and gradients as PyTorch defines them."""
import numpy as np
import pytest

import bp
from helpers import data, small_net


def test_mse_value_and_gradient_are_torch_mean_over_all_entries():
    pred, target = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, 1.0]]), np.array([[0.0, 2.0], [1.0, 1.0], [0.0, 0.0]])
    loss = bp.MSELoss()
    assert loss.forward(pred, target) == pytest.approx((1 + 0 + 4 + 16 + 0 + 1) / 6)
    np.testing.assert_allclose(loss.backward(), 2 * (pred - target) / 6)


def test_cross_entropy_value_gradient_and_large_logits():
    logits, labels = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0], [1.0, 1.0, 1.0]]), np.array([0, 2, 1])
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    loss = bp.CrossEntropyLoss()
    assert loss.forward(logits, labels) == pytest.approx(-np.mean(np.log(p[[0, 1, 2], labels])))
    onehot = np.eye(3)[labels]
    np.testing.assert_allclose(loss.backward(), (p - onehot) / 3)
    big = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])
    assert loss.forward(big, np.array([0, 0])) == pytest.approx(0.0, abs=1e-12)
    assert loss.forward(big, np.array([1, 1])) == pytest.approx(2000.0)
    assert np.all(np.isfinite(loss.backward()))
    np.testing.assert_allclose(bp.softmax(big).sum(1), 1.0)


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.


def test_softmax_of_one_row_and_gradcheck_eps():
    with pytest.raises(bp.ShapeError, match=r"reshape\(1, -1\)"):
        bp.softmax(np.array([1.0, 2.0]))
    net, (X, y) = small_net(), data()
    with pytest.raises(ValueError, match="eps"):
        bp.gradcheck(net, bp.CrossEntropyLoss(), X, y, eps=0)
