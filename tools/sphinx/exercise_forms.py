"""The exercises' forms on the site. Each chapter's page loads
_static/bp-exercises-<chapter>.js, made by bpbook/exercise_forms.py from bp.exercises (the
right answers and the messages of the named mistakes, as bp gives them) for that chapter
only; a page without checkable exercises loads nothing."""
from pathlib import Path


def chapter_of(pagename):
    """"book/06_computational_graph" -> "06" (the prefix of its exercise ids)."""
    return Path(pagename).name.split("_")[0]


def add_script(app, pagename, templatename, context, doctree):
    from bp.exercises import ids
    chapter = chapter_of(pagename)
    if any(i.split(".")[0] == chapter for i in ids()):
        app.add_js_file(f"bp-exercises-{chapter}.js", loading_method="defer")


def write_scripts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from bp.exercises import ids
    from bpbook.exercise_forms import script
    folder = Path(app.outdir) / "_static"
    folder.mkdir(parents=True, exist_ok=True)
    for chapter in sorted({i.split(".")[0] for i in ids()}):
        (folder / f"bp-exercises-{chapter}.js").write_text(script(chapter), encoding="utf-8")


def setup(app):
    app.connect("html-page-context", add_script)
    app.connect("build-finished", write_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
