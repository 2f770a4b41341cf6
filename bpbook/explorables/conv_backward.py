"""Which kernel taps and which entries of dY make one pixel of dX, with stride and padding.

Chapter "Convolutional networks". The forward pass is the cross-correlation
(eq-conv-forward), Y[i, j] = sum_{p,q} W[p, q] Xpad[s i + p, s j + q]; its input
gradient is the sum (eq-conv-dx-sum), with stride and padding (eq-conv-stride):

    dC/dXpad[U, V] = sum over the taps (p, q) and outputs (i, j) with s i + p = U and
                     s j + q = V of dY[i, j] W[p, q],

and dC/dX is dC/dXpad with the padding cut off. Written with the kernel rotated by
180 degrees, the tap that dY[i, j] meets is W^rot[kh-1-p, kw-1-q] (eq-conv-dx).
bp computes it as col2im (eq-conv-im2col): every tap (p, q) of every window (i, j)
adds dY[i, j] W[p, q] to the pixel it read. The page (conv_backward.js) ports that
loop; here bp.Conv2D.backward gives the numbers for the browser test.

One input and one output channel; X has 6 rows and 7 columns (distinct sizes), the
kernel is a fixed asymmetric 3 x 3 array of small integers (so the rotation is easy to
see), and dY is the top-left block, of the output's size, of a fixed 6 x 7 array of
random numbers rounded to one decimal.
"""
import numpy as np

from bp.convolution import Conv2D

TITLE = "Explorable: which taps and which entries of dY make one pixel of dX"
X_SHAPE = (6, 7)                                     # n_h, n_w: distinct, as the conventions ask
KERNEL = [[1.0, -2.0, 3.0],
          [-4.0, 5.0, 2.0],
          [-1.0, 4.0, -3.0]]                         # asymmetric: its 180-degree rotation differs
START = {"stride": 1, "padding": 0, "row": 2, "col": 3}
STRIDES = (1, 2)
PADDINGS = (0, 1)
RING = 0.4          # the page draws each padding cell round dX this fraction of a cell thick


def dY_base():
    """A fixed 6 x 7 array of numbers with one decimal (none of them 0); dY is its
    top-left block of the output's size."""
    rng = np.random.default_rng(22)
    return np.round(rng.normal(size=X_SHAPE), 1)


def output_shape(stride, padding):
    """(m_h, m_w) = ((n_h + 2 pad - k_h) // s + 1, ...), equation (eq-conv-size)."""
    kh, kw = np.shape(KERNEL)
    return ((X_SHAPE[0] + 2 * padding - kh) // stride + 1,
            (X_SHAPE[1] + 2 * padding - kw) // stride + 1)


def setting(stride, padding):
    """The kernel and dY of one setting of the controls."""
    m_h, m_w = output_shape(stride, padding)
    return np.array(KERNEL), dY_base()[:m_h, :m_w].copy()


def bp_input_gradient(stride, padding):
    """dC/dX from bp.Conv2D.backward, for the kernel and dY of this setting (no bias)."""
    kernel, dY = setting(stride, padding)
    conv = Conv2D(1, 1, kernel.shape, stride=stride, padding=padding, rng=np.random.default_rng(0))
    conv.params["W"][0, 0] = kernel
    conv.params["b"][:] = 0.0
    X = np.random.default_rng(1).normal(size=(1, 1) + X_SHAPE)   # dX does not depend on X
    Y = conv.forward(X)
    assert Y.shape[2:] == dY.shape
    return conv.backward(dY[None, None])[0, 0]


def terms(stride, padding, row, col):
    """The products that pixel (row, col) of dX sums, in the order bp adds them: for each
    tap (p, q) in row-major order, the output (i, j) whose window put that tap on the pixel,
    s i + p = row + pad and s j + q = col + pad (eq-conv-dx-sum, eq-conv-stride).
    Each term is [i, j, p, q, dY[i, j] * W[p, q]]."""
    kernel, dY = setting(stride, padding)
    (kh, kw), (m_h, m_w) = kernel.shape, dY.shape
    U, V = row + padding, col + padding               # the pixel in the padded input
    found = []
    for p in range(kh):
        for q in range(kw):
            if (U - p) % stride or (V - q) % stride:
                continue                              # no window put tap (p, q) here
            i, j = (U - p) // stride, (V - q) // stride
            if 0 <= i < m_h and 0 <= j < m_w:
                found.append([i, j, p, q, float(dY[i, j] * kernel[p, q])])
    return found


def result(stride, padding, row, col):
    dX = bp_input_gradient(stride, padding)
    return {"stride": stride, "padding": padding, "dX": dX.tolist(), "pixel": [row, col],
            "terms": terms(stride, padding, row, col), "value": float(dX[row, col])}


def page_data():
    return {"kernel": KERNEL, "dY": dY_base().tolist(), "x_shape": list(X_SHAPE),
            "start": START, "strides": list(STRIDES), "paddings": list(PADDINGS), "ring": RING}


def _one_decimal(x):
    """How the page prints a number of this explorable: every entry of dY has one decimal
    and W holds integers, so one decimal is exact up to rounding (and -0.0 is 0)."""
    text = f"{x:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0") if abs(x) >= 10 else text


