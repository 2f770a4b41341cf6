"""Chapter 10, "Convolutional networks": exercises 1 to 7.

Exercise 4's answer is a kernel, and every kernel equal to its 180-degree rotation is
right, so it has a small exercise class of its own here (``KernelExercise``): checking.py
compares a value with one reference, and a mistake with one wrong value.
"""
import numpy as np

from .checking import Exercise, FunctionExercise, Mistake, ValueExercise

WHERE = 'the chapter "Convolutional networks"'
BACKWARD = f'{WHERE}, section "Backpropagation through a convolution"'


# ---------------------------------------------------------------- exercise 3


def conv_1x1(X, W, b):
    """The reference: Conv2D(c_in, c_out, 1) with weight W (c_out, c_in, 1, 1) and bias b,
    by bp. It equals Dense(c_in, c_out) with W[:, :, 0, 0] at every pixel."""
    import bp
    c_out, c_in = W.shape[:2]
    conv = bp.Conv2D(c_in, c_out, 1, rng=0)
    conv.params["W"][:], conv.params["b"][:] = W, b
    return conv.forward(X)


def _conv_1x1_variant(kind):
    def forward(X, W, b):
        N, c_in, n_h, n_w = X.shape
        M = W[:, :, 0, 0]
        if kind == "transposed" and M.shape[0] == M.shape[1]:
            M = M.T
        if kind == "no transpose":                     # reshape without moving the channels
            pixels = X.reshape(-1, c_in)
        else:
            pixels = X.transpose(0, 2, 3, 1).reshape(-1, c_in)
        Z = pixels @ M.T + (0 if kind == "no bias" else b)
        if kind == "no transpose":
            return Z.reshape(N, M.shape[0], n_h, n_w)
        return Z.reshape(N, n_h, n_w, M.shape[0]).transpose(0, 3, 1, 2)
    return forward


def _conv_1x1_cases(rng):
    cases = []
    for label, N, c_in, c_out, n_h, n_w in (
            ("N = 3, C_in = 4, C_out = 2, a 5 x 6 image", 3, 4, 2, 5, 6),
            ("N = 5, C_in = 3, C_out = 6, a 2 x 7 image", 5, 3, 6, 2, 7),
            ("C_in = C_out = 3, where a transposed matrix fits", 4, 3, 3, 2, 5)):
        X = rng.normal(size=(N, c_in, n_h, n_w))
        W = rng.normal(size=(c_out, c_in, 1, 1))
        b = rng.normal(size=c_out)
        cases.append((label, (X, W, b)))
    return cases


# ---------------------------------------------------------------- exercise 4


class KernelMistake(Mistake):
    """A mistake for exercise 4: a kind of kernel, recognised by ``test(kernel)``;
    ``variant`` is one kernel of that kind."""

    def __init__(self, name, message, variant, test):
        super().__init__(name, message, np.array(variant, dtype=float))
        self.test = test


def rotated(kernel):
    """The kernel rotated by 180 degrees in its last two axes (its rows and columns)."""
    return kernel[..., ::-1, ::-1]


class KernelExercise(Exercise):
    """The answer is a kernel (an array, 2-D or more): right if the check of the section
    "A planted mistake is caught" could not tell the unrotated backward pass from the
    right one, that is if the kernel equals its 180-degree rotation."""

    kind = "value"

    def __init__(self, exercise_id, title, answer_form, where, reference, mistakes=()):
        super().__init__(exercise_id, title, answer_form, where, mistakes)
        self.reference = np.array(reference, dtype=float)

    def check(self, answer):
        if answer is ... or answer is None:
            return self.not_attempted()
        try:
            kernel = np.array(answer, dtype=float)
        except (TypeError, ValueError):
            return self.result(False, f"expected {self.answer_form}; got a {type(answer).__name__}")
        if kernel.ndim < 2:
            return self.result(False, f"expected a 2-D kernel (rows and columns); got an array of "
                                      f"shape {kernel.shape}")
        if min(kernel.shape[-2:]) < 2 or not np.any(kernel):
            return self.result(False, "a 1 x 1 kernel or a kernel of zeros passes any check of "
                                      "the rotation trivially: give one of at least 2 x 2, not all "
                                      f"zero. See {self.where}.")
        if not np.all(np.isfinite(kernel)):
            return self.result(False, "the kernel contains NaN or infinity")
        if np.allclose(kernel, rotated(kernel), rtol=0, atol=1e-12):
            size = "x".join(str(n) for n in kernel.shape[-2:])
            return self.result(True, f"that {size} kernel equals its 180-degree rotation, so the "
                                     "layer that forgets the rotation computes the right dX with "
                                     "it, and the check cannot fail.")
        for mistake in self.mistakes:
            if mistake.test(kernel):
                return self.result(False, f"{mistake.message} See {self.where}.")
        return self.result(False, "that kernel differs from its 180-degree rotation, so the "
                                  "layer that forgets the rotation gives another dX and the "
                                  f"check catches it. See {self.where}.")


