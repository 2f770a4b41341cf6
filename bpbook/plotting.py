"""Figures the book draws more than once. matplotlib is imported only here."""
import numpy as np

from bp.extras import require

plt = require("matplotlib.pyplot", "bpbook.plotting")

# The book's figures are read on laptops and on phones. A figure 5.2 inches wide is
# 520 px in a notebook; a phone shows it about 358 px wide, so at 11-12 points (15-17
# px) its text is still 10 px or more there. Panels are stacked rather than put side
# by side, for the same reason.
BOOK_STYLE = {
    "figure.figsize": (5.2, 3.4),
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "figure.titlesize": 12,
}


# Figures are shown as PNGs with twice the pixels of their displayed size, so that
# they are sharp on high-density screens (phones, most laptops), and in 256 colours,
# which keeps each file smaller than the plain PNG at normal density (plots have few
# colours; anti-aliased edges lose nothing visible).
PNG_SCALE = 2


def figure_png(fig, scale=PNG_SCALE):
    """The figure as PNG bytes with ``scale`` times the pixels of its size at
    ``fig.dpi``, in a 256-colour palette on white. Returns ``(png, (width, height))``
    where width and height are the size to display it at, in CSS pixels."""
    import io

    from PIL import Image  # Pillow comes with matplotlib

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi * scale, bbox_inches="tight",
                facecolor="white")
    image = Image.open(buffer).convert("RGBA")
    on_white = Image.new("RGB", image.size, "white")
    on_white.paste(image, mask=image.getchannel("A"))
    palette = on_white.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue(), (image.width // scale, image.height // scale)


def _png_for_display(fig):
    """IPython's PNG formatter for a figure: base64 data and the size to show it at."""
    import base64

    if not fig.axes and not fig.texts and not fig.images:
        return None  # an empty figure shows nothing, as with IPython's own formatter
    png, (width, height) = figure_png(fig)
    return base64.b64encode(png).decode("ascii"), {"width": width, "height": height}


def use_book_style():
    """Set matplotlib's defaults to the book's: figures narrow enough, and text large
    enough, to read on a phone (see BOOK_STYLE); in Jupyter, show figures as sharp
    PNGs (see figure_png)."""
    plt.rcParams.update(BOOK_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        import matplotlib
        from matplotlib.figure import Figure

        # Load the backend now: Jupyter's inline backend sets its own figure formatter
        # when it is loaded, which would otherwise replace this one at the first figure.
        plt.switch_backend(matplotlib.get_backend())
        shell.display_formatter.formatters["image/png"].for_type(Figure, _png_for_display)


def draw_network(sizes, ax=None, title=None, show_labels=True, highlight=None):
    """Draw a fully connected network with ``sizes[l]`` units in layer l.

    Layer 0 is the input layer, the last is the output layer, the rest are
    hidden layers. Every unit of layer l-1 is joined to every unit of layer l:
    one line per weight w^l_jk. ``highlight=(l, j, k)`` draws the weight w^l_jk
    (to unit j of layer l from unit k of layer l-1, both counted from 1 at the
    top) thick and labelled. Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(1.8 * len(sizes) + 1, 0.6 * max(sizes) + 1.2))
    L = len(sizes) - 1
    ys = [np.linspace((n - 1) / 2, -(n - 1) / 2, n) for n in sizes]  # unit 1 at the top
    for l in range(1, L + 1):  # weights first, so units are drawn on top
        for y_prev in ys[l - 1]:
            for y_this in ys[l]:
                ax.plot([l - 1, l], [y_prev, y_this], color="0.6", lw=0.8, zorder=1)
    if highlight is not None:
        l, j, k = highlight
        if not (1 <= l <= L and 1 <= j <= sizes[l] and 1 <= k <= sizes[l - 1]):
            raise ValueError(f"highlight=(l, j, k) must name a weight of this network: 1 <= l <= {L}, "
                             f"1 <= j <= n_l, 1 <= k <= n_(l-1); got {highlight}")
        start, end = np.array([l - 1, ys[l - 1][k - 1]]), np.array([l, ys[l][j - 1]])
        ax.plot(*zip(start, end), color="#dd8452", lw=3, zorder=1.5)
        label = start + 0.3 * (end - start)
        ax.text(*label, f"$w^{{{l}}}_{{{j}{k}}}$", ha="center", va="center", fontsize=12,
                zorder=4, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="#dd8452"))
    colours = ["#4c72b0"] + ["#55a868"] * (L - 1) + ["#c44e52"]
    for l, (n, y) in enumerate(zip(sizes, ys)):
        ax.scatter(np.full(n, l), y, s=500, color=colours[l], edgecolor="black", zorder=2)
        if show_labels:
            for j, y_j in enumerate(y):
                name = f"$x_{{{j + 1}}}$" if l == 0 else f"$a^{{{l}}}_{{{j + 1}}}$"
                ax.text(l, y_j, name, ha="center", va="center", color="white", fontsize=9, zorder=3)
        kind = "input layer" if l == 0 else ("output layer" if l == L else "hidden layer")
        ax.text(l, -max(sizes) / 2 - 0.35, f"{kind}\n$l = {l}$, $n_{l} = {n}$",
                ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, L + 0.5)
    ax.set_ylim(-max(sizes) / 2 - 1.3, max(sizes) / 2 + 0.2)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_decision_regions(predict, X, y, ax=None, title=None, resolution=200, margin=0.5):
    """Colour the plane by ``predict(points) -> class index`` and scatter the data on top.

    ``predict`` takes an (M, 2) array of points. Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    x0 = np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution)
    x1 = np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution)
    G0, G1 = np.meshgrid(x0, x1)
    classes = predict(np.column_stack([G0.ravel(), G1.ravel()])).reshape(G0.shape)
    ax.contourf(G0, G1, classes, levels=np.arange(classes.max() + 2) - 0.5, cmap="coolwarm", alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolor="black", s=18)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


