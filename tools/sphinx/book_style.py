"""A Sphinx extension that adds the book's own stylesheet, tools/sphinx/static/bp-book.css."""
from pathlib import Path


def setup(app):
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.add_css_file("bp-book.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
