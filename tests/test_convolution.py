"""Conv2D, MaxPool2D and Flatten: against plain loops and finite differences, tie rules, clear errors.

Gradient checks follow CONTRIBUTING.md: float64, all sizes distinct
(C_in=2 != C_out=3, H=7 != W=6), asymmetric kernels, random non-zero parameters,
every parameter tensor and the input checked. The planted-bug tests show that
each check is able to fail.

A single layer is checked through the scalar C = sum(R * layer.forward(X))
with a fixed random R: then dC/d(output) = R, so backward(R) must give
dC/dX and fill dC/d(every parameter) (bp.gradcheck_layer).
"""
import numpy as np
import pytest

import bp
from bp.convolution import Conv2D, Flatten, MaxPool2D
from helpers import show


# --- Conv2D -------------------------------------------------------------------------------------


def conv2d_by_loops(X, W, b, stride, padding):
    """Cross-correlation written out plainly, one multiply-add at a time."""
    (sh, sw), (ph, pw) = stride, padding
    n_batch, c_in, H, W_in = X.shape
    c_out, _, kh, kw = W.shape
    Xp = np.zeros((n_batch, c_in, H + 2 * ph, W_in + 2 * pw))
    Xp[:, :, ph:ph + H, pw:pw + W_in] = X
    H_out, W_out = (H + 2 * ph - kh) // sh + 1, (W_in + 2 * pw - kw) // sw + 1
    Y = np.zeros((n_batch, c_out, H_out, W_out))
    for n in range(n_batch):
        for o in range(c_out):
            for i in range(H_out):
                for j in range(W_out):
                    total = b[o]
                    for c in range(c_in):
                        for p in range(kh):
                            for q in range(kw):
                                total += W[o, c, p, q] * Xp[n, c, i * sh + p, j * sw + q]
                    Y[n, o, i, j] = total
    return Y


CONV_CASES = {
    "k2x3_s2_p1": dict(kernel_size=(2, 3), stride=2, padding=1),
    "k2x3_s1_p0": dict(kernel_size=(2, 3), stride=1, padding=0),
    # strides that do not divide: the last input row and column are never read
    "k4x3_s2x3_p0x1": dict(kernel_size=(4, 3), stride=(2, 3), padding=(0, 1)),
}


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_forward_matches_plain_loops(case):
    rng = np.random.default_rng(7)
    conv = Conv2D(2, 3, rng=rng, **CONV_CASES[case])
    X = rng.normal(size=(3, 2, 7, 6))
    Y = conv.forward(X)
    np.testing.assert_allclose(Y, conv2d_by_loops(X, conv.params["W"], conv.params["b"],
                                                  conv.stride, conv.padding), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_gradients_match_finite_differences(case):
    rng = np.random.default_rng(8)
    conv = Conv2D(2, 3, rng=rng, **CONV_CASES[case])
    X = rng.normal(size=(3, 2, 7, 6))
    report = show(f"Conv2D {case}", bp.gradcheck_layer(conv, X, rng))
    assert set(report.errors) == {"W", "b", "input"}
    report.assert_ok(1e-6)


def test_conv2d_shapes_and_torch_like_init():
    rng = np.random.default_rng(9)
    conv = Conv2D(2, 3, (2, 3), stride=2, padding=1, rng=rng)
    assert conv.params["W"].shape == (3, 2, 2, 3) and conv.params["b"].shape == (3,)
    bound = 1 / np.sqrt(2 * 2 * 3)
    assert np.abs(conv.params["W"]).max() <= bound and np.abs(conv.params["b"]).max() <= bound
    Y = conv.forward(rng.normal(size=(3, 2, 7, 6)))
    assert Y.shape == (3, 3, (7 + 2 - 2) // 2 + 1, (6 + 2 - 3) // 2 + 1)
    conv.backward(np.ones_like(Y))
    assert conv.grads["W"].shape == conv.params["W"].shape and conv.grads["b"].shape == (3,)


def test_conv2d_inputs_that_no_window_reads_get_zero_gradient():
    rng = np.random.default_rng(15)
    conv = Conv2D(2, 3, rng=rng, **CONV_CASES["k4x3_s2x3_p0x1"])
    X = rng.normal(size=(3, 2, 7, 6))
    Y = conv.forward(X)
    assert Y.shape == (3, 3, 2, 2)  # rows 0..5 and (padded) columns 0..5 are read
    dX = conv.backward(rng.normal(size=Y.shape))
    assert np.all(dX[:, :, 6, :] == 0) and np.all(dX[:, :, :, 5] == 0)
    assert np.all(dX[:, :, :6, :5] != 0)


# --- MaxPool2D and Flatten ------------------------------------------------------------------


def distinct_values(rng, shape):
    """Random values with no ties and gaps far larger than the finite-difference step."""
    return rng.permutation(np.arange(np.prod(shape))).reshape(shape) * 0.1 + rng.uniform(0, 0.01, shape)


@pytest.mark.parametrize("kernel, stride", [(2, None), ((2, 3), 1)])
def test_maxpool_gradients_without_ties(kernel, stride):
    rng = np.random.default_rng(10)
    pool = MaxPool2D(kernel, stride)
    X = distinct_values(rng, (3, 2, 7, 6))
    report = show(f"MaxPool2D kernel={kernel} stride={stride}", bp.gradcheck_layer(pool, X, rng))
    report.assert_ok(1e-6)


def test_maxpool_forward_matches_plain_loops_and_default_stride_is_the_kernel():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(3, 2, 7, 6))
    pool = MaxPool2D((2, 3))
    assert pool.stride == (2, 3)
    Y = pool.forward(X)
    assert Y.shape == (3, 2, 3, 2)
    for n, c, i, j in np.ndindex(Y.shape):
        assert Y[n, c, i, j] == X[n, c, 2 * i:2 * i + 2, 3 * j:3 * j + 3].max()


def test_maxpool_tie_sends_the_whole_gradient_to_the_first_maximum_in_row_major_order():
    X = np.array([[[[1.0, 5.0, 2.0, 2.0],
                    [5.0, 5.0, 2.0, 2.0],
                    [0.0, 3.0, 7.0, 1.0],
                    [3.0, 3.0, 1.0, 7.0]]]])
    pool = MaxPool2D(2)
    assert pool.forward(X).tolist() == [[[[5.0, 2.0], [3.0, 7.0]]]]
    dY = np.array([[[[10.0, 20.0], [30.0, 40.0]]]])
    dX = pool.backward(dY)
    assert dX.tolist() == [[[[0.0, 10.0, 20.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0],
                             [0.0, 30.0, 40.0, 0.0],
                             [0.0, 0.0, 0.0, 0.0]]]]
    assert dX.sum() == dY.sum()


def test_maxpool_overlapping_windows_add_up_and_preserve_the_gradient_sum():
    rng = np.random.default_rng(12)
    X = np.round(rng.normal(size=(3, 2, 7, 6)), 0)  # rounding makes many ties
    pool = MaxPool2D((2, 3), stride=1)
    Y = pool.forward(X)
    dY = rng.normal(size=Y.shape)
    dX = pool.backward(dY)
    np.testing.assert_allclose(dX.sum(axis=(2, 3)), dY.sum(axis=(2, 3)), rtol=1e-12)
    # the same, element by element: each window passes its gradient to its first maximum
    expected = np.zeros_like(X)
    for n, c, i, j in np.ndindex(Y.shape):
        window = X[n, c, i:i + 2, j:j + 3]
        p, q = np.unravel_index(np.argmax(window), window.shape)  # first maximum, row-major
        expected[n, c, i + p, j + q] += dY[n, c, i, j]
    np.testing.assert_allclose(dX, expected, rtol=1e-12, atol=1e-15)


def test_flatten_roundtrip():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(3, 2, 7, 6))
    flat = Flatten()
    Y = flat.forward(X)
    assert Y.shape == (3, 2 * 7 * 6)
    np.testing.assert_array_equal(Y[1], X[1].ravel())  # channel, then row, then column
    np.testing.assert_array_equal(flat.backward(Y), X)