def _box(ax, xy, text, color, dashed=False, fontsize=12, width=0.84, height=0.6):
    """A rounded box with a label, centred at xy."""
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.05", fc=color, ec="0.25", lw=1.2,
                                ls="--" if dashed else "-"))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end, label=None, color="0.2", offset=(0, 0), style="-|>",
           fontsize=10, **kw):
    """An arrow from start to end, with an optional label beside its middle."""
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle=style, color=color, lw=1.4, shrinkA=0,
                                shrinkB=0, **kw))
    if label:
        mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*mid, label, ha="center", va="center", fontsize=fontsize, color=color)


_INPUT_COLOUR, _STATE_COLOUR = "#dbe9f6", "#fde5c8"


def draw_rnn_cell(ax, x=0.0, y=0.0, label_fontsize=10, output_offset=(0.45, 0.1),
                  loop_offset=(0.4, 0.45), loop_size=None):
    """Draw the folded Elman cell with its input box x_t centred at (x, y): the state h_t
    1.6 above it (arrow W_xh), an output arrow above that, and the loop W_hh from h_t back
    to itself. The offsets place the labels "output" and W_hh from the arrows' middles.
    ``loop_size`` (in data units) draws the loop as a round curve that far out to the
    right of h_t, its label beside it; None keeps the small curl."""
    x_row, h_row, out_row = y, y + 1.6, y + 3.0
    _box(ax, (x, x_row), "$x_t$", _INPUT_COLOUR)
    _box(ax, (x, h_row), "$h_t$", _STATE_COLOUR)
    _arrow(ax, (x, x_row + 0.35), (x, h_row - 0.35), "$W_{xh}$", offset=(0.35, 0),
           fontsize=label_fontsize)
    _arrow(ax, (x, h_row + 0.35), (x, out_row - 0.1), "output", offset=output_offset,
           fontsize=label_fontsize)
    if loop_size is None:
        _arrow(ax, (x + 0.47, h_row + 0.1), (x + 0.47, h_row - 0.1), "$W_{hh}$",
               offset=loop_offset, connectionstyle="arc3,rad=-2.6", fontsize=label_fontsize)
        return
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    # a cubic curve out of the right side of h_t and back into it, below where it left;
    # the curve reaches 3/4 of the way to its control points, hence the 4/3
    edge, reach = x + 0.47, x + 0.47 + 4 / 3 * loop_size
    loop = Path([(edge, h_row + 0.15), (reach, h_row + 0.9 * loop_size),
                 (reach, h_row - 0.9 * loop_size), (edge, h_row - 0.15)],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    ax.add_patch(FancyArrowPatch(path=loop, arrowstyle="-|>", color="0.2", lw=1.4,
                                 mutation_scale=10))
    ax.text(edge + loop_size + loop_offset[0], h_row + loop_offset[1], "$W_{hh}$",
            ha="left", va="center", fontsize=label_fontsize, color="0.2")


def draw_unrolled_rnn(ax, steps=(1, 2, 3, "T"), folded="left", backward=True,
                      loss_note=True, axis_labels=True, label_fontsize=10,
                      title="An Elman RNN, folded (left) and unrolled in time (right)"):
    """Draw an Elman RNN unrolled in time: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b).

    One column per entry of ``steps`` (numbers, then optionally ``"T"``, which is drawn
    after a gap with dots): an input box x_t, a state box h_t, the arrow W_xh between them
    and an output arrow; the states are chained by W_hh arrows from a dashed h_0 = 0.
    The same labels on every column show that every step uses the same weights.
    ``folded`` also draws the folded cell with its loop (see draw_rnn_cell) on the
    ``"left"`` (a wide figure) or ``"above"`` (a narrow one), or not at all (None);
    ``backward`` draws a red arrow for backpropagation through time, ``loss_note`` a note
    on what the loss reads. Returns the matplotlib Axes.
    """
    x_row, h_row, out_row = 0.0, 1.6, 3.0
    if folded not in ("left", "above", None):
        raise ValueError(f"folded must be 'left', 'above' or None, not {folded!r}")
    if folded == "left":
        draw_rnn_cell(ax, 0.0, label_fontsize=label_fontsize)
        ax.text(1.35, h_row, "unroll\n$\\Longrightarrow$", ha="center", va="center",
                fontsize=12)
    xs, x = [], 3.9
    for t in steps:
        if t == "T" and xs:
            x += 0.6           # room for the dots between the last numbered step and T
        xs.append(x)
        x += 1.7
    _box(ax, (2.2, h_row), "$h_0 = 0$", "white", dashed=True)
    previous = 2.2
    for t, x in zip(steps, xs):
        _box(ax, (x, x_row), f"$x_{{{t}}}$", _INPUT_COLOUR)
        _box(ax, (x, h_row), f"$h_{{{t}}}$", _STATE_COLOUR)
        _arrow(ax, (x, x_row + 0.35), (x, h_row - 0.35), "$W_{xh}$", offset=(0.33, 0),
               fontsize=label_fontsize)
        _arrow(ax, (x, h_row + 0.35), (x, out_row - 0.1))
        if t == "T" and previous != 2.2:
            ax.text((previous + x) / 2, h_row, "$\\cdots$", ha="center", va="center",
                    fontsize=14)
        else:
            _arrow(ax, (previous + 0.47, h_row), (x - 0.47, h_row), "$W_{hh}$",
                   offset=(0, 0.22 if folded != "above" else 0.33),
                   fontsize=label_fontsize)
        previous = x
    right = xs[-1]
    if loss_note:
        ax.text(right, out_row + 0.2, "loss reads $h_t$ (every step, or only $h_T$)",
                ha="right", fontsize=9)
    if backward:
        # the backward pass runs the same chain from right to left
        _arrow(ax, (right - 0.3, -0.75), (2.5, -0.75),
               "BPTT: gradients flow back in time, $t = T, \\dots, 1$",
               color="C3", offset=(0, -0.25), fontsize=label_fontsize)
    top = 3.5
    if folded == "above":
        cell = 4.5
        draw_rnn_cell(ax, xs[0], cell, label_fontsize=label_fontsize,
                      output_offset=(0.75, 0.25), loop_offset=(0.15, 0.0), loop_size=0.55)
        # the arrow "unrolled" in the middle of the gap between the cell's x_t and the
        # row of outputs below, above the dots, and the words above it
        arrow_x = (xs[-2] + xs[-1]) / 2 if len(xs) > 1 else xs[0] + 1.7
        gap_mid = (out_row + cell - 0.35) / 2
        _arrow(ax, (arrow_x, gap_mid + 0.45), (arrow_x, gap_mid - 0.45))
        ax.text(arrow_x, cell + 0.45, "unrolled in time,\none column per step:",
                ha="center", va="center", fontsize=label_fontsize)
        top = cell + 3.3
    ax.set(xlim=(-0.8 if folded == "left" else 1.6, right + 0.7),
           ylim=(-1.3 if backward else -0.5, top))
    if title:
        ax.set_title(title)
    if axis_labels:
        ax.set_xlabel("time step →")
        ax.set_ylabel("input → hidden state → output")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    return ax


def draw_neuron(ax, title="One neuron: a weighted sum, a bias and an activation"):
    """Draw one neuron in the symbols of z = sum_k w_k x_k + b, a = sigma(z).

    The inputs x_1, x_2, ..., x_n (circles, with dots for the ones not drawn) send arrows
    labelled w_1, w_2, ..., w_n into a node that sums them and adds the bias b (an arrow
    from above), giving z; a box applies sigma and the output arrow carries a. A dashed
    frame marks what one neuron computes, its weights included (not its inputs). Returns
    the matplotlib Axes.
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    inputs = [("$x_1$", "$w_1$", 1.6), ("$x_2$", "$w_2$", 0.55), ("$x_n$", "$w_n$", -1.6)]
    sum_xy, sum_r = (3.2, 0.0), 0.5
    for name, weight, y in inputs:
        ax.add_patch(Circle((0, y), 0.36, fc=_INPUT_COLOUR, ec="0.25", lw=1.2))
        ax.text(0, y, name, ha="center", va="center", fontsize=12)
        # the arrow ends on the rim of the summing node, pointing at its centre
        dx, dy = sum_xy[0] - 0.36, sum_xy[1] - y
        length = np.hypot(dx, dy)
        end = (sum_xy[0] - sum_r * dx / length, sum_xy[1] - sum_r * dy / length)
        _arrow(ax, (0.4, y), end)
        # the weight sits on its arrow, a third of the way along
        ax.text(0.4 + 0.33 * (end[0] - 0.4), y + 0.33 * (end[1] - y), weight,
                ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    ax.text(0, -0.45, "$\\vdots$", ha="center", va="center", fontsize=14)
    ax.add_patch(Circle(sum_xy, sum_r, fc=_STATE_COLOUR, ec="0.25", lw=1.2))
    ax.text(*sum_xy, "$\\Sigma$", ha="center", va="center", fontsize=16)
    _arrow(ax, (sum_xy[0], 1.75), (sum_xy[0], sum_r), "$b$", offset=(0.25, 0.15),
           fontsize=12)
    ax.add_patch(FancyBboxPatch((4.75, -0.35), 0.7, 0.7, boxstyle="round,pad=0.05",
                                fc=_STATE_COLOUR, ec="0.25", lw=1.2))
    ax.text(5.1, 0, "$\\sigma$", ha="center", va="center", fontsize=16)
    _arrow(ax, (sum_xy[0] + sum_r, 0), (4.7, 0), "$z$", offset=(0, 0.25), fontsize=12)
    _arrow(ax, (5.5, 0), (6.5, 0))
    ax.text(6.6, 0, "$a$", ha="left", va="center", fontsize=14)
    ax.text(sum_xy[0], -0.7, "$z = \\sum_{k=1}^{n} w_k x_k + b$", ha="center", va="top",
            fontsize=12)
    ax.text(5.1, -0.7, "$a = \\sigma(z)$", ha="center", va="top", fontsize=12)
    # the frame takes in the weights (the neuron's parameters), not the inputs
    ax.add_patch(FancyBboxPatch((0.7, -1.65), 5.25, 3.65, boxstyle="round,pad=0.05",
                                fc="none", ec="0.5", lw=1, ls="--"))
    ax.text(3.33, 2.15, "one neuron", ha="center", va="bottom", fontsize=11, color="0.35")
    ax.set(xlim=(-0.5, 7.0), ylim=(-2.05, 2.6), aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def _number(v):
    """A whole number as an int, with a true minus sign; otherwise two decimals."""
    v = float(v) + 0.0                      # + 0.0 turns -0.0 into 0.0
    text = f"{v:.0f}" if v == round(v) else f"{v:.2f}"
    return text.replace("-", "−")


def draw_sliding_kernel(ax, image, kernel, feature_map, windows=((0, 0), (3, 3)),
                        bias=0.0, show_sum=0,
                        title="A 3x3 kernel slid over a 6x6 image: the feature map"):
    """Draw a kernel sliding over an image (stride 1, no padding, cross-correlation).

    Three grids of numbers side by side: ``image`` (H, W) with its non-zero pixels shaded,
    ``kernel`` (kh, kw) and ``feature_map`` (H - kh + 1, W - kw + 1), which the caller
    computes (for instance with bp.Conv2D) and which is printed as given. Each (row, column)
    in ``windows`` is a position of the kernel: its window on the image and its entry of the
    feature map get the same colour. Under the grids, the multiply-and-sum of window
    ``show_sum`` is written out row by row; a ValueError is raised if it does not give the
    printed entry. Every number drawn is a Text with gid "image i j", "kernel p q" or
    "map i j". Returns the matplotlib Axes.
    """
    from matplotlib.patches import Rectangle

    image, kernel, feature_map = (np.asarray(a, dtype=float)
                                  for a in (image, kernel, feature_map))
    (H, W), (kh, kw) = image.shape, kernel.shape
    if feature_map.shape != (H - kh + 1, W - kw + 1):
        raise ValueError(f"feature_map has shape {feature_map.shape}, expected "
                         f"{(H - kh + 1, W - kw + 1)} for a {H}x{W} image and "
                         f"a {kh}x{kw} kernel")
    colours = ["#dd8452", "#4c72b0", "#55a868", "#c44e52"]
    gap = 1.0
    x_kernel = W + gap
    x_map = x_kernel + kw + gap

    def grid(values, x0, name, shade):
        rows, cols = values.shape
        for i in range(rows):
            for j in range(cols):
                fc = "0.82" if shade and values[i, j] != 0 else "white"
                ax.add_patch(Rectangle((x0 + j, i), 1, 1, fc=fc, ec="0.6", lw=0.8))
                ax.text(x0 + j + 0.5, i + 0.5, _number(values[i, j]), ha="center",
                        va="center", fontsize=11, gid=f"{name} {i} {j}")

    grid(image, 0, "image", shade=True)
    grid(kernel, x_kernel, "kernel", shade=False)
    ax.add_patch(Rectangle((x_kernel, 0), kw, kh, fc="none", ec="0.2", lw=2))
    grid(feature_map, x_map, "map", shade=False)
    for (i, j), colour in zip(windows, colours):
        ax.add_patch(Rectangle((j, i), kw, kh, fc=colour, alpha=0.25, ec="none"))
        ax.add_patch(Rectangle((j, i), kw, kh, fc="none", ec=colour, lw=2.5))
        ax.add_patch(Rectangle((x_map + j, i), 1, 1, fc=colour, alpha=0.35, ec=colour,
                               lw=2.5))
    ax.text(W + gap / 2, kh / 2, "$\\star$", ha="center", va="center", fontsize=22)
    ax.text(x_kernel + kw + gap / 2, kh / 2, "=", ha="center", va="center", fontsize=16)
    for x0, width, label in [(0, W, "image"), (x_kernel, kw, "kernel"),
                             (x_map, feature_map.shape[1], "feature map")]:
        ax.text(x0 + width / 2, -0.25, label, ha="center", va="bottom", fontsize=11)

    i, j = windows[show_sum]
    patch = image[i:i + kh, j:j + kw]
    total = float(np.sum(kernel * patch)) + bias
    if not np.isclose(total, feature_map[i, j]):
        raise ValueError(f"the window at {(i, j)} sums to {total}, "
                         f"but the feature map says {feature_map[i, j]}")
    def factor(v):
        return f"({_number(v)})" if v < 0 else _number(v)

    lines = [("  " if p == 0 else "+ ")
             + " + ".join(f"{factor(kernel[p, q])}·{factor(patch[p, q])}" for q in range(kw))
             for p in range(kh)]
    if bias:
        lines.append("+ " + factor(bias))
    lines[-1] += f" = {_number(feature_map[i, j])}"
    # under the kernel and the feature map, beside the image's lower rows
    y_sum = max(kh, feature_map.shape[0]) + 0.35
    ax.text(x_kernel - 0.3, y_sum, "\n".join(lines), ha="left", va="top", fontsize=11,
            family="monospace", color=colours[show_sum], linespacing=1.3, gid="sum")
    ax.set(xlim=(-0.1, x_map + feature_map.shape[1] + 0.1),
           ylim=(max(H, y_sum + 0.75 * len(lines)) + 0.1, -0.9), aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def draw_layer_symbols(ax=None):
    """The notation of one layer, on a drawing: unit k of layer l-1 with its activation
    a^{l-1}_k, the weight w^l_jk on the line to unit j of layer l, and that unit's bias
    b^l_j, weighted input z^l_j and activation a^l_j (the equations that join them are
    left to the caption, so that the drawing stays readable on a phone). Returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 3.6))
    left = [1.2, 0.0, -1.2]           # layer l-1: units 1, k, n_(l-1)
    right = [0.6, -0.6]               # layer l: unit j, and another
    names_left = ["$a^{l-1}_1$", "$a^{l-1}_k$", "$a^{l-1}_{n_{l-1}}$"]
    for y_prev in left:
        for y_this in right:
            ax.plot([0, 2], [y_prev, y_this], color="0.7", lw=0.8, zorder=1)
    ax.plot([0, 2], [left[1], right[0]], color="#dd8452", lw=3, zorder=1.5)
    ax.text(0.85, 0.25, "$w^l_{jk}$", ha="center", va="center", fontsize=14, zorder=4,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="#dd8452"))
    ax.scatter([0, 0, 0], left, s=900, color="#4c72b0", edgecolor="black", zorder=2)
    for y, name in zip(left, names_left):
        ax.text(0, y, name, ha="center", va="center", color="white", fontsize=10, zorder=3)
    ax.text(0, 0.6, "$\\vdots$", ha="center", va="center", fontsize=12)
    ax.text(0, -0.6, "$\\vdots$", ha="center", va="center", fontsize=12)
    ax.scatter([2, 2], right, s=900, color="#55a868", edgecolor="black", zorder=2)
    ax.text(2, right[0], "$j$", ha="center", va="center", color="white", fontsize=13, zorder=3)
    ax.text(2, right[1], "$j'$", ha="center", va="center", color="white", fontsize=13, zorder=3)
    ax.annotate("$b^l_j$", xy=(2, right[0] + 0.2), xytext=(2, right[0] + 0.95), ha="center",
                fontsize=13, arrowprops=dict(arrowstyle="-|>", color="0.2"))
    ax.text(2.3, right[0], "$z^l_j$\n$a^l_j$", ha="left", va="center", fontsize=13,
            linespacing=1.6)
    ax.text(0, -1.85, "layer $l-1$: $n_{l-1}$ units", ha="center", va="top", fontsize=11)
    ax.text(2, -1.85, "layer $l$: $n_l$ units", ha="center", va="top", fontsize=11)
    ax.set_xlim(-0.6, 2.7)
    ax.set_ylim(-2.2, 2.0)
    ax.axis("off")
    return ax


