"""Convolution, max pooling and flattening for image batches (N, C, H, W).

Derived in the chapter "Convolutional networks". As in PyTorch, the forward
operation is cross-correlation (the kernel is *not* flipped):

    Y[n, o, i, j] = b[o] + sum_{c, p, q} W[o, c, p, q] * Xpad[n, c, i*s + p, j*s + q]

Every sum runs over whole arrays at once, with no Python loop over pixels or
output positions. The padded input is cut into its windows ("im2col"): each
window's c_in*kh*kw numbers become one column of a matrix, one column per output
position, and then all positions meet all kernels in one matrix product,

    Y[n] = W_mat @ columns[n],      W_mat = W reshaped to (c_out, c_in*kh*kw).

Backward, with dY = dC/dY of shape (N, C_out, H_out, W_out), is that product
read backwards:

    dC/db     = dY summed over n, i, j
    dC/dW_mat = sum_n dY[n] @ columns[n]^T       (the cross-correlation of X with dY)
    dC/dcolumns[n] = W_mat^T @ dY[n]             (what each window's entries receive)

and dC/dX adds each window's share back to the pixel it was read from
("col2im"): tap (p, q) of window (i, j) read pixel (i*s + p, j*s + q). Pixels
read by several windows collect from each. This scatter is the sum the chapter
derives for dC/dX; the chapter shows it equals the full convolution of dY with
the kernel rotated by 180 degrees, and checks bp against that formula.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .errors import ShapeError, as_float_array, check_finite, check_rng, check_shape
from .layer import Layer


def _pair(value, name, who, minimum):
    """Accept an int or a pair of ints (height, width), like PyTorch; return a pair."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else value
    if (not isinstance(pair, (tuple, list)) or len(pair) != 2
            or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < minimum
                   for v in pair)):
        raise ValueError(f"{who}: {name} must be an int >= {minimum} or a pair of them, got {value!r}.")
    return int(pair[0]), int(pair[1])


def _padding(padding, kernel_size, stride, who):
    """An int or pair, or PyTorch's names: "valid" (no padding) and "same" (output the
    size of the input: stride 1, kernel_size // 2 on each side of an odd kernel)."""
    if padding == "valid":
        return 0, 0
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"{who}: padding='same' needs stride 1 (as in PyTorch), got stride {stride}.")
        if kernel_size[0] % 2 == 0 or kernel_size[1] % 2 == 0:
            raise ValueError(f"{who}: padding='same' needs an odd kernel size, so that the same "
                             f"number of zeros goes on each side; got {kernel_size}.")
        return kernel_size[0] // 2, kernel_size[1] // 2
    if isinstance(padding, str):
        raise ValueError(f"{who}: padding must be an int >= 0, a pair of them, 'same' or 'valid', "
                         f"got {padding!r}.")
    return _pair(padding, "padding", who, 0)


def _patches(X, kernel, stride):
    """All kernel-sized windows of X, as a view (no copy).

    X: (N, C, H, W) -> (N, C, H_out, W_out, kh, kw) with
    patches[n, c, i, j] = X[n, c, i*sh : i*sh + kh, j*sw : j*sw + kw].
    """
    (kh, kw), (sh, sw) = kernel, stride
    windows = sliding_window_view(X, (kh, kw), axis=(2, 3))  # every window, stride 1
    return windows[:, :, ::sh, ::sw]                         # keep every s-th: the stride


def _zero_pad(X, ph, pw):
    """X (N, C, H, W) with ph rows of zeros above and below and pw columns left and right.

    Same as np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw))), which is several times
    slower on small images because it handles every kind of padding.
    """
    N, C, H, W = X.shape
    padded = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    padded[:, :, ph:ph + H, pw:pw + W] = X
    return padded


def _output_size(X_shape, kernel, stride, padding):
    """(H_out, W_out) = ((H + 2 ph - kh) // sh + 1, (W + 2 pw - kw) // sw + 1)."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    return (X_shape[2] + 2 * ph - kh) // sh + 1, (X_shape[3] + 2 * pw - kw) // sw + 1


def _check_images(X, channels, who):
    """Images come as (N, C, H, W); explain the usual mistakes in the reader's terms."""
    try:
        check_shape(X, (None, channels, None, None), who)
    except ShapeError as error:
        shown = f"(N, {'C' if channels is None else channels}, H, W)"
        if X.ndim == 3:
            hint = " One image needs a batch axis: X.reshape(1, C, H, W)."
        elif X.ndim == 4:
            hint = f" The input has {X.shape[1]} channels on axis 1; this layer was built for {channels}."
        else:
            hint = ""
        raise ShapeError(f"{who}: expected input of shape {shown}, got {X.shape}.{hint}") from error


def _check_fits(X, kernel, padding, who):
    """The (padded) image must be at least as large as the kernel, or there is no output."""
    (kh, kw), (ph, pw) = kernel, padding
    H, W = X.shape[2] + 2 * ph, X.shape[3] + 2 * pw
    if H < kh or W < kw:
        raise ShapeError(f"{who}: input of shape {X.shape} is {H}x{W} after padding, smaller than "
                         f"the {kh}x{kw} kernel; there is no position to put the kernel.")


