"""The book's figures: sharp PNGs at twice the pixels, in a 256-colour palette."""
import io

import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
from PIL import Image  # noqa: E402

from bpbook.plotting import figure_png, plt  # noqa: E402


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


# --- the diagrams of chapter 1 (and chapter 8's unrolled RNN) ----------------------

import numpy as np  # noqa: E402
from matplotlib.patches import (Circle, FancyArrowPatch, FancyBboxPatch,  # noqa: E402
                                Rectangle)

import bp  # noqa: E402
from bpbook.plotting import draw_neuron, draw_sliding_kernel, draw_unrolled_rnn  # noqa: E402


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_the_neuron_has_the_symbols_of_its_equation():
    fig, ax = plt.subplots()
    draw_neuron(ax)
    labels = texts(ax)
    plt.close(fig)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 4                        # x_1, x_2, x_n and the summing node
    for symbol in ["$x_1$", "$x_2$", "$x_n$", "$w_1$", "$w_2$", "$w_n$", "$b$",
                   "$\\sigma$", "$a$", "$\\Sigma$"]:
        assert labels.count(symbol) == 1, symbol
    assert any("w_k x_k + b" in label for label in labels)
    assert "$a = \\sigma(z)$" in labels
    # the dashed frame "one neuron" takes in the weights, not the inputs
    frame = next(p for p in ax.patches
                 if isinstance(p, FancyBboxPatch) and p.get_linestyle() == "--")
    left, right = frame.get_x(), frame.get_x() + frame.get_width()
    for text in ax.texts:
        x = text.get_position()[0]
        if text.get_text() in ("$w_1$", "$w_2$", "$w_n$"):
            assert left < x < right, text.get_text()
        if text.get_text() in ("$x_1$", "$x_2$", "$x_n$"):
            assert x < left, text.get_text()


def boxes(ax):
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


def test_the_unrolled_rnn_shares_its_weights_at_every_step():
    # chapter 8's picture: the folded cell on the left, steps 1, 2, 3 and T, BPTT
    fig, ax = plt.subplots(figsize=(11, 4.2))
    draw_unrolled_rnn(ax, steps=(1, 2, 3, "T"))
    labels = texts(ax)
    plt.close(fig)
    assert len(boxes(ax)) == 2 + 1 + 2 * 4          # folded cell, h_0, x_t and h_t per step
    assert labels.count("$W_{xh}$") == 1 + 4        # the folded cell and every step
    assert labels.count("$W_{hh}$") == 1 + 3        # the loop, h_0 -> h_1 -> h_2 -> h_3
    assert labels.count("$\\cdots$") == 1           # h_3 ... h_T
    for name in ["$x_{1}$", "$x_{2}$", "$x_{3}$", "$x_{T}$", "$h_0 = 0$", "$h_{T}$", "$h_t$"]:
        assert name in labels, name
    assert any(label.startswith("BPTT") for label in labels)
    assert any(label.startswith("loss reads") for label in labels)
    assert np.allclose(ax.get_xlim(), (-0.8, 10.3))
    assert np.allclose(ax.get_ylim(), (-1.3, 3.5))
    assert not any(isinstance(p, FancyArrowPatch) for p in ax.patches)   # the small curl


def test_the_narrow_unrolled_rnn_has_the_cell_above_and_no_backward_pass():
    fig, ax = plt.subplots(figsize=(5.2, 4.8))
    draw_unrolled_rnn(ax, steps=(1, 2, "T"), folded="above", backward=False,
                      loss_note=False, axis_labels=False, title=None)
    labels = texts(ax)
    plt.close(fig)
    assert len(boxes(ax)) == 2 + 1 + 2 * 3
    assert labels.count("$W_{xh}$") == 1 + 3 and labels.count("$W_{hh}$") == 1 + 2
    assert not any(label.startswith(("BPTT", "loss reads")) for label in labels)
    x_t = next(t for t in ax.texts if t.get_text() == "$x_t$")
    x_1 = next(t for t in ax.texts if t.get_text() == "$x_{1}$")
    assert x_t.get_position()[0] == x_1.get_position()[0]      # the cell above step 1
    assert x_t.get_position()[1] > ax.get_ylim()[0] + 4
    # the loop W_hh is a round curve reaching well out of h_t (chapter 8 keeps its curl)
    loop = next(p for p in ax.patches if isinstance(p, FancyArrowPatch))
    reach = loop.get_path().vertices[:, 0]
    assert reach.max() - reach.min() > 0.6
    # the arrow from the folded cell down to the unrolled row sits in the gap between them
    down = [a for a in ax.texts if hasattr(a, "xyann") and a.xy[0] == a.xyann[0]
            and a.xy[1] < a.xyann[1] and a.xy[1] > 3.0]
    assert len(down) == 1
    gap = (3.0, x_t.get_position()[1] - 0.35)       # the outputs' tips, the box x_t
    assert np.isclose((down[0].xy[1] + down[0].xyann[1]) / 2, sum(gap) / 2)
    with pytest.raises(ValueError, match="folded"):
        draw_unrolled_rnn(ax, folded="right")


