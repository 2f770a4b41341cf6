"""A Sphinx extension that builds the site's download: every chapter notebook with
the bp package and a short README saying how to run them (two commands).

After an HTML build it writes ``_build/html/bp-book-notebooks.zip`` and adds a link
to it to every page's download menu; the front page links to it too.
"""
import zipfile
from pathlib import Path

BUNDLE = "bp-book-notebooks.zip"
FOLDER = "bp-book"  # the folder the zip unpacks into

README = """# Backpropagation, executable: the notebooks

The chapters of the book as Jupyter notebooks, with `bp`, the small numpy package
they import. You need Python 3.10 or newer. In this folder, run two commands:

```bash
python3 -m venv .venv && .venv/bin/pip install -e ".[book]" jupyterlab jupyterlab-myst
.venv/bin/jupyter lab book/
```

The first installs bp with what the chapters use (numpy, sympy, matplotlib,
ipywidgets, scikit-learn), JupyterLab and its MyST renderer into `.venv/`; the
second opens the chapters in your browser. On Windows, write `.venv\\Scripts\\` in
place of `.venv/bin/`.

Run a chapter's cells from the top (Run > Run All Cells): later cells use what
earlier ones computed. A few cells raise an error on purpose, to show bp's error
messages; they say so in the text above them.
"""


def pyproject_without_tests(text):
    """The project's pyproject.toml without its pytest settings (the tests are not in the download)."""
    return text.split("[tool.pytest.ini_options]")[0].rstrip() + "\n"


def write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    with zipfile.ZipFile(Path(app.outdir) / BUNDLE, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{FOLDER}/README.md", README)
        bundle.writestr(f"{FOLDER}/pyproject.toml", pyproject_without_tests((root / "pyproject.toml").read_text()))
        # "How fast is bp?" reads the benchmark's last figures from tools/benchmarks/
        files = (sorted((root / "bp").glob("*.py")) + [root / "bp" / "explorer.js"]
                 + sorted((root / "book").glob("*.ipynb"))
                 + [root / "tools" / "benchmarks" / "results.json"])
        for path in files:
            bundle.write(path, f"{FOLDER}/{path.relative_to(root).as_posix()}")


def add_to_download_menu(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].insert(0, {
                "type": "link", "url": context["pathto"](BUNDLE, 1), "text": "all notebooks (.zip)",
                "icon": "fas fa-file-zipper", "tooltip": "Every chapter with bp, ready to run",
                "label": "download-bundle-button"})


def setup(app):
    app.connect("build-finished", write_bundle)
    # after sphinx-book-theme fills the header buttons (priority 501)
    app.connect("html-page-context", add_to_download_menu, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
