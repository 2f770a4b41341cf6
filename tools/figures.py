"""Write the book's figures that live outside the notebooks (a Markdown page cannot run
code): book/figures/layer_symbols.png, the notation page's diagram, drawn by
bpbook.plotting.draw_layer_symbols at twice the pixels it is shown at.

    .venv/bin/python -m tools.figures
"""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bpbook.plotting import draw_layer_symbols, use_book_style  # noqa: E402

FOLDER = Path(__file__).resolve().parent.parent / "book" / "figures"


def main():
    use_book_style()
    FOLDER.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    draw_layer_symbols(ax)
    path = FOLDER / "layer_symbols.png"
    # no time stamp or software version in the file, so a second run writes the same bytes
    fig.savefig(path, dpi=200, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    print(f"wrote {path.relative_to(FOLDER.parent.parent)}")


if __name__ == "__main__":
    main()
