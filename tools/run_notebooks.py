"""Re-execute notebooks and save their outputs, so that a second run gives no diff.

    python -m tools.run_notebooks book/*.ipynb      (what `make notebooks` runs)

`jupyter nbconvert --execute` and `jupyter execute --inplace` also rewrite
timing metadata and widget state with fresh random ids on every run, which
would put noise in every commit. This runner executes each notebook with
nbclient from a fresh kernel in the notebook's own folder, does not record
timings, and drops the per-run metadata, so only real changes show up in git.
Cells tagged ``timing`` (they print or plot measured run times) are saved
without outputs, for the same reason. A figure whose new rendering differs from
the saved one only by anti-aliasing noise (a few pixels, by a level or two) keeps
its saved bytes: another CPU rounds the last digits of the plotted numbers
differently, and that can flip a pixel's shade without changing the figure.
"""
import base64
import io
import re
import sys
import time
from pathlib import Path

import matplotlib.image
import nbformat
import numpy as np
from nbclient import NotebookClient


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Tracebacks name files by absolute path; saved relative to the project, a notebook
# comes out the same in every clone, wherever it lies.
PROJECT = str(Path(__file__).resolve().parent.parent) + "/"


def clean(nb):
    """Remove metadata that changes from run to run without meaning anything.

    Widget views are dropped too: they point to a live kernel's widget by a random
    id and cannot render without it. An output that has a widget view also carries a
    kernel-free HTML form (see bpbook/widgets.py), which is what gets saved.
    """
    nb.metadata.pop("widgets", None)
    # What JupyterLab writes when it opens a notebook with ipykernel's kernel, so that
    # saving a chapter in Lab does not change it (tools/jupyter_lab_config.py and
    # make lab-test); the Python version is left out, as it differs between machines.
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        if cell.metadata.get("jupyter", {}).get("outputs_hidden"):
            cell.metadata["collapsed"] = True  # JupyterLab writes the old flag beside the new one
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code" and "timing" in cell.metadata.get("tags", []):
            # Measured times differ on every run. They are not saved: the website shows
            # the ones measured when it is built (it executes every notebook), and nbval
            # skips these cells (they also carry the nbval-ignore-output tag).
            cell.outputs = []
            continue
        if cell.cell_type == "code":
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [line.replace(PROJECT, "") for line in output.traceback]
                output.get("metadata", {}).pop("execution", None)
                output.get("data", {}).pop(WIDGET_VIEW, None)
            cell.outputs = merge_streams(cell.outputs)
    return nb


def merge_streams(outputs):
    """Join consecutive stdout (or stderr) outputs into one.

    The kernel sends printed text in pieces as it arrives; on a busy machine one
    print() can be split into two outputs on one run and not on the next. Joining
    them (as nbconvert's coalesce_streams does) makes the saved notebook the same.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def same_picture(old_png, new_png, max_pixels=0.001, max_step=2 / 255):
    """True if two base64 PNGs differ in at most 0.1% of their pixels, each by at most
    two shades out of 255: rounding noise in anti-aliasing, not a change of the figure."""
    old, new = (matplotlib.image.imread(io.BytesIO(base64.b64decode(png))) for png in (old_png, new_png))
    if old.shape != new.shape:
        return False
    changed = np.abs(old - new).max(axis=-1)
    return changed.max() <= max_step + 1e-6 and np.mean(changed > 0) <= max_pixels


# an explorable's static figure, inside its HTML (bpbook/explorables)
INLINE_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def keep_unchanged_figures(saved, fresh):
    """Put the saved PNG back where a cell's code is unchanged and its new PNG is the same
    picture; the same for an explorable's HTML whose only change is such a PNG."""
    for old_cell, new_cell in zip(saved.cells, fresh.cells):
        if new_cell.cell_type != "code" or old_cell.get("source") != new_cell.source:
            continue
        for old_out, new_out in zip(old_cell.get("outputs", []), new_cell.outputs):
            old_png = old_out.get("data", {}).get("image/png")
            new_png = new_out.get("data", {}).get("image/png")
            if old_png and new_png and old_png != new_png and same_picture(old_png, new_png):
                new_out["data"]["image/png"] = old_png
            old_html = old_out.get("data", {}).get("text/html")
            new_html = new_out.get("data", {}).get("text/html")
            if not (old_html and new_html and old_html != new_html):
                continue
            old_pngs, new_pngs = INLINE_PNG.findall(old_html), INLINE_PNG.findall(new_html)
            if (INLINE_PNG.sub("", old_html) == INLINE_PNG.sub("", new_html) and
                    len(old_pngs) == len(new_pngs) and
                    all(same_picture(a, b) for a, b in zip(old_pngs, new_pngs))):
                new_out["data"]["text/html"] = old_html


def run(path):
    path = Path(path)
    saved = nbformat.read(path, as_version=4)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    nb = clean(nb)
    keep_unchanged_figures(saved, nb)
    nbformat.write(nb, path)
    print(f"{path}: executed in {seconds:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m tools.run_notebooks NOTEBOOK.ipynb [...]")
    for notebook in sys.argv[1:]:
        run(notebook)
