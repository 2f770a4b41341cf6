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


# Accessible names that differ from the visible text (WCAG 2.5.3, "label in name": a
# speech user says what they see). myst-nb names every code-cell toggle "Toggle hidden
# content" while it reads "Show code cell source"; without the aria-label its name is its
# visible text. The theme names its search field "Search" while it reads "Search Ctrl+K".
MISNAMED = [('<summary aria-label="Toggle hidden content">', "<summary>"),
            ('search-button-field search-button__button pst-js-only" title="Search" aria-label="Search"',
             'search-button-field search-button__button pst-js-only" title="Search"')]


def load_images_when_near(text):
    """Every figure loads as it comes near the screen (loading="lazy"), not with the page:
    a chapter's figures are a quarter of its bytes, and a reader on a phone sees one or
    two at a time. Each <img> has its size in its style, so nothing moves as they load;
    browsers load them all before printing."""
    return re.sub(r"<img (?![^>]*\bloading=)", '<img loading="lazy" decoding="async" ', text)


def name_by_visible_text(text):
    for wrong, right in MISNAMED:
        text = text.replace(wrong, right)
    return text


def drop_fontawesome_script(app, exception):
    """fontawesome.js (1.5 MB, every page) turns the theme's dozen <i class="fa-...">
    icons into SVG; bp-book.css draws them from the theme's webfont instead. The same
    pass names the toggles and the search field by their visible text."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = load_images_when_near(name_by_visible_text(FONTAWESOME_SCRIPT.sub("", text)))
        if lean != text:
            page.write_text(lean, encoding="utf-8")
    if not app.config.html_theme_options.get("search_as_you_type", False):
        drop_unused_search_scripts(app.outdir)
    from lean_css import lean_stylesheets   # tools/sphinx/, on the path as a local extension
    before, after = lean_stylesheets(app.outdir)
    print(f"book_style: stylesheets cut to the rules the site uses, {before / 1e3:.0f} kB -> {after / 1e3:.0f} kB")
    before, after = subset_icon_fonts(app.outdir)
    print(f"book_style: icon fonts cut to the icons the site uses, {before / 1e3:.0f} kB -> {after / 1e3:.0f} kB")


# Font Awesome's fonts hold every glyph (the solid one 156 kB) while the pages use a
# dozen icons. After the stylesheets are cut to the rules the site uses (lean_css.py),
# the fonts are cut to the glyphs those rules still name.
PRIVATE_USE = re.compile(r'[\ue000-\uf8ff]|\\(f[0-9a-f]{3})\b')


def code_points(text):
    """The icons (Unicode private-use code points) a stylesheet names, literally or as \\fxxx."""
    points = set()
    for match in PRIVATE_USE.finditer(text):
        points.add(int(match.group(1), 16) if match.group(1) else ord(match.group(0)))
    return points


def subset_icon_fonts(outdir):
    """Cut the icon fonts to the glyphs the site's stylesheets name; returns (bytes before,
    bytes after)."""
    from fontTools import subset
    outdir = Path(outdir)
    points = set()
    for css in outdir.glob("_static/**/*.css"):
        points |= code_points(css.read_text(encoding="utf-8"))
    before = after = 0
    for font in outdir.glob("_static/vendor/fontawesome/webfonts/*.woff2"):
        before += font.stat().st_size
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = []
        face = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(face)
        subset.save_font(face, str(font), options)
        after += font.stat().st_size
    return before, after


# The explorables' stylesheet, which a notebook's explorable also carries inline
EXPLORABLE_CSS = Path(__file__).resolve().parents[2] / "bpbook" / "explorables" / "explorable.css"


def copy_explorable_css(app, exception):
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(exist_ok=True)
        (static / "bp-explorable.css").write_text(EXPLORABLE_CSS.read_text(encoding="utf-8"),
                                                  encoding="utf-8")


def setup(app):
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))
    app.add_css_file("bp-book.css")
    app.add_css_file("bp-explorable.css")
    # every print rule (a page printed, the instructors' print, the book's PDF)
    app.add_css_file("bp-print.css", media="print")
    app.add_js_file("bp-book.js", loading_method="defer")
    app.connect("config-inited", set_default_mode)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)  # after every other handler
    app.connect("build-finished", drop_fontawesome_script)
    app.connect("build-finished", copy_explorable_css)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