def _not_rotation_symmetric(kernel):
    return not np.allclose(kernel, rotated(kernel), rtol=0, atol=1e-12)


def _transpose_symmetric(kernel):
    square = kernel.shape[-1] == kernel.shape[-2]
    return square and np.allclose(kernel, np.swapaxes(kernel, -1, -2)) \
        and _not_rotation_symmetric(kernel)


def _left_right(kernel):
    return np.allclose(kernel, kernel[..., :, ::-1]) and _not_rotation_symmetric(kernel)


def _up_down(kernel):
    return np.allclose(kernel, kernel[..., ::-1, :]) and _not_rotation_symmetric(kernel)


# ---------------------------------------------------------------- exercise 5


def average_pool_backward(dY, k, input_shape):
    """The reference: dC/dX of k x k average pooling with stride k, for an input of
    input_shape (N, C, n_h, n_w): each input of a window gets dY / k^2, the inputs that no
    window reads get 0."""
    dX = np.zeros(input_shape)
    m_h, m_w = dY.shape[2:]
    dX[:, :, :m_h * k, :m_w * k] = np.kron(dY, np.ones((k, k))) / k ** 2
    return dX


def _average_pool_variant(kind):
    def backward(dY, k, input_shape):
        dX = np.zeros(input_shape)
        m_h, m_w = dY.shape[2:]
        if kind == "first element":                    # max pooling's routing, to a fixed place
            dX[:, :, :m_h * k:k, :m_w * k:k] = dY
            return dX
        share = {"sum": 1, "divided by k": k}[kind]
        dX[:, :, :m_h * k, :m_w * k] = np.kron(dY, np.ones((k, k))) / share
        return dX
    return backward


