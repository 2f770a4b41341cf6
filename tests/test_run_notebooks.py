"""The notebook runner keeps a saved figure when only anti-aliasing noise changed."""
import base64
import io

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from tools.run_notebooks import same_picture  # noqa: E402


def png_of(pixels):
    buffer = io.BytesIO()
    plt.imsave(buffer, pixels, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def picture():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(60, 80, 3)).astype(np.uint8)


def test_one_pixel_one_shade_off_is_the_same_picture():
    a = picture()
    b = a.copy()
    b[10, 20, 1] = b[10, 20, 1] + 1 if b[10, 20, 1] < 255 else 254
    assert same_picture(png_of(a), png_of(b))


def test_a_changed_figure_is_not_the_same_picture():
    a = picture()
    moved = np.roll(a, 1, axis=1)                 # a shifted line: every column changes
    assert not same_picture(png_of(a), png_of(moved))
    brighter = a.copy()
    brighter[10, 20] = (brighter[10, 20].astype(int) + 40) % 256   # one pixel, but far off
    assert not same_picture(png_of(a), png_of(brighter))
    assert not same_picture(png_of(a), png_of(a[:50]))             # another size
