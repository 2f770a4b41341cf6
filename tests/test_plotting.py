"""The book's figures: sharp PNGs at twice the pixels, in a 256-colour palette."""
import io

import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
from PIL import Image  # noqa: E402

from bp.plotting import figure_png, plt  # noqa: E402


def test_figure_png_has_twice_the_pixels_and_a_palette():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.plot([0, 1, 2], [0, 1, 0], label="a line")
    ax.legend()
    png, (width, height) = figure_png(fig)
    plain = io.BytesIO()
    fig.savefig(plain, format="png", bbox_inches="tight", facecolor="white")
    plt.close(fig)
    image, normal = Image.open(io.BytesIO(png)), Image.open(plain)
    assert image.mode == "P"                            # 256 colours at most
    assert image.width - 2 * width in (0, 1) and image.height - 2 * height in (0, 1)
    assert abs(width - normal.width) <= 1 and abs(height - normal.height) <= 1
    # four times the pixels, not four times the bytes
    assert len(png) < 2 * len(plain.getvalue())


def test_the_colours_survive_the_palette():
    fig, ax = plt.subplots(figsize=(2, 2), dpi=50)
    ax.imshow([[0.0, 1.0], [0.5, 0.25]], cmap="viridis")
    ax.axis("off")
    png, _ = figure_png(fig)
    plt.close(fig)
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 16)
    big = {c for n, c in colours if n > 100}
    cmap = plt.get_cmap("viridis")
    viridis = {tuple(round(255 * v) for v in cmap(x)[:3]) for x in (0, 1, 0.5, 0.25)}
    for colour in viridis:
        assert min(sum(abs(a - b) for a, b in zip(colour, c)) for c in big) <= 6, colour
