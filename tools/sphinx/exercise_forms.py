"""The exercises' forms on the site: writes _static/bp-exercises.js, made by
bpbook/exercise_forms.py from bp.exercises (the right answers and the messages of the
named mistakes, as bp gives them), and loads it on every page. A page with no answer
cell has nothing for it to do."""
from pathlib import Path


def write_script(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from bpbook.exercise_forms import script
    target = Path(app.outdir) / "_static" / "bp-exercises.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script(), encoding="utf-8")


def setup(app):
    app.add_js_file("bp-exercises.js", loading_method="defer")
    app.connect("build-finished", write_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
