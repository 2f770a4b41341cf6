"""The site's build steps that cut its weight (tools/sphinx/lean_css.py, book_style.py,
lazy_data.py): they drop only what no page uses, and keep what a page does."""
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools" / "sphinx"))
import book_style  # noqa: E402
import lazy_data  # noqa: E402
import lean_css  # noqa: E402

CSS = ('/*! a license */\n/* a comment */\n.used{color:red}.unused{color:blue}'
       '.used,.unused .used{margin:0}a.used:not(.unused){x:y}p{z:1}[data-theme=dark] .used{a:b}'
       '@media (min-width:720px){.unused{c:d}.used .also{e:f}}@media print{.unused{g:h}}'
       '@font-face{font-family:X;src:url(x.woff2)}.bs-tooltip-top{i:j}.q::before{content:"}{"}')


def test_lean_keeps_the_rules_a_page_can_use_and_drops_the_others():
    cut = lean_css.lean(CSS, {"used", "also", "q"})
    assert "/*! a license */" in cut and "/* a comment */" not in cut
    assert ".used{color:red}" in cut and ".unused{color:blue}" not in cut
    assert ".used{margin:0}" in cut                        # the unused selector of the group goes
    assert "a.used:not(.unused){x:y}" in cut               # a class in :not() need not be used
    assert "p{z:1}" in cut and "[data-theme=dark] .used{a:b}" in cut
    assert "@media (min-width:720px){.used .also{e:f}}" in cut
    assert "@media print" not in cut                       # a block left empty goes
    assert "@font-face{font-family:X;src:url(x.woff2)}" in cut
    assert ".bs-tooltip-top{i:j}" in cut                   # built by Bootstrap's script from parts
    assert '.q::before{content:"}{"}' in cut               # braces inside a string
    assert cut.count("{") == cut.count("}")


def test_icon_code_points_are_read_as_characters_and_escapes():
    assert book_style.code_points('.a:before{content:"\\f002"}.b{--i:"\uf0c9"}') == {0xF002, 0xF0C9}


def test_toggles_and_the_search_field_are_named_by_their_visible_text():
    page = ('<summary aria-label="Toggle hidden content"><span>Show code cell source</span></summary>'
            '<button class="btn search-button-field search-button__button pst-js-only" title="Search" '
            'aria-label="Search" data-bs-placement="bottom">')
    fixed = book_style.name_by_visible_text(page)
    assert "Toggle hidden content" not in fixed and 'aria-label="Search"' not in fixed


def test_lazy_data_moves_to_a_script_file_named_by_the_page(tmp_path):
    page = tmp_path / "book" / "chapter.html"
    page.parent.mkdir()
    page.write_text('<p>x</p><script type="application/json" data-bp-lazy="runs-1">[1,2,3]</script>')
    app = types.SimpleNamespace(outdir=str(tmp_path), builder=types.SimpleNamespace(format="html"))
    lazy_data.move_lazy_data(app, None)
    assert page.read_text() == ('<p>x</p><script type="application/json" data-bp-lazy="runs-1" '
                                'data-src="../_static/lazy/runs-1.js"></script>')
    script = (tmp_path / "_static" / "lazy" / "runs-1.js").read_text()
    assert 'window.bpLazy["runs-1"] = [1,2,3];' in script


def test_figures_load_when_near_the_screen():
    page = '<img alt="a" src="x.png" style="width: 5px"/><img loading="eager" src="y.png"/>'
    assert book_style.load_images_when_near(page) == (
        '<img loading="lazy" decoding="async" alt="a" src="x.png" style="width: 5px"/>'
        '<img loading="eager" src="y.png"/>')
