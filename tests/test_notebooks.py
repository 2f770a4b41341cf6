"""The chapters' code fits the page: no code line longer than the column shows.

At 0.75rem on a 1280 px laptop screen the code column holds 94 characters (the
browser test measures that no code block scrolls sideways there); this test names
the chapter, cell and line of any longer line, before a site is built."""
import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CODE_LINE_LIMIT = 94
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def long_code_lines(notebook, limit=CODE_LINE_LIMIT):
    """(cell index, line number, length) of every code line longer than limit."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        for number, line in enumerate("".join(cell["source"]).split("\n"), start=1):
            if len(line) > limit:
                found.append((index, number, len(line)))
    return found


def test_the_checker_finds_a_long_line(tmp_path):
    notebook = tmp_path / "long.ipynb"
    cells = [{"cell_type": "markdown", "source": ["x" * 200]},
             {"cell_type": "code", "source": ["short = 1\n", "y = '" + "x" * 95 + "'\n"]}]
    notebook.write_text(json.dumps({"cells": cells}))
    assert long_code_lines(notebook) == [(1, 2, 101)]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_code_lines_fit_the_column(notebook):
    found = long_code_lines(notebook)
    where = ", ".join(f"cell {cell} line {line} ({length} characters)"
                      for cell, line, length in found)
    assert not found, (f"{notebook.name}: code lines longer than {CODE_LINE_LIMIT} characters "
                       f"scroll sideways on a laptop: {where}. Wrap them.")


def folding(notebook):
    """(cell index, tags, JupyterLab's folding) of every cell the site folds."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        tags = set(cell["metadata"].get("tags", [])) & {"hide-input", "hide-cell", "hide-output"}
        if tags:
            yield index, tags, cell["metadata"].get("jupyter", {})


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_what_the_site_folds_jupyterlab_folds_too(notebook):
    # The site folds by tag (hide-input: the code; hide-output: the output; hide-cell:
    # both, the answer checks); JupyterLab by the cell's "jupyter" metadata. The text says "the folded
    # cell" for both places, so both must fold the same cells.
    wrong = []
    for index, tags, lab in folding(notebook):
        if tags & {"hide-input", "hide-cell"} and lab.get("source_hidden") is not True:
            wrong.append(f"cell {index} ({', '.join(sorted(tags))}): source_hidden missing")
        if tags & {"hide-output", "hide-cell"} and lab.get("outputs_hidden") is not True:
            wrong.append(f"cell {index} ({', '.join(sorted(tags))}): outputs_hidden missing")
    assert not wrong, f"{notebook.name}: " + "; ".join(wrong)


def figures_without_alt_text(notebook):
    """Indices of the cells that show a figure but give it no alt text."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [index for index, cell in enumerate(cells)
            if cell["cell_type"] == "code"
            and any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
            and not cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "").strip()]


def test_the_alt_text_checker_finds_a_bare_figure(tmp_path):
    notebook = tmp_path / "figures.ipynb"
    figure = [{"output_type": "display_data", "data": {"image/png": "iVBOR"}}]
    described = {"mystnb": {"image": {"alt": "A line rising from left to right."}}}
    cells = [{"cell_type": "code", "metadata": {}, "source": [], "outputs": figure},
             {"cell_type": "code", "metadata": described, "source": [], "outputs": figure},
             {"cell_type": "code", "metadata": {}, "source": [], "outputs": []}]
    notebook.write_text(json.dumps({"cells": cells}))
    assert figures_without_alt_text(notebook) == [0]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_figure_has_alt_text(notebook):
    # myst-nb writes the cell's mystnb.image.alt into the <img>; without it a screen reader
    # hears the file name of the PNG.
    missing = figures_without_alt_text(notebook)
    assert not missing, (f"{notebook.name}: figures without alt text in cells {missing}: "
                         'add "mystnb": {"image": {"alt": "..."}} to the cell\'s metadata')


def as_saved_by_jupyter(notebook):
    """The notebook's text as nbformat (and so JupyterLab and tools/run_notebooks.py) writes it."""
    import nbformat  # only this test needs it
    return nbformat.writes(nbformat.read(str(notebook), as_version=4)) + "\n"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_are_saved_as_jupyter_saves_them(notebook):
    # A notebook edited by a script (keys in another order, other indentation) changes
    # when a reader saves it in JupyterLab: the lab test and `git diff` would show it.
    # Refresh it with `make notebooks` (tools/run_notebooks.py writes the canonical form).
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat's note on missing cell ids (nbformat 4.4 files)
        expected = as_saved_by_jupyter(notebook)
    assert Path(notebook).read_text(encoding="utf-8") == expected, (
        f"{notebook.name} is not in the form Jupyter saves (key order, indentation): "
        f"run `make notebooks` or tools/run_notebooks.py on it")