def draw_forward_graph(ax=None, backward=False):
    """The forward pass of a network with one hidden layer as a graph of operations
    (values in boxes, operations in circles, parameters above the operation that reads
    them, as in D2L's forward-propagation graph): x -> z^1 -> a^1 -> z^2 -> a^2 -> C, the
    loss also reading the target y. ``backward=True`` adds, below, the gradients that flow
    back along the same edges (dC/da^2, delta^2, dC/da^1, delta^1) and out to the
    parameters (BP3, BP4). Returns the matplotlib Axes."""
    from matplotlib.patches import Circle

    if ax is None:
        _, ax = plt.subplots(figsize=(7.4, 3.0 if backward else 2.2))
    chain = [("x", "$x$"), ("times1", "$\\times$"), ("plus1", "$+$"), ("z1", "$z^1$"),
             ("s1", "$\\sigma$"), ("a1", "$a^1$"), ("times2", "$\\times$"), ("plus2", "$+$"),
             ("z2", "$z^2$"), ("s2", "$\\sigma$"), ("a2", "$a^2$"), ("loss", "$\\ell$"),
             ("C", "$C$")]
    values = {"x", "z1", "a1", "z2", "a2", "C"}
    x_of = {name: 0.9 * i for i, (name, _) in enumerate(chain)}
    half = {name: (0.27 if name in values else 0.22) for name, _ in chain}
    for i, (name, text) in enumerate(chain):
        x = x_of[name]
        if name in values:
            _box(ax, (x, 0), text, "#dbe9f6", fontsize=14, width=0.44, height=0.44)
        else:
            ax.add_patch(Circle((x, 0), 0.22, fc="white", ec="0.25", lw=1.2, zorder=2))
            ax.text(x, 0, text, ha="center", va="center", fontsize=13, zorder=3)
        if i:
            before = chain[i - 1][0]
            _arrow(ax, (x_of[before] + half[before], 0), (x - half[name], 0))
    # the parameters and the target feed their operations from above
    for text, op, colour in (("$W^1$", "times1", "#fde5c8"), ("$b^1$", "plus1", "#fde5c8"),
                             ("$W^2$", "times2", "#fde5c8"), ("$b^2$", "plus2", "#fde5c8"),
                             ("$y$", "loss", "#e8e8e8")):
        _box(ax, (x_of[op], 0.95), text, colour, fontsize=13, width=0.44, height=0.4)
        _arrow(ax, (x_of[op], 0.7), (x_of[op], 0.22))
    bottom = -0.45
    if backward:
        red = "#b03a2e"
        for start, end, label in (("C", "a2", "$\\partial C/\\partial a^2$"), ("a2", "z2", "$\\delta^2$"),
                                  ("z2", "a1", "$\\partial C/\\partial a^1$"), ("a1", "z1", "$\\delta^1$")):
            x0, x1 = x_of[start] - 0.05, x_of[end] + 0.05
            _arrow(ax, (x0, -0.5), (x1, -0.5), color=red)
            ax.text((x0 + x1) / 2, -0.78, label, ha="center", va="center", fontsize=12, color=red)
        for times, plus, l in (("times1", "plus1", 1), ("times2", "plus2", 2)):
            ax.text((x_of[times] + x_of[plus]) / 2, -1.2,
                    f"$\\partial C/\\partial W^{l}$, $\\partial C/\\partial b^{l}$",
                    ha="center", va="center", fontsize=11, color=red)
        bottom = -1.45
    ax.set_xlim(-0.35, x_of["C"] + 0.35)
    ax.set_ylim(bottom, 1.25)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