class Conv2D(Layer):
    """2-D convolution (cross-correlation) like ``torch.nn.Conv2d``.

    Derived in the chapter "Convolutional networks".

    Parameters
    ----------
    c_in, c_out : int
        Channels of the input and of the output (number of kernels).
    kernel_size : int or (kh, kw)
    stride : int or (sh, sw), default 1
    padding : int or (ph, pw), default 0 -- zeros added on every side; or "valid"
        (no padding) or "same" (stride 1 and an odd kernel: output as large as input).
    rng : numpy.random.Generator or int (a seed)
        As in PyTorch, W and b start uniform in +-1/sqrt(c_in * kh * kw).

    Shapes: input (N, c_in, H, W) -> output (N, c_out, H_out, W_out) with
    H_out = (H + 2 ph - kh) // sh + 1 and W_out = (W + 2 pw - kw) // sw + 1.
    ``params``: "W" (c_out, c_in, kh, kw), "b" (c_out,). When the stride
    does not divide evenly, the last rows/columns are never read (as in
    PyTorch) and their gradient is zero.
    """

    def __init__(self, c_in, c_out, kernel_size, stride=1, padding=0, *, rng=None):
        super().__init__()
        if int(c_in) != c_in or int(c_out) != c_out or c_in < 1 or c_out < 1:
            raise ValueError(f"Conv2D: c_in and c_out must be positive integers, got {c_in} and {c_out}.")
        rng = check_rng(rng, "Conv2D")
        self.c_in, self.c_out = int(c_in), int(c_out)
        self.kernel_size = _pair(kernel_size, "kernel_size", "Conv2D", 1)
        self.stride = _pair(stride, "stride", "Conv2D", 1)
        self.padding = _padding(padding, self.kernel_size, self.stride, "Conv2D")
        kh, kw = self.kernel_size
        bound = 1.0 / np.sqrt(self.c_in * kh * kw)  # fan_in = c_in * kh * kw, as torch.nn.Conv2d
        self.params = {
            "W": rng.uniform(-bound, bound, size=(self.c_out, self.c_in, kh, kw)),
            "b": rng.uniform(-bound, bound, size=self.c_out),
        }

    def forward(self, X):
        """Y[n, o] = b[o] + sum_c (X[n, c] cross-correlated with W[o, c]).  (N, c_in, H, W) -> (N, c_out, H_out, W_out)."""
        X = as_float_array(X, self)
        _check_images(X, self.c_in, self)
        _check_fits(X, self.kernel_size, self.padding, self)
        check_finite(X, self)
        (kh, kw), (ph, pw) = self.kernel_size, self.padding
        X_pad = _zero_pad(X, ph, pw)                                 # zeros around each image
        patches = _patches(X_pad, self.kernel_size, self.stride)     # (N, c_in, H_out, W_out, kh, kw), a view
        N, _, H_out, W_out = patches.shape[:4]
        # im2col: column (i, j) of image n holds the window that output (i, j) reads,
        # ordered (c, p, q) like the entries of one kernel. This is a copy, kh*kw times
        # the size of X, kept for backward.
        columns = patches.transpose(0, 1, 4, 5, 2, 3).reshape(N, self.c_in * kh * kw, H_out * W_out)
        W_mat = self.params["W"].reshape(self.c_out, -1)             # one kernel per row
        Y = W_mat @ columns                                          # (N, c_out, H_out*W_out)
        Y += self.params["b"][None, :, None]                         # one bias per output channel
        self._cache = (X.shape, columns)
        return Y.reshape(N, self.c_out, H_out, W_out)

    def backward(self, dY, input_grad=True):
        """dY: (N, c_out, H_out, W_out) -> dC/dX: (N, c_in, H, W); fills grads "W" and "b".

        The chapter's equation (eq-conv-im2col), then col2im. ``input_grad=False``
        skips dC/dX (the first layer's input is the data)."""
        X_shape, columns = self._cached()
        N = X_shape[0]
        H_out, W_out = _output_size(X_shape, self.kernel_size, self.stride, self.padding)
        dY = as_float_array(dY, self, "gradient dY")
        check_shape(dY, (N, self.c_out, H_out, W_out), self, "gradient dY")
        dY_mat = dY.reshape(N, self.c_out, H_out * W_out)            # Y[n] = W_mat @ columns[n], read backwards:

        # Every output position used b[o] once, and W[o, c, p, q] times the input value it read.
        self.grads["b"] = dY.sum(axis=(0, 2, 3))
        dW_mat = (dY_mat @ columns.transpose(0, 2, 1)).sum(axis=0)  # sum_n dY[n] @ columns[n]^T
        self.grads["W"] = dW_mat.reshape(self.params["W"].shape)
        if not input_grad:
            return None
        return self._input_gradient(dY, X_shape)

    def _input_gradient(self, dY, X_shape):
        """dC/dX: every window entry's gradient, added back to the pixel it was read from."""
        N, _, H, W = X_shape
        _, _, H_out, W_out = dY.shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        W_mat = self.params["W"].reshape(self.c_out, -1)
        # Entry (c, p, q) of window (i, j) was multiplied by W[o, c, p, q] for every output channel o.
        d_columns = W_mat.T @ dY.reshape(N, self.c_out, H_out * W_out)   # (N, c_in*kh*kw, H_out*W_out)
        d_windows = d_columns.reshape(N, self.c_in, kh, kw, H_out, W_out)

        dX_pad = self._col2im(d_windows, (N, self.c_in, H + 2 * ph, W + 2 * pw))
        # Rows/columns past the last window were never read: their gradient stays 0.
        return dX_pad[:, :, ph:ph + H, pw:pw + W]  # the padding zeros are not inputs: drop them

    def _col2im(self, d_windows, padded_shape):
        """The reverse of cutting the padded input into windows: add each window entry's
        gradient to the pixel it was read from.  d_windows: (N, c_in, kh, kw, H_out, W_out)."""
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        H_out, W_out = d_windows.shape[4:]
        dX_pad = np.zeros(padded_shape)
        # Tap (p, q) of window (i, j) read padded pixel (i*sh + p, j*sw + q). Windows overlap,
        # so a pixel collects from several of them: add (+=), one tap at a time.
        for p in range(kh):
            for q in range(kw):
                dX_pad[:, :, p:p + sh * H_out:sh, q:q + sw * W_out:sw] += d_windows[:, :, p, q]
        return dX_pad

    def __repr__(self):
        return (f"Conv2D({self.c_in} -> {self.c_out}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding})")