def _average_pool_cases(rng):
    cases = []
    for label, shape, k in (("an input of shape (3, 2, 7, 6), k = 3", (3, 2, 7, 6), 3),
                            ("an input of shape (4, 3, 8, 8), k = 2", (4, 3, 8, 8), 2),
                            ("k = 1, where pooling changes nothing", (3, 1, 4, 5), 1)):
        N, C, n_h, n_w = shape
        dY = rng.normal(size=(N, C, n_h // k, n_w // k))
        cases.append((label, (dY, k, shape)))
    return cases


# ---------------------------------------------------------------- exercise 6


def conv_transpose(dY, kernel, stride):
    """The reference: the transposed convolution of one channel, no padding, by scattering:
    each dY[i, j] adds dY[i, j] times the kernel into the window that output (i, j) read."""
    kh, kw = kernel.shape
    m_h, m_w = dY.shape
    out = np.zeros((stride * (m_h - 1) + kh, stride * (m_w - 1) + kw))
    for i in range(m_h):
        for j in range(m_w):
            out[stride * i:stride * i + kh, stride * j:stride * j + kw] += dY[i, j] * kernel
    return out


def full_correlation(dY, kernel, stride, rotate=True):
    """dX as the book's full convolution: dY dilated by the stride, padded by k - 1 on
    every side, cross-correlated with the kernel rotated by 180 degrees (eq-conv-dx),
    (eq-conv-stride); with rotate=False, the mistake that forgets the rotation."""
    kh, kw = kernel.shape
    m_h, m_w = dY.shape
    dilated = np.zeros((stride * (m_h - 1) + 1, stride * (m_w - 1) + 1))
    dilated[::stride, ::stride] = dY
    padded = np.pad(dilated, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    K = kernel[::-1, ::-1] if rotate else kernel
    out = np.zeros((padded.shape[0] - kh + 1, padded.shape[1] - kw + 1))
    for u in range(out.shape[0]):
        for v in range(out.shape[1]):
            out[u, v] = np.sum(padded[u:u + kh, v:v + kw] * K)
    return out


def _conv_transpose_variant(kind):
    def scatter(dY, kernel, stride):
        if kind == "unrotated":
            return full_correlation(dY, kernel, stride, rotate=False)
        kh, kw = kernel.shape
        m_h, m_w = dY.shape
        s = 1 if kind == "no stride" else stride
        out = np.zeros((s * (m_h - 1) + kh, s * (m_w - 1) + kw))
        for i in range(m_h):
            for j in range(m_w):
                window = (slice(s * i, s * i + kh), slice(s * j, s * j + kw))
                if kind == "overwrite":
                    out[window] = dY[i, j] * kernel
                else:
                    out[window] += dY[i, j] * kernel
        return out
    return scatter


def _conv_transpose_cases(rng):
    cases = []
    for label, m, k, stride in (("a 3 x 3 dY, a 3 x 2 kernel, stride 2", (3, 3), (3, 2), 2),
                                ("a 4 x 5 dY, a 2 x 3 kernel, stride 1", (4, 5), (2, 3), 1),
                                ("a 2 x 3 dY, a 4 x 3 kernel, stride 3", (2, 3), (4, 3), 3),
                                ("a 1 x 1 dY, a 3 x 2 kernel, stride 2", (1, 1), (3, 2), 2)):
        cases.append((label, (rng.normal(size=m), rng.normal(size=k), stride)))
    return cases


# ---------------------------------------------------------------- the exercises

EXERCISES = [
    ValueExercise(
        "10.1", "the sizes after a 5 x 5 convolution (stride 2, padding 1) and 2 x 2 max pooling",
        "two numbers: the height (= width) after the convolution, then after the pooling",
        f'{WHERE}, section "The operation", equation (eq-conv-size)',
        reference=[13, 6], names=["after the convolution", "after the pooling"], tolerance=0,
        mistakes=[
            Mistake("off by one", "the convolution's size is one short: (eq-conv-size) is "
                    "floor((n_h + 2 pad - k_h) / s) + 1, with the padding on both sides and the "
                    "+ 1 for the first window.", [12, 6]),
            Mistake("no stride", "the stride is missing: with stride 2 only every other window "
                    "is kept, floor((n_h + 2 pad - k_h) / s) + 1.", [26, 13]),
            Mistake("no floor", "the floor is missing: a window that does not fit is dropped, "
                    "so the sizes are whole numbers.", [13.5, 6.75]),
            Mistake("pool rounded up", "pooling reads whole windows only: floor((n - 2) / 2) + 1, "
                    "so the last row and column of an odd-sized map are never read.", [13, 7]),
        ]),
    ValueExercise(
        "10.2", "the parameters of Conv2D(3, 16, 5) and of a dense layer with the same "
        "input and output",
        "two numbers: the parameters of Conv2D(3, 16, 5), then of the dense layer",
        f'{WHERE}, section "What a convolutional layer does"',
        reference=[16 * 3 * 5 * 5 + 16, 3072 * 12544 + 12544], names=["conv", "dense"], tolerance=0,
        mistakes=[
            Mistake("no biases", "both counts lack the biases: one per output channel for the "
                    "convolution, one per output for the dense layer.",
                    [16 * 3 * 5 * 5, 3072 * 12544]),
            Mistake("no conv bias", "the convolution's biases are missing, one per output channel: "
                    "C_out C_in k_h k_w + C_out.", [16 * 3 * 5 * 5, 3072 * 12544 + 12544]),
            Mistake("no dense bias", "the dense layer's biases are missing, one per output.",
                    [16 * 3 * 5 * 5 + 16, 3072 * 12544]),
            Mistake("one input channel", "each kernel spans all 3 input channels: the convolution "
                    "has C_out C_in k_h k_w + C_out parameters.",
                    [16 * 5 * 5 + 16, 3072 * 12544 + 12544]),
        ]),
    FunctionExercise(
        "10.3", "Conv2D(c_in, c_out, 1) as a dense layer at every pixel",
        "a function my_conv1x1(X, W, b) that returns the output of Conv2D(c_in, c_out, 1), shape "
        "(N, c_out, n_h, n_w), computed with one matrix product as Dense computes it",
        f'{WHERE}, section "The operation", equation (eq-conv-forward)',
        reference=conv_1x1, cases=_conv_1x1_cases, outputs=["Y"],
        shapes=lambda args: {"Y": "(N, C_out, n_h, n_w)"},
        mistakes=[
            Mistake("no transpose", "pixels and channels are mixed: X.reshape(-1, C_in) does not "
                    "give one row per pixel. Move the channel axis last first (X.transpose(0, 2, 3, "
                    "1)), then reshape, and move it back at the end.",
                    _conv_1x1_variant("no transpose")),
            Mistake("transposed", "the matrix is transposed: output channel o reads row o of "
                    "W[:, :, 0, 0], which has shape (C_out, C_in) like Dense's W.",
                    _conv_1x1_variant("transposed")),
            Mistake("no bias", "the bias is missing: Y_{n,o,i,j} = b_o + sum_c W_{o,c,0,0} "
                    "X_{n,c,i,j}.", _conv_1x1_variant("no bias")),
        ]),
    KernelExercise(
        "10.4", "a kernel for which the check of the unrotated backward pass would pass",
        "a kernel, a 2-D array of at least 2 x 2 (a list of rows will do)",
        f'{WHERE}, sections "The input" (equation (eq-conv-dx)) and "A planted mistake is caught"',
        reference=[[1, 2, 3], [3, 2, 1]],
        mistakes=[
            KernelMistake("transpose-symmetric", "your kernel equals its transpose, not its "
                          "180-degree rotation: the rotation flips the rows upside down *and* "
                          "the columns left to right, W_rot[p, q] = W[k_h-1-p, k_w-1-q].",
                          [[1, 2], [2, 3]], _transpose_symmetric),
            KernelMistake("left-right", "your kernel is its own mirror image left to right, but the "
                          "180-degree rotation also flips it upside down: W_rot[p, q] = "
                          "W[k_h-1-p, k_w-1-q].", [[1, 2, 1], [3, 4, 3]], _left_right),
            KernelMistake("up-down", "your kernel is its own mirror image upside down, but the "
                          "180-degree rotation also flips it left to right: W_rot[p, q] = "
                          "W[k_h-1-p, k_w-1-q].", [[1, 2], [1, 2]], _up_down),
        ]),
    FunctionExercise(
        "10.5", "the backward pass of k x k average pooling with stride k",
        "a function my_average_pool_backward(dY, k, input_shape) that returns dC/dX, of the "
        "input's shape (N, C, n_h, n_w); n_h and n_w need not be multiples of k (the rows and "
        "columns no window reads get 0)",
        f'{WHERE}, section "Max pooling and flattening", equation (eq-pool-grad), and the '
        'solution of exercise 5',
        reference=average_pool_backward, cases=_average_pool_cases, outputs=["dX"],
        shapes=lambda args: {"dX": "the shape of the input X"},
        mistakes=[
            Mistake("sum", "a sum where the mean belongs: each input of a window gets the whole "
                    "dY, which is the gradient of a window's sum. The mean divides by k^2, so "
                    "each input gets dY / k^2.", _average_pool_variant("sum")),
            Mistake("divided by k", "a window has k^2 inputs, so the mean divides by k^2, not k.",
                    _average_pool_variant("divided by k")),
            Mistake("first element", "that routes each window's dY to one element, as max pooling "
                    "does; the mean reads every input of the window, so each gets dY / k^2.",
                    _average_pool_variant("first element")),
        ]),
    FunctionExercise(
        "10.6", "the transposed convolution by scattering",
        "a function my_conv_transpose(dY, kernel, stride) for one channel and no padding, that "
        "returns an array of s (m_h - 1) + k_h rows and s (m_w - 1) + k_w columns",
        f'{BACKWARD}, equations (eq-conv-dx-sum), (eq-conv-dx) and (eq-conv-stride)',
        reference=conv_transpose, cases=_conv_transpose_cases, outputs=["dX"],
        shapes=lambda args: {"dX": "s (m_h - 1) + k_h rows and s (m_w - 1) + k_w columns"},
        mistakes=[
            Mistake("unrotated kernel", "the kernel's orientation is wrong: a rotation by 180 "
                    "degrees done once too many or once too few. Scattering adds dY[i, j] W as it "
                    "is (not rotated); seen as a full convolution, the same dX is dY^pad "
                    "cross-correlated with W rotated by 180 degrees, W^rot. Yours is the other way "
                    "round.",
                    _conv_transpose_variant("unrotated")),
            Mistake("overwrite", "where two windows overlap, the second overwrites the first: a "
                    "pixel read by several outputs gets the sum of their contributions (+=, "
                    "not =).", _conv_transpose_variant("overwrite")),
            Mistake("no stride", "the windows are placed one pixel apart: output (i, j) read the "
                    "window that starts at (s i, s j).", _conv_transpose_variant("no stride")),
        ]),
    ValueExercise(
        "10.7", "the receptive fields of two stacks of convolutions",
        "two numbers: the receptive field (in pixels, in each direction) of the strided stack, "
        "then of three 3 x 3 layers with stride 1",
        f'{WHERE}, section "Stacked layers and receptive fields", equation (eq-receptive-field)',
        reference=[17, 7], names=["strided stack", "three 3 x 3 layers"], tolerance=0,
        mistakes=[
            Mistake("no strides", "the strides are missing: a step between neighbouring units of "
                    "layer l - 1 is s_1 ... s_(l-1) input pixels, so r_l = r_(l-1) + (k_l - 1) "
                    "s_1 ... s_(l-1).", [9, 7]),
            Mistake("last stride only", "the spacing of layer 2's units is s_1 s_2, the product of "
                    "all the strides before layer 3, not s_2 alone.", [13, 7]),
            Mistake("own stride", "a layer's own stride does not widen its field: r_l = r_(l-1) "
                    "+ (k_l - 1) s_1 ... s_(l-1), with the strides of the layers before it.",
                    [15, 7]),
            Mistake("own stride in the product", "the product s_1 ... s_(l-1) stops before layer "
                    "l: its own stride spaces its outputs, not its inputs.", [25, 7]),
            Mistake("kernel sizes added", "the fields do not add whole kernels: each layer adds "
                    "k_l - 1 steps of its input's spacing, r_l = r_(l-1) + (k_l - 1) "
                    "s_1 ... s_(l-1).", [11, 9]),
        ]),
]
