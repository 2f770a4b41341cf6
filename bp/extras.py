"""The optional packages some parts of bp need, and a clear error when one is missing.

``pip install bp`` (``pip install -e .``) brings numpy only: enough for the layers,
losses, training loop and gradient checks. The book's extra parts need more:

    bp.symbolic          sympy
    bp.datasets.digits   scikit-learn (for its bundled digits; nothing is downloaded)
    bpbook.plotting      matplotlib (the book's package, beside bp)
    bpbook.widgets       anywidget (with ipywidgets)

``pip install -e ".[book]"`` installs them all (pyproject.toml names them).
"""
import importlib

PIP_NAMES = {"sklearn": "scikit-learn"}     # import name -> the name pip knows it by


def require(module, needed_by):
    """Import ``module`` (e.g. "sympy", "matplotlib.pyplot") or raise an ImportError that
    says which part of bp needs it and what to install."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        top = module.split(".")[0]
        raise ImportError(
            f"{needed_by} needs {top}, which is not installed (plain `pip install bp` brings "
            f"numpy only). Install the book's extras with `pip install -e \".[book]\"` in the "
            f"project folder, or just `pip install {PIP_NAMES.get(top, top)}`.") from err
