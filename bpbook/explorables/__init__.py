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

``show(name)`` puts an explorable in a notebook. When the site is built (``make book``
sets ``BP_BOOK_SITE=1``) its HTML form is the live explorable: the JavaScript and the
data inlined, and the static figure with its text, which the script replaces and which
is what a reader sees with JavaScript off. Elsewhere (Jupyter, nbval, the saved
notebooks) it is the static figure and the text, whose digits every CPU reproduces.

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


def page_html(name, alt):
    """The explorable as one self-contained HTML fragment: the static figure and its text
    (what shows without JavaScript), then the script that replaces it with the live
    explorable. Nothing is fetched from a network; the same bp gives the same bytes."""
    explorable = module(name)
    text = explorable.describe()
    png = base64.b64encode(png_bytes(explorable.static_figure())).decode("ascii")
    payload = json.dumps(explorable.page_data(), separators=(",", ":")).replace("</", "<\\/")
    common = (HERE / "common.js").read_text(encoding="utf-8")
    script = (HERE / f"{name}.js").read_text(encoding="utf-8")
    uid = f"bp-x-{name}-" + hashlib.sha1(payload.encode()).hexdigest()[:8]
    return f"""<div class="bp-explorable" id="{uid}" data-name="{name}" aria-label="{html.escape(explorable.TITLE)}" role="group">
<figure class="bp-x-static"><img src="data:image/png;base64,{png}" alt="{html.escape(alt)}">
<figcaption>{html.escape(text)}</figcaption></figure>
<script>
{common}
(function () {{
"use strict";
const root = document.getElementById("{uid}");
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
        if os.environ.get(SITE_BUILD):
            return {"text/plain": text, "text/html": page_html(self.name, self.alt)}, {}
        png = base64.b64encode(png_bytes(self.module.static_figure())).decode("ascii")
        return {"text/plain": text, "image/png": png}, {}

    def _ipython_display_(self):
        """In a notebook: the bundle above; in Jupyter, then the text under the figure
        (Jupyter shows one form of an output, here the picture, so the words come apart)."""
        from IPython.display import display
        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        if "text/html" not in data:
            display({"text/markdown": f"*{self.module.describe()}*",
                     "text/plain": self.module.describe()}, raw=True)


def show(name, alt):
    """Explorable ``name`` for a notebook cell; ``alt`` describes its static figure."""
    return Explorable(name, alt)