# --- a small CNN ------------------------------------------------------------------------------


def small_cnn(rng, activation):
    return bp.Sequential([Conv2D(2, 3, (2, 3), padding=1, rng=rng), activation(), MaxPool2D(2),
                          Flatten(), bp.Dense(3 * 4 * 3, 4, rng=rng)])


def safe_for_finite_differences(net, X, margin=1e-3):
    """No ReLU input near 0 and no near-tie for the maximum inside a pooling window."""
    A = X
    for layer in net.layers:
        if isinstance(layer, bp.ReLU) and np.abs(A).min() < margin:
            return False
        if isinstance(layer, MaxPool2D):
            windows = np.lib.stride_tricks.sliding_window_view(A, layer.kernel_size, axis=(2, 3))
            windows = windows[:, :, ::layer.stride[0], ::layer.stride[1]]
            top = np.sort(windows.reshape(*windows.shape[:4], -1), axis=-1)[..., -2:]
            live = top[..., 1] > 0  # a window of zeros behind a ReLU has no gradient to route
            if np.any((top[..., 1] - top[..., 0])[live] < margin):
                return False
        A = layer.forward(A)
    return True


@pytest.mark.parametrize("activation", [bp.ReLU, bp.Tanh])
def test_small_cnn_with_cross_entropy_passes_gradcheck(activation):
    rng = np.random.default_rng(14)
    net = small_cnn(rng, activation)
    X, y = rng.normal(size=(3, 2, 7, 6)), rng.integers(0, 4, 3)
    assert net.forward(X).shape == (3, 4)
    assert safe_for_finite_differences(net, X)
    report = show(f"CNN with {activation.__name__} + CE", bp.gradcheck(net, bp.CrossEntropyLoss(), X, y))
    assert set(report.errors) == {"0.W", "0.b", "4.W", "4.b", "input"}
    report.assert_ok(1e-6)


# --- planted bugs: the checks above must be able to fail ------------------------------------------