def seven_and_edge_kernel():
    image = np.zeros((6, 6))
    image[0, 1:5] = image[1, 4] = image[2, 3] = 1
    image[3:, 2] = 1
    kernel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    conv = bp.Conv2D(1, 1, 3, rng=np.random.default_rng(0))
    conv.params["W"][:] = kernel
    conv.params["b"][:] = 0.0
    return image, kernel, conv.forward(image.reshape(1, 1, 6, 6))[0, 0]


def number(text):
    return float(text.replace("−", "-"))


def test_the_kernel_figure_prints_conv2d_numbers():
    image, kernel, feature_map = seven_and_edge_kernel()
    fig, ax = plt.subplots()
    draw_sliding_kernel(ax, image, kernel, feature_map, windows=[(3, 0), (0, 3)])
    plt.close(fig)
    by_gid = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    printed = np.array([[number(by_gid[f"map {i} {j}"]) for j in range(4)] for i in range(4)])
    assert np.array_equal(printed, feature_map)
    assert np.array_equal([[number(by_gid[f"image {i} {j}"]) for j in range(6)]
                           for i in range(6)], image)
    assert np.array_equal([[number(by_gid[f"kernel {p} {q}"]) for q in range(3)]
                           for p in range(3)], kernel)
    # the sum written out is that of window (3, 0): its nine products and the entry
    lines = by_gid["sum"].split("\n")
    assert len(lines) == 3 and all(line.count("·") == 3 for line in lines)
    assert lines[-1].endswith(f"= {feature_map[3, 0]:.0f}".replace("-", "−"))
    assert feature_map[3, 0] == -4
    # each window is highlighted twice on the image (fill, frame) and once on the map
    frames = [p for p in ax.patches if isinstance(p, Rectangle)
              and (p.get_width(), p.get_height()) == (3, 3) and p.get_linewidth() == 2.5]
    assert sorted(p.get_xy() for p in frames) == [(0, 3), (3, 0)]


def test_the_kernel_figure_refuses_a_wrong_sum_or_shape():
    image, kernel, feature_map = seven_and_edge_kernel()
    wrong = feature_map.copy()
    wrong[3, 0] += 1
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="sums to"):
        draw_sliding_kernel(ax, image, kernel, wrong, windows=[(3, 0)])
    with pytest.raises(ValueError, match="shape"):
        draw_sliding_kernel(ax, image, kernel, feature_map[:3])
    # a flipped kernel (a true convolution) does not give bp's numbers
    with pytest.raises(ValueError, match="sums to"):
        draw_sliding_kernel(ax, image, kernel[::-1, ::-1], feature_map, windows=[(3, 0)])
    plt.close(fig)


def test_the_highlighted_weight_joins_the_units_its_subscripts_name():
    from bpbook.plotting import draw_network
    fig, ax = plt.subplots()
    draw_network([3, 4, 4, 2], ax=ax, highlight=(2, 1, 3))
    plt.close(fig)
    thick = [line for line in ax.lines if line.get_linewidth() > 2]
    assert len(thick) == 1
    (x0, x1), (y0, y1) = thick[0].get_xdata(), thick[0].get_ydata()
    units = {text.get_text(): text.get_position() for text in ax.texts}
    # "to, from": w^2_13 runs from unit 3 of layer 1 to unit 1 of layer 2
    assert (x0, y0) == units["$a^{1}_{3}$"] and (x1, y1) == units["$a^{2}_{1}$"]
    assert "$w^{2}_{13}$" in units
    with pytest.raises(ValueError, match="highlight"):
        draw_network([3, 4, 4, 2], highlight=(2, 1, 5))
    plt.close("all")


def test_the_layer_symbols_figure_names_every_symbol_of_a_unit():
    from bpbook.plotting import draw_layer_symbols
    fig, ax = plt.subplots()
    draw_layer_symbols(ax)
    labels = " ".join(texts(ax))
    plt.close(fig)
    for symbol in ["w^l_{jk}", "b^l_j", "a^{l-1}_k", "$z^l_j$", "$a^l_j$", "layer $l-1$", "layer $l$"]:
        assert symbol in labels, symbol


def test_the_forward_graph_runs_x_to_C_and_its_backward_pass_back():
    from bpbook.plotting import draw_forward_graph
    fig, ax = plt.subplots()
    draw_forward_graph(ax)
    forward = texts(ax)
    fig2, ax2 = plt.subplots()
    draw_forward_graph(ax2, backward=True)
    both = texts(ax2)
    plt.close(fig)
    plt.close(fig2)
    # every value and parameter once, in the order of the pass
    order = ["$x$", "$z^1$", "$a^1$", "$z^2$", "$a^2$", "$C$"]
    positions = {t.get_text(): t.get_position()[0] for t in ax.texts}
    assert [positions[v] for v in order] == sorted(positions[v] for v in order)
    for symbol in order + ["$W^1$", "$b^1$", "$W^2$", "$b^2$", "$y$"]:
        assert forward.count(symbol) == 1, symbol
    assert not any("partial" in label or "delta" in label for label in forward)
    for symbol in ["$\\delta^1$", "$\\delta^2$", "$\\partial C/\\partial a^1$", "$\\partial C/\\partial a^2$"]:
        assert both.count(symbol) == 1, symbol