class MaxPool2D(Layer):
    """Max pooling like ``torch.nn.MaxPool2d`` (no padding, floor of the output size).

    Derived in the chapter "Convolutional networks".

    Each output is the maximum of a kh x kw window; windows move by
    ``stride``, which defaults to the kernel size, as in PyTorch.
    Shapes: (N, C, H, W) -> (N, C, (H - kh) // sh + 1, (W - kw) // sw + 1).

    Backward: the max is locally y = x_m for the winning element m, so the
    window's whole gradient goes to that one element and 0 to the others.
    Where windows overlap (stride < kernel) an element that wins several
    windows receives the sum of their gradients.

    Ties: if several elements of a window share the maximum, the whole
    gradient goes to ONE of them, the first in row-major order (smallest
    row, then smallest column), as PyTorch does. It is not split, so the
    total gradient is preserved either way.
    """

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size", "MaxPool2D", 1)
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride", "MaxPool2D", 1)

    def forward(self, X):
        """(N, C, H, W) -> (N, C, H_out, W_out), the maximum of each window."""
        X = as_float_array(X, self)
        _check_images(X, None, self)
        _check_fits(X, self.kernel_size, (0, 0), self)
        check_finite(X, self)
        windows = _patches(X, self.kernel_size, self.stride)    # (N, C, H_out, W_out, kh, kw)
        N, C, H_out, W_out, kh, kw = windows.shape
        flat = windows.reshape(N, C, H_out, W_out, kh * kw)    # each window as a row-major list
        winner = flat.argmax(axis=-1)                            # argmax picks the FIRST maximum: the tie rule
        Y = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
        self._cache = (X.shape, winner)
        return Y

    def backward(self, dY, input_grad=True):
        """dY: (N, C, H_out, W_out) -> dC/dX: (N, C, H, W), nonzero only at each window's maximum."""
        X_shape, winner = self._cached()
        dY = as_float_array(dY, self, "gradient dY")
        check_shape(dY, winner.shape, self, "gradient dY")
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        N, C, H_out, W_out = winner.shape
        # Where in X did each winner sit? window (i, j) starts at (i*sh, j*sw); the winner is
        # at offset (winner // kw, winner % kw) inside it.
        n, c, i, j = np.indices(winner.shape, sparse=True)
        rows = i * sh + winner // kw
        cols = j * sw + winner % kw
        dX = np.zeros(X_shape)
        # add.at, not dX[...] = dY: with overlapping windows one element can win several times,
        # and each of those windows passes it a gradient.
        np.add.at(dX, (n, c, rows, cols), dY)
        return dX

    def __repr__(self):
        return f"MaxPool2D(kernel_size={self.kernel_size}, stride={self.stride})"


class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W), like ``torch.nn.Flatten``; backward reshapes back.

    Derived in the chapter "Convolutional networks": it only renames the
    entries, so the gradient is the same numbers in the original shape.
    Any input with a batch axis and at least one more axis is accepted.
    """

    def forward(self, X):
        X = as_float_array(X, self)
        if X.ndim < 2:
            raise ShapeError(f"{self}: expected input of shape (N, ...) with at least 2 axes, got {X.shape}.")
        check_finite(X, self)
        self._cache = X.shape
        return X.reshape(X.shape[0], int(np.prod(X.shape[1:])))  # row-major (C, then H, then W), as torch.flatten

    def backward(self, dY, input_grad=True):
        shape = self._cached()
        dY = as_float_array(dY, self, "gradient dY")
        check_shape(dY, (shape[0], int(np.prod(shape[1:]))), self, "gradient dY")
        return dY.reshape(shape)