def _products(stride, padding, found):
    kernel, dY = setting(stride, padding)
    return " + ".join(f"({_one_decimal(dY[i, j])})({kernel[p, q]:.0f})" for i, j, p, q, _ in found)


def describe(stride=START["stride"], padding=START["padding"], row=START["row"], col=START["col"]):
    found = terms(stride, padding, row, col)
    dX = bp_input_gradient(stride, padding)
    m_h, m_w = output_shape(stride, padding)
    head = (f"Stride {stride}, padding {padding}: dY is {m_h} x {m_w}, X and dX are "
            f"{X_SHAPE[0]} x {X_SHAPE[1]}, the kernel W is 3 x 3. ")
    if not found:
        return head + (f"No window read pixel ({row}, {col}) (the floor in the output size left it "
                       f"out), so dX[{row}, {col}] = 0.")
    products = "1 product" if len(found) == 1 else f"{len(found)} products"
    return head + (f"Pixel ({row}, {col}) of dX sums {products} dY[i, j] W[p, q], one for each "
                   f"window that read the pixel: {_products(stride, padding, found)} = "
                   f"{_one_decimal(dX[row, col])}. Read with the kernel rotated by 180 degrees, the "
                   f"taps lie over dY the way the entries they meet do.")


def _grid(ax, values, title, limit, outlines=(), integers=False):
    import matplotlib.pyplot as plt
    rows, cols = values.shape
    ax.imshow(values, cmap=plt.get_cmap("RdBu_r"), vmin=-limit, vmax=limit)
    for r in range(rows):
        for c in range(cols):
            text = f"{values[r, c]:.0f}" if integers else _one_decimal(values[r, c])
            dark = abs(values[r, c]) > 0.6 * limit          # white text on the darkest cells
            ax.text(c, r, text.replace("-", "\u2212"), ha="center", va="center", fontsize=8,
                    color="w" if dark else "k")
    for (r, c), color in outlines:
        ax.add_patch(plt.Rectangle((c - 0.42, r - 0.42), 0.84, 0.84, fill=False, ec=color, lw=2.2))
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="0.6", lw=0.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    ax.set_title(title, fontsize=9)


def static_figure():
    """The default setting: dY, W and W rotated on top, dX below; each product's dY entry
    and kernel tap outlined in the same colour, the chosen pixel of dX in black."""
    import matplotlib.pyplot as plt
    stride, padding, row, col = (START[k] for k in ("stride", "padding", "row", "col"))
    kernel, dY = setting(stride, padding)
    dX = bp_input_gradient(stride, padding)
    found = terms(stride, padding, row, col)
    colors = [f"C{k}" for k in (1, 2, 4, 5, 6, 8, 9, 7)] + ["k"]
    fig = plt.figure(figsize=(5.2, 4.6))
    grid = fig.add_gridspec(2, 3, width_ratios=[5, 3, 3], height_ratios=[4, 6])
    top = [fig.add_subplot(grid[0, k]) for k in range(3)]
    bottom = fig.add_subplot(grid[1, :])
    kh, kw = kernel.shape
    _grid(top[0], dY, "dY", 3, [((t[0], t[1]), colors[k]) for k, t in enumerate(found)])
    _grid(top[1], kernel, "W", 5, [((t[2], t[3]), colors[k]) for k, t in enumerate(found)],
          integers=True)
    _grid(top[2], kernel[::-1, ::-1], "W rotated 180°", 5,
          [((kh - 1 - t[2], kw - 1 - t[3]), colors[k]) for k, t in enumerate(found)], integers=True)
    _grid(bottom, dX, f"dX = dC/dX, pixel ({row}, {col}) outlined: "
                      f"{len(found)} products, sum {_one_decimal(dX[row, col])}",
          np.abs(dX).max(),
          [((row, col), "k")])
    fig.tight_layout()
    return fig


def reference():
    """The browser test's cases: settings made with the controls, and bp's numbers."""
    # (stride, padding, row, col, how the pixel is chosen)
    plan = [(1, 0, 2, 3, "sliders"),      # the default: an inner pixel, all 9 taps
            (2, 0, 2, 4, "sliders"),      # stride 2: 4 taps, every other one
            (2, 0, 5, 1, "sliders"),      # the last row, never read (the floor): dX = 0
            (1, 1, 0, 0, "tap"),          # padding 1: the corner gets 4 taps
            (2, 1, 3, 6, "tap")]          # stride 2 and padding 1: 2 taps
    cases = []
    for stride, padding, row, col, how in plan:
        actions = [["select", "stride", str(stride)], ["select", "padding", str(padding)]]
        if how == "sliders":
            actions += [["fill", "row", str(row)], ["fill", "col", str(col)]]
        else:
            # the dX canvas is the 6 x 7 grid in a band of `padding` thin cells, RING of a cell
            band = padding * RING
            rows, cols = X_SHAPE[0] + 2 * band, X_SHAPE[1] + 2 * band
            actions.append(["tap", "dX", [(band + col + 0.5) / cols, (band + row + 0.5) / rows]])
        cases.append({"actions": actions, "result": result(stride, padding, row, col)})
    return cases
