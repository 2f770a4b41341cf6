"""Figures the book draws more than once. matplotlib is imported only here."""
import numpy as np

from .extras import require

plt = require("matplotlib.pyplot", "bp.plotting")

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


def draw_network(sizes, ax=None, title=None, show_labels=True):
    """Draw a fully connected network with ``sizes[l]`` units in layer l.

    Layer 0 is the input layer, the last is the output layer, the rest are
    hidden layers. Every unit of layer l-1 is joined to every unit of layer l:
    one line per weight w^l_jk. Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(1.8 * len(sizes) + 1, 0.6 * max(sizes) + 1.2))
    L = len(sizes) - 1
    ys = [np.linspace((n - 1) / 2, -(n - 1) / 2, n) for n in sizes]  # unit 1 at the top
    for l in range(1, L + 1):  # weights first, so units are drawn on top
        for y_prev in ys[l - 1]:
            for y_this in ys[l]:
                ax.plot([l - 1, l], [y_prev, y_this], color="0.6", lw=0.8, zorder=1)
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
