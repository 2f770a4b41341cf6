"""A Sphinx extension that shows tracebacks with project-relative paths.

The site build executes every notebook, so the tracebacks of cells that raise on
purpose (tagged raises-exception) name files by the build folder's absolute path,
"/home/someone/clone/bp/dense.py". Readers should see "bp/dense.py", as the saved
notebooks do (tools/run_notebooks.py does the same for them).
"""
from pathlib import Path

from docutils import nodes

PROJECT = str(Path(__file__).resolve().parents[2]) + "/"   # tools/sphinx/ -> the project


def relative_tracebacks(app, doctree):
    for block in list(doctree.findall(nodes.literal_block)):
        if "traceback" in block.get("classes", []) and PROJECT in block.astext():
            text = block.astext().replace(PROJECT, "")
            relative = block.copy()            # the same attributes (classes, language), no text
            relative.rawsource = text
            relative += nodes.Text(text)
            block.replace_self(relative)


def setup(app):
    app.connect("doctree-read", relative_tracebacks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
