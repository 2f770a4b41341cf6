"""A Sphinx extension that serves MathJax from the built site itself.

Jupyter Book loads MathJax from a CDN by default, so a reader offline would
see raw LaTeX. The PyPI package django-static-mathjax carries MathJax 3.2.2;
after an HTML build this copies the parts the pages use into
``_build/html/mathjax/`` (``_config.yml`` points ``mathjax_path`` there).
It is not under ``_static/`` because Jupyter Book adds every .js file there
to every page.
"""
import shutil
from importlib.resources import files
from pathlib import Path

# startup.js is the entry point (_config.yml's mathjax_path); it loads the parts that
# _config.yml's mathjax3_config lists, then TeX extensions and fonts on demand.
PARTS = ["startup.js", "core.js", "input/tex.js", "input/tex", "output/chtml.js", "output/chtml",
         "a11y/assistive-mml.js", "adaptors",
         # the formula menu, loaded only when a reader turns it on (bp-book.js), and what
         # its settings load on demand: the explorer and speech (a11y/, sre/), the SVG output
         "ui", "a11y", "sre", "output/svg.js", "output/svg"]


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    package = Path(str(files("mathjax"))) / "static" / "mathjax"
    source, target = package / "es5", Path(app.outdir) / "mathjax"
    for part in PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)
    shutil.copy2(package / "LICENSE", target / "LICENSE")


def setup(app):
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
