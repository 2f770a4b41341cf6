"""A Sphinx extension that moves large data out of the pages, to be loaded when needed.

An explorable may carry numbers that a reader needs only after a certain move: the
learning-rate explorer's runs of 1000 epochs (bpbook/widgets.py) are 80% of its bytes and
are drawn only when the epochs slider is moved. It puts them in

    <script type="application/json" data-bp-lazy="NAME">...</script>

After the build, this extension writes each such element's contents to
``_static/lazy/NAME.js`` (as ``window.bpLazy["NAME"] = ...;``, a script, because a page
opened from a file may load scripts but not fetch JSON) and leaves the element empty,
with ``data-src`` giving that file's address. The explorable's script loads it the first
time it is needed.
"""
import os
import re
from pathlib import Path

LAZY = re.compile(r'<script type="application/json" data-bp-lazy="([\w-]+)">(.+?)</script>', re.S)


def move_lazy_data(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    folder = outdir / "_static" / "lazy"
    moved = 0
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data-bp-lazy" not in text:
            continue

        def to_file(match):
            nonlocal moved
            name, payload = match.group(1), match.group(2)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.js").write_text(
                f'window.bpLazy = window.bpLazy || {{}};\nwindow.bpLazy["{name}"] = {payload};\n',
                encoding="utf-8")
            moved += len(payload.encode("utf-8"))
            src = os.path.relpath(folder / f"{name}.js", page.parent).replace(os.sep, "/")
            return f'<script type="application/json" data-bp-lazy="{name}" data-src="{src}"></script>'

        page.write_text(LAZY.sub(to_file, text), encoding="utf-8")
    if moved:
        print(f"lazy_data: {moved / 1e3:.0f} kB of explorables' data moved out of the pages into "
              f"{folder.relative_to(outdir)}/, loaded when first needed")


def setup(app):
    app.connect("build-finished", move_lazy_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
