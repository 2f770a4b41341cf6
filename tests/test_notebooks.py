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
