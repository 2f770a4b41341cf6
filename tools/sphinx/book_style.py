"""A Sphinx extension for the book's pages: its own stylesheet and script
(tools/sphinx/static/bp-book.css and bp-book.js; the script makes the visible
sidebar buttons work, see its header), and two fixes of script errors that the
themes raise on every page, and the theme's 1.5 MB icon script replaced by a few
CSS rules."""
import re
from pathlib import Path

# pydata-sphinx-theme writes this tag into every page's head (webpack-macros.html).
FONTAWESOME_SCRIPT = re.compile(r'\s*<script defer src="[./]*_static/scripts/fontawesome\.js\?digest=\w+"></script>')


def set_default_mode(app, config):
    # pydata-sphinx-theme starts from localStorage's mode or html_context's default_mode;
    # with neither, it logs "Got invalid theme mode" on a reader's first visit.
    config.html_context.setdefault("default_mode", "auto")


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    """sphinx-thebe and sphinx-togglebutton add their inline settings twice (once with
    filename None, once with ""), so a page declared `const THEBE_JS_URL` twice, a
    SyntaxError. Keep the first of identical scripts."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        # an inline script is added with filename None by one call and "" by another
        key = (getattr(script, "filename", script) or "",
               tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


# pydata-sphinx-theme loads Sphinx's search tools and the whole search index (about 125 kB)
# on every page, for its search-as-you-type box. The book keeps that box off (the theme's
# default), so only the search page itself needs them, and it loads them on its own.
SEARCH_SCRIPTS = re.compile(r'\s*<script src="[./]*(?:_static/searchtools\.js|'
                            r'_static/language_data\.js|searchindex\.js)"></script>')


def drop_unused_search_scripts(outdir):
    """Remove the search scripts from every page but the search page; returns how many
    pages changed."""
    changed = 0
    for page in Path(outdir).rglob("*.html"):
        if page.name == "search.html":
            continue
        text = page.read_text(encoding="utf-8")
        lean = SEARCH_SCRIPTS.sub("", text)
        if lean != text:
            page.write_text(lean, encoding="utf-8")
            changed += 1
    return changed


def drop_fontawesome_script(app, exception):
    """fontawesome.js (1.5 MB, every page) turns the theme's dozen <i class="fa-...">
    icons into SVG; bp-book.css draws them from the theme's webfont instead."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = FONTAWESOME_SCRIPT.sub("", text)
        if lean != text:
            page.write_text(lean, encoding="utf-8")
    if not app.config.html_theme_options.get("search_as_you_type", False):
        drop_unused_search_scripts(app.outdir)


def setup(app):
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.add_css_file("bp-book.css")
    # every print rule (a page printed, the instructors' print, the book's PDF)
    app.add_css_file("bp-print.css", media="print")
    app.add_js_file("bp-book.js", loading_method="defer")
    app.connect("config-inited", set_default_mode)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)  # after every other handler
    app.connect("build-finished", drop_fontawesome_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
