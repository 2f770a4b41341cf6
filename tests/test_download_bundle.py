"""The site's download (tools/sphinx/download_bundle.py) holds what the notebooks need.

A reader who downloads "all notebooks (.zip)" has only what is in it. These tests,
which need no built site, check the list of files the zip is made from: every module
of bp and bpbook a notebook imports, every file of the two packages that git tracks,
and the files the notebooks read. `make bundle-test` then installs the built zip as its README says
and runs every notebook.
"""
import ast
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tools.sphinx import download_bundle as bundle

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = bundle.notebooks(ROOT)
PACKAGES = {"bp", "bpbook"}   # the library and the book's package beside it


def bp_imports(notebook):
    """Every module of bp and bpbook a notebook imports, e.g. {"bp", "bpbook.plotting"}.

    ``from bp import datasets`` imports the module bp.datasets when bp/datasets.py
    exists, so a name after ``from bp... import`` counts when it is a module.
    """
    modules = set()
    for tree in bundle.code_cells(notebook):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name for alias in node.names if alias.name.split(".")[0] in PACKAGES}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.split(".")[0] in PACKAGES:
                modules.add(node.module)
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    if module_files(ROOT, candidate):
                        modules.add(candidate)
    return modules


def module_files(root, module):
    """The files in root that make module importable ([] if there are none): its own
    file and every enclosing package's __init__.py."""
    parts = module.split(".")
    files = [Path(*parts[:i], "__init__.py") for i in range(1, len(parts))]
    for own in (Path(*parts).with_suffix(".py"), Path(*parts, "__init__.py")):
        if (Path(root) / own).is_file():
            return files + [own]
    return []


def missing_modules(notebooks, files):
    """{notebook name: sorted bp modules it imports whose files are not all in files}."""
    files = set(files)
    missing = {}
    for notebook in notebooks:
        lacking = sorted(module for module in bp_imports(notebook)
                         if not module_files(ROOT, module) or not set(module_files(ROOT, module)) <= files)
        if lacking:
            missing[notebook.name] = lacking
    return missing


def test_the_chapters_import_bp_and_its_explorables():
    # The checker below sees the imports it must check (chapters 2-10 show an explorable).
    imported = set().union(*(bp_imports(notebook) for notebook in NOTEBOOKS))
    assert {"bp", "bpbook.plotting", "bpbook.explorables", "bp.datasets", "bpbook.widgets"} <= imported


def test_the_checker_finds_what_the_old_download_lacked():
    # The first download collected bp/*.py only (not recursive): the explorables, now in
    # bpbook/explorables/, were missing. Collected that way, every chapter lacks bpbook.
    old_files = sorted(p.relative_to(ROOT) for p in (ROOT / "bp").glob("*.py")) + \
        [n.relative_to(ROOT) for n in NOTEBOOKS]
    missing = missing_modules(NOTEBOOKS, old_files)
    assert "bpbook.explorables" in missing.get("02_what_is_backprop.ipynb", [])
    assert sum("bpbook.explorables" in lacking for lacking in missing.values()) == 9   # chapters 2-10


def test_every_bp_module_a_notebook_imports_is_in_the_download():
    missing = missing_modules(NOTEBOOKS, bundle.bundle_files(ROOT))
    assert not missing, (f"the download lacks modules the notebooks import: {missing}. "
                         "Is the package listed in pyproject.toml's [tool.setuptools] packages?")


def test_every_file_of_bp_and_bpbook_that_git_tracks_is_in_the_download():
    # Catches a module or a .js file that pyproject.toml does not package (then
    # `pip install .` would lack it too), even if no notebook imports it directly:
    # show() loads an explorable's module and script by name.
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "bp", "bpbook"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    files = {path.as_posix() for path in bundle.bundle_files(ROOT)}
    assert tracked, "git ls-files bp bpbook found nothing"
    missing = sorted(set(tracked) - files)
    assert not missing, (f"the download lacks {missing}: add them to pyproject.toml's "
                         "[tool.setuptools] packages or package-data")


def test_the_download_holds_the_files_the_notebooks_read_and_the_licence():
    files = {path.as_posix() for path in bundle.bundle_files(ROOT)}
    assert "tools/benchmarks/results.json" in files   # read by chapter "How fast is bp?"
    assert "LICENSE" in files
    assert {f"book/{n.name}" for n in NOTEBOOKS} <= files
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]


def test_every_page_or_figure_a_chapter_or_page_links_to_is_in_the_download():
    files = {path.as_posix() for path in bundle.bundle_files(ROOT)}
    sources = [*NOTEBOOKS, *sorted((ROOT / "book").glob("*.md"))]
    linked = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        # Markdown links and figures to a file beside the chapters: (notation.md), figures/x.png
        for target in re.findall(r"\]\(([\w/.-]+\.(?:md|png))\)|figure\}\s+([\w/.-]+\.png)", text):
            linked.add("book/" + (target[0] or target[1]))
    assert {"book/notation.md", "book/figures/layer_symbols.png"} <= linked
    missing = sorted(linked - files)
    assert not missing, f"linked from the chapters or pages but not in the download: {missing}"


def test_files_read_finds_a_relative_path_and_ignores_other_strings(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "points.csv").write_text("1,2\n")
    cells = [{"cell_type": "code", "source": [
        "%matplotlib inline\n",
        "text = open('../data/points.csv').read()\n",
        "saved = 'digits-net.npz'   # written by the notebook, not in the project\n",
        "label = 'a learning rate'\n"]}]
    notebook = tmp_path / "book" / "chapter.ipynb"
    notebook.write_text(json.dumps({"cells": cells}))
    assert bundle.files_read(tmp_path, notebook) == {(tmp_path / "data" / "points.csv").resolve()}


def test_the_zip_and_its_readme(tmp_path):
    target = tmp_path / bundle.BUNDLE
    bundle.write_zip(ROOT, target, site_url="https://example.org/bp-book/")
    names = set(zipfile.ZipFile(target).namelist())
    assert {"bp-book/README.md", "bp-book/pyproject.toml", "bp-book/LICENSE",
            "bp-book/bp/__init__.py", "bp-book/bp/lstm.py", "bp-book/bpbook/explorer.js",
            "bp-book/bpbook/explorables/__init__.py", "bp-book/bpbook/explorables/common.js"} <= names
    readme = zipfile.ZipFile(target).read("bp-book/README.md").decode()
    assert "<https://example.org/bp-book/>" in readme
    assert "MIT" in readme and "CC BY 4.0" in readme
    pyproject = zipfile.ZipFile(target).read("bp-book/pyproject.toml").decode()
    assert "pytest" not in pyproject   # the tests are not in the download
    # Without a configured address the README still says where the live figures are.
    assert bundle.NO_SITE_URL in bundle.readme("")