class ConvScatterOverwrites(Conv2D):
    """col2im with = instead of +=: a pixel read by several windows keeps only one window's share."""

    def _col2im(self, d_windows, padded_shape):
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        H_out, W_out = d_windows.shape[4:]
        dX_pad = np.zeros(padded_shape)
        for p in range(kh):
            for q in range(kw):
                dX_pad[:, :, p:p + sh * H_out:sh, q:q + sw * W_out:sw] = d_windows[:, :, p, q]
        return dX_pad


class ConvScatterWithoutStride(Conv2D):
    """col2im that sends tap (p, q) of window (i, j) to pixel (i + p, j + q), forgetting the stride."""

    def _col2im(self, d_windows, padded_shape):
        kh, kw = self.kernel_size
        H_out, W_out = d_windows.shape[4:]
        dX_pad = np.zeros(padded_shape)
        for p in range(kh):
            for q in range(kw):
                dX_pad[:, :, p:p + H_out, q:q + W_out] += d_windows[:, :, p, q]
        return dX_pad


class ConvBiasMean(Conv2D):
    """db averaged over positions instead of summed."""

    def backward(self, dY):
        dX = super().backward(dY)
        self.grads["b"] = dY.mean(axis=(0, 2, 3))
        return dX


@pytest.mark.parametrize("planted", [ConvScatterOverwrites, ConvScatterWithoutStride, ConvBiasMean])
def test_conv_gradcheck_catches_a_planted_mistake(planted):
    rng = np.random.default_rng(8)
    conv = planted(2, 3, (2, 3), stride=2, padding=1, rng=rng)
    report = bp.gradcheck_layer(conv, rng.normal(size=(3, 2, 7, 6)), rng)
    assert report.worst > 1e-3
    with pytest.raises(AssertionError, match="gradient check failed"):
        report.assert_ok(1e-6)


# --- clear errors -----------------------------------------------------------------------------------


def test_conv2d_shape_errors_name_the_layer_and_both_shapes():
    conv = Conv2D(2, 3, (2, 3), stride=2, padding=1, rng=np.random.default_rng(0))
    with pytest.raises(bp.ShapeError, match=r"Conv2D\(2 -> 3.*\): expected input of shape \(N, 2, H, W\), "
                                            r"got \(3, 4, 7, 6\)\. The input has 4 channels"):
        conv.forward(np.ones((3, 4, 7, 6)))
    with pytest.raises(bp.ShapeError, match=r"Conv2D\(2 -> 3.*\): expected input of shape \(N, 2, H, W\), "
                                            r"got \(2, 7, 6\)\. One image needs a batch axis"):
        conv.forward(np.ones((2, 7, 6)))
    with pytest.raises(bp.ShapeError, match=r"\(3, 2, 1, 6\) is 3x8 after padding, smaller than the 5x3 kernel"):
        Conv2D(2, 3, (5, 3), padding=1, rng=np.random.default_rng(0)).forward(np.ones((3, 2, 1, 6)))
    conv.forward(np.ones((3, 2, 7, 6)))
    with pytest.raises(bp.ShapeError, match=r"gradient dY of shape \(3, 3, 4, 3\), got \(3, 3, 4, 4\)"):
        conv.backward(np.ones((3, 3, 4, 4)))


def test_image_layer_construction_errors():
    with pytest.raises(TypeError, match="default_rng"):
        Conv2D(2, 3, 3)
    with pytest.raises(ValueError, match="kernel_size must be"):
        Conv2D(2, 3, (2, 0), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="stride must be"):
        MaxPool2D(2, stride=(1, 2, 3))


def test_image_layer_reprs(rng):
    assert repr(Conv2D(2, 3, (2, 3), stride=2, padding=1, rng=rng)) == (
        "Conv2D(2 -> 3, kernel_size=(2, 3), stride=(2, 2), padding=(1, 1))")
    assert repr(MaxPool2D(2)) == "MaxPool2D(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(Flatten()) == "Flatten()"


# --- misuse: a clear error or the right answer, never a silently wrong one -----------------
# Each case was found by using bp as its users would, and its test was seen failing
# before the fix. Messages are matched on the words that tell the user what to do.


def test_flatten_takes_an_empty_batch():
    assert bp.Flatten().forward(np.zeros((0, 2, 3, 3))).shape == (0, 18)


def test_conv2d_padding_same_as_in_pytorch(rng):
    conv = bp.Conv2D(2, 3, kernel_size=(3, 5), padding="same", rng=rng)
    assert conv.padding == (1, 2)
    assert conv.forward(rng.normal(size=(2, 2, 6, 7))).shape == (2, 3, 6, 7)
    with pytest.raises(ValueError, match=r"padding must be .*'same'.*'valid'"):
        bp.Conv2D(2, 3, 3, padding="full", rng=rng)
    with pytest.raises(ValueError, match="odd kernel"):
        bp.Conv2D(2, 3, 2, padding="same", rng=rng)
    with pytest.raises(ValueError, match="stride 1"):
        bp.Conv2D(2, 3, 3, stride=2, padding="same", rng=rng)
    with pytest.raises(ValueError, match="kernel_size must be an int >= 1 or a pair"):
        bp.Conv2D(2, 3, None, rng=rng)
