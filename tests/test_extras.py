"""bp's optional parts: import bp stays numpy-only, and a missing package names its install.

Each case runs in a fresh interpreter in which the package is made unimportable
(``sys.modules[name] = None`` makes ``import name`` raise ImportError).
"""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

CASES = [
    ("sympy", "import bp.symbolic"),
    ("matplotlib", "import bpbook.plotting"),
    ("anywidget", "import bpbook.widgets"),
    ("sklearn", "import bp; bp.datasets.digits()"),
]


@pytest.mark.parametrize("missing, code", CASES)
def test_a_missing_extra_names_the_install_command(missing, code):
    program = f"import sys; sys.modules[{missing!r}] = None\n{code}"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(("ImportError: bp.", "ImportError: bpbook."))
    assert 'pip install -e ".[book]"' in last_line
    pip_name = "scikit-learn" if missing == "sklearn" else missing
    assert f"pip install {pip_name}`" in last_line


def test_the_book_extra_lists_every_package_bp_requires():
    project = Path(__file__).resolve().parent.parent
    extra = tomllib.loads((project / "pyproject.toml").read_text())["project"]["optional-dependencies"]["book"]
    listed = {re.split(r"[<>=!~ ]", requirement)[0] for requirement in extra}
    required = set()
    for module in [*(project / "bp").glob("*.py"), *(project / "bpbook").rglob("*.py")]:
        for name in re.findall(r'require\("([\w.]+)"', module.read_text()):
            top = name.split(".")[0]
            required.add("scikit-learn" if top == "sklearn" else top)
    assert required == {"sympy", "matplotlib", "anywidget", "scikit-learn"}
    assert required <= listed


# --- what import bp loads -----------------------------------------------------------------
# Only numpy: sympy, matplotlib, anywidget (ipywidgets) and scikit-learn are imported by the parts
# that need them, when they are used (bp/extras.py).


def test_import_bp_is_numpy_only():
    code = ("import sys, bp; heavy = [m for m in ('sympy', 'matplotlib', 'ipywidgets', 'anywidget', 'sklearn', "
            "'bpbook') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_new_layers_keeps_bp_numpy_only():
    code = ("import sys, bp, bp.recurrent, bp.convolution; "
            "heavy = [m for m in ('sympy', 'matplotlib', 'ipywidgets', 'sklearn', 'scipy', 'torch') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the direction of imports: bpbook (the book's figures and widgets) is built on bp ------------


def _imported_modules(path):
    """The absolute names of the modules a file imports (relative imports resolved)."""
    import ast
    package = ".".join(path.relative_to(PROJECT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            names.append(".".join([*base, node.module] if node.module else base))
    return names


PROJECT = Path(__file__).resolve().parent.parent


def test_bp_never_imports_the_books_package():
    offenders = {str(path.relative_to(PROJECT)): name for path in (PROJECT / "bp").rglob("*.py")
                 for name in _imported_modules(path) if name.split(".")[0] == "bpbook"}
    assert not offenders, f"bp must not import bpbook (the book's package is built on bp): {offenders}"
    # and at run time: importing every module of bp loads nothing of bpbook
    modules = ", ".join(f"bp.{p.stem}" for p in (PROJECT / "bp").glob("*.py") if p.stem != "__init__")
    code = f"import sys, {modules}; print([m for m in sys.modules if m.split('.')[0] == 'bpbook'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_import_checker_sees_a_planted_import():
    planted = PROJECT / "bp" / "_planted_for_test.py"
    planted.write_text("from bpbook.plotting import use_book_style\n")
    try:
        with pytest.raises(AssertionError, match="bp must not import bpbook"):
            test_bp_never_imports_the_books_package()
    finally:
        planted.unlink()
