"""A Sphinx extension that builds the site's download: every chapter notebook with
the bp package, the files the chapters read, the licence and a short README saying
how to run them (two commands).

After an HTML build it writes ``_build/html/bp-book-notebooks.zip`` and adds a link
to it to every page's download menu; the front page links to it too.

What goes in is derived, not listed by hand, so that it cannot fall behind the code:

- bp: the packages that ``pyproject.toml`` names (``[tool.setuptools] packages``),
  each with its modules and package data, i.e. what setuptools installs. The
  README's ``pip install -e`` reads the same pyproject, so the zip and the install
  agree by construction.
- every notebook in ``book/``;
- every project file that a notebook names by a path relative to its own folder
  (chapter "How fast is bp?" reads ``../tools/benchmarks/results.json``).

``make bundle-test`` (``tools/bundle_test.py``) unzips the built download, runs its
README's install command and executes every notebook, and
``tests/test_download_bundle.py`` checks that every bp module a notebook imports is in it.
"""
import ast
import fnmatch
import json
import zipfile
from pathlib import Path

try:
    import tomllib                 # Python 3.11+
except ModuleNotFoundError:        # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

BUNDLE = "bp-book-notebooks.zip"
FOLDER = "bp-book"  # the folder the zip unpacks into
LICENSE = "LICENSE"

README = """# Backpropagation, executable: the notebooks

The chapters of the book as Jupyter notebooks, with `bp`, the small numpy package
they import. You need Python 3.10 or newer. In this folder, run two commands:

```bash
python3 -m venv .venv && .venv/bin/pip install -e ".[book]" jupyterlab jupyterlab-myst
.venv/bin/jupyter lab book/
```

The first installs bp (the library) and bpbook (the book's figures and explorables)
with what the chapters use (numpy, sympy, matplotlib, ipywidgets, scikit-learn,
scipy), JupyterLab and its MyST renderer into `.venv/`;
the second opens the chapters in your browser. On Windows, write `.venv\\Scripts\\`
in place of `.venv/bin/`.

Run a chapter's cells from the top (Run > Run All Cells): later cells use what
earlier ones computed. A few cells raise an error on purpose, to show bp's error
messages; they say so in the text above them.

The interactive figures (the explorables of chapters 2 to 10) are live in Jupyter
once a chapter's cells have run (before that, a notebook you have not run yourself
shows each one's static figure), and on {site}.

Licence (see `LICENSE`): the code (`bp/`, `bpbook/` and the notebooks' code cells) is under
the MIT licence; the text and figures of the book (`book/`) are under Creative
Commons Attribution 4.0 (CC BY 4.0).
"""

# Where the README sends a reader for the live explorables, when the site's address is
# not configured (`_config.yml`: `html: baseurl:`, which Jupyter Book passes to Sphinx
# as html_baseurl).
NO_SITE_URL = "the website this download came from"


def readme(site_url=""):
    """The download's README; it names the website when its address is known."""
    return README.format(site=f"the book's website, <{site_url}>" if site_url else NO_SITE_URL)


def pyproject_without_tests(text):
    """The project's pyproject.toml without its pytest settings (the tests are not in the download)."""
    return text.split("[tool.pytest.ini_options]")[0].rstrip() + "\n"


def package_files(root):
    """Every file setuptools would install for the packages pyproject.toml lists:
    each package's modules (``*.py`` in its own folder; a subpackage is listed
    separately, as setuptools wants) and the package data matching its globs."""
    root = Path(root)
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = config.get("packages")
    if not isinstance(packages, list):
        # `packages = {find = ...}` would need setuptools' discovery; this project lists them.
        raise ValueError("pyproject.toml: [tool.setuptools] packages must be a list of packages")
    package_data = config.get("package-data", {})
    files = []
    for package in packages:
        folder = root / package.replace(".", "/")
        patterns = ["*.py"] + package_data.get(package, []) + package_data.get("*", [])
        files += [path for path in folder.iterdir() if path.is_file()
                  and any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)]
    return files


def code_of(cell):
    """A code cell's source as Python: IPython's magics (%...) and shell lines (!...)
    are commented out, so that ast can parse it."""
    lines = "".join(cell["source"]).split("\n")
    return "\n".join("# " + line if line.lstrip().startswith(("%", "!")) else line
                     for line in lines)


def code_cells(notebook):
    """The parsed code (an ast.Module) of every code cell of a notebook."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [ast.parse(code_of(cell), filename=str(notebook))
            for cell in cells if cell["cell_type"] == "code"]


def files_read(root, notebook):
    """Project files that a notebook names by a path relative to its folder.

    Every string constant in the notebook's code that is the relative path of an
    existing file in the project counts, e.g. ``"../tools/benchmarks/results.json"``
    in book/A_how_fast.ipynb. (A path built from pieces is not seen: name the file
    in one string.)"""
    root, folder = Path(root).resolve(), Path(notebook).resolve().parent
    found = set()
    for tree in code_cells(notebook):
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if not isinstance(text, str) or not text or "\n" in text or len(text) > 200 \
                    or Path(text).is_absolute():
                continue
            path = (folder / text).resolve()
            if path.is_file() and path.is_relative_to(root):
                found.add(path)
    return found


def notebooks(root):
    return sorted((Path(root) / "book").glob("*.ipynb"))


def pages(root):
    """The Markdown pages the chapters link to (notation, glossary, ...) and their figures."""
    book = Path(root) / "book"
    return sorted(book.glob("*.md")) + sorted((book / "figures").glob("*.png"))


def bundle_files(root):
    """The project files the download holds, as paths relative to root (sorted)."""
    root = Path(root).resolve()
    files = set(package_files(root)) | set(notebooks(root)) | set(pages(root)) | {root / LICENSE}
    for notebook in notebooks(root):
        files |= files_read(root, notebook)
    return sorted(path.resolve().relative_to(root) for path in files)


def write_zip(root, target, site_url=""):
    """Write the download to target: README.md and pyproject.toml (written for it),
    then bundle_files(root), all in the folder bp-book/."""
    root = Path(root)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{FOLDER}/README.md", readme(site_url))
        bundle.writestr(f"{FOLDER}/pyproject.toml", pyproject_without_tests((root / "pyproject.toml").read_text()))
        for relative in bundle_files(root):
            bundle.write(root / relative, f"{FOLDER}/{relative.as_posix()}")


def write_bundle(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    write_zip(app.srcdir, Path(app.outdir) / BUNDLE, site_url=app.config.html_baseurl)


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
