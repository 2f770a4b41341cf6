"""Explorables: the book's interactive figures, for a page with no kernel and no network.

Each explorable is two files in this folder with the same name:

``<name>.py``
    ``TITLE``; ``page_data()``, the numbers the page starts from, made by bp (a data set,
    initial weights); ``describe()``, the default state in words (portable digits);
    ``static_figure()``, a matplotlib figure of the default state; and ``reference()``,
    the test cases: what the browser test does to the controls, and what bp computes
    for that setting.
``<name>.js``
    ``function explore(live, data, root)``: builds the controls and the canvas in
    ``live`` with :file:`common.js`, computes in the page what bp computes (a port of
    the book's equations, commented with their labels), and writes its numbers to
    ``root``'s ``data-result`` attribute.

``show(name, alt)`` puts an explorable in a notebook. Its HTML form is the live
explorable, the same in every place: the JavaScript and the data inlined, and the static
figure with its text, which the script replaces and which is what a reader sees where no
script runs (JavaScript off; a notebook not yet run, which Jupyter does not trust; GitHub).
On the site (``make book`` sets ``BP_BOOK_SITE=1``) the page links the stylesheet; in
Jupyter (JupyterLab, Notebook 7, VS Code) the output carries it, with a sharper figure and
a sentence on where the live one runs. Its plain-text form is the default state in words,
whose digits every CPU reproduces (what nbval compares; tools/nbval_sanitize.cfg sets the
HTML aside, which the browser and lab tests check in the page).

``make book`` then runs ``tools/explorable_reference.py``, which writes every
explorable's ``reference()`` to ``_build/explorables-reference.json``; ``make
browser-test`` operates each explorable as the cases say and compares the page's
numbers with bp's.

Imported only by the chapters that show an explorable, so ``import bp`` stays light.
"""
import base64
import hashlib
import html
import importlib
import io
import json
import os
from pathlib import Path

HERE = Path(__file__).parent
# Set by `make book`: build the live form into the page.
SITE_BUILD = "BP_BOOK_SITE"

# Every explorable, in the order of the chapters that show it.
NAMES = (
    "gradient_descent_1d",   # What is backpropagation: a learning-rate slider on a 1-D cost
    "four_steps",            # The algorithm: the four steps, stepped with buttons
    "forward_pass",          # Forward propagation: change an input or a weight, watch downstream
    "backward_pass",         # Backprop calculations: the backward pass stepped layer by layer
    "graph_backward",        # The computational graph: gradients flowing back node by node
    "momentum_quadratic",    # Updating the weights: rate and momentum on an ill-conditioned quadratic
    "playground",            # Advantages: a small network trained in the page
    "rnn_gradient_norm",     # Recurrent networks: spectral radius of W_hh and the gradient through time
    "conv_backward",         # Convolutional networks: which taps and which entries of dY make dX
)


def module(name):
    """The Python half of explorable ``name``."""
    if name not in NAMES:
        raise ValueError(f"no explorable named {name!r}; the explorables are {', '.join(NAMES)}")
    return importlib.import_module(f"{__name__}.{name}")


def reference_cases(name):
    """The browser test's cases for ``name``, with bp's numbers (JSON-ready)."""
    return module(name).reference()


def png_bytes(figure, dpi=80):
    """A matplotlib figure as PNG bytes, closed afterwards (the static form stays small)."""
    import matplotlib.pyplot as plt
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


# In Jupyter the figure shown where no script runs (a notebook not yet run, on GitHub, in
# nbconvert's output with scripts off) has twice the pixels it is shown at: sharp on any
# screen. The site keeps 80 dpi: its pages stay light, and its readers get the live one.
JUPYTER_DPI, SITE_DPI = 160, 80
IN_JUPYTER = ("This figure is the starting point of a live explorable: run this cell in "
              "JupyterLab, Notebook 7 or VS Code (the notebook trusted, as it is once run) "
              "to operate it, or read the chapter on the book's website.")


def page_html(name, alt, jupyter=False):
    """The explorable as one self-contained HTML fragment: the static figure and its text
    (what shows without JavaScript), then the script that replaces it with the live
    explorable. Nothing is fetched from a network; the same bp gives the same bytes.

    jupyter: the form for a notebook's output: it carries the explorables' stylesheet
    (the site links it), a sharper static figure, and says where the live one runs."""
    explorable = module(name)
    text = explorable.describe()
    png_data = png_bytes(explorable.static_figure(), dpi=JUPYTER_DPI if jupyter else SITE_DPI)
    png = base64.b64encode(png_data).decode("ascii")
    size = ""
    if jupyter:   # shown at half its pixels
        width = int.from_bytes(png_data[16:20], "big")   # the PNG header's IHDR width
        size = f' width="{width // 2}"'
        text = f"{text} {IN_JUPYTER}"
    payload = json.dumps(explorable.page_data(), separators=(",", ":")).replace("</", "<\\/")
    common = (HERE / "common.js").read_text(encoding="utf-8")
    script = (HERE / f"{name}.js").read_text(encoding="utf-8")
    style = ("<style>\n" + (HERE / "explorable.css").read_text(encoding="utf-8") + "</style>\n"
             if jupyter else "")
    uid = f"bp-x-{name}-" + hashlib.sha1(payload.encode()).hexdigest()[:8]
    return f"""{style}<div class="bp-explorable" id="{uid}" data-name="{name}" aria-label="{html.escape(explorable.TITLE)}" role="group">
<figure class="bp-x-static"><img src="data:image/png;base64,{png}"{size} alt="{html.escape(alt)}">
<figcaption>{html.escape(text)}</figcaption></figure>
<script>
{common}
(function () {{
"use strict";
// the explorable this script sits in (a notebook shown twice has two with the same id)
const root = (document.currentScript && document.currentScript.closest(".bp-explorable")) ||
  document.getElementById("{uid}");
const data = {payload};
{script}
bpUI.start(root, (live) => explore(live, data, root));
}})();
</script>
</div>"""


class Explorable:
    """What ``show`` returns: displayed, it is the explorable (see the module docstring)."""

    def __init__(self, name, alt):
        self.name = name
        self.alt = alt
        self.module = module(name)

    def _repr_mimebundle_(self, **kwargs):
        text = f"{self.module.TITLE}. {self.module.describe()}"
        return {"text/plain": text,
                "text/html": page_html(self.name, self.alt,
                                       jupyter=not os.environ.get(SITE_BUILD))}, {}


def show(name, alt):
    """Explorable ``name`` for a notebook cell; ``alt`` describes its static figure."""
    return Explorable(name, alt)
