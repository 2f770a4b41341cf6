"""The whole book as one PDF, printed from the built site by the project's Chromium.

Run by `make book` after the site is built. It joins the article of every page of
_toc.yml (the front page, the chapters, the appendix), in that order, into one HTML
page with the site's stylesheets, scripts and MathJax, and prints it with Playwright's
page.pdf to _build/html/bp-book.pdf, solutions folded as on screen. With --answers it
also prints _build/bp-book-answers.pdf, every solution and folded cell open, for
instructors (a second print of the same page: about two more minutes here, so not in
`make book`).

One page rather than one PDF per chapter joined afterwards, so that the links between
chapters and to equations jump inside the PDF: every id gets its page's name as a prefix
and every link to a book page becomes a link to that prefixed anchor. A title page and a
table of contents (links to the chapters) come first; page numbers are in every page's
footer, and the PDF's outline (bookmarks) lists every heading. The table of contents has
no page numbers: Chromium cannot compute them (no target-counter), and a second print to
read them from the first would double the build's time.

Usage: .venv/bin/python -m tools.book_pdf [--answers]
"""
import html
import posixpath
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

from tools.browser_test import SITE, serve_site
from tools.chromium import CHROMIUM_ARGS, chromium_or_skip

BOOK_PDF = SITE / "bp-book.pdf"
# Beside the site, not in it: the site need not carry a second copy of the book (its
# answers are one click away on every page anyway).
ANSWERS_PDF = SITE.parent / "bp-book-answers.pdf"
# The joined page lives beside the chapters, so that their relative addresses (images,
# stylesheets, MathJax) hold unchanged; it is removed after printing.
JOINED = SITE / "book" / "_bp-book-print.html"
ID_ATTRIBUTES = ("for", "aria-labelledby", "aria-describedby", "aria-controls")

# Only for the joined page: each page of the book starts a new sheet; the title page and
# the table of contents are the book's own.
PDF_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html, body { background: #fff !important; }
.bd-main .bd-content .bd-article-container { max-width: none; padding: 0; }
.bd-main { display: block; }
section.bp-pdf-page { break-before: page; }
.bp-pdf-title { text-align: center; padding-top: 30vh; break-after: page; }
.bp-pdf-title p.bp-pdf-booktitle { font-size: 2.4rem; font-weight: bold; margin-bottom: 1.5rem; }
.bp-pdf-title p { font-size: 1.1rem; margin: 0.4rem 0; }
.bp-pdf-title p.bp-pdf-note { font-size: 0.9rem; margin-top: 3rem; color: #444; }
nav.bp-pdf-toc h2 { margin-top: 0; }
nav.bp-pdf-toc ol { list-style: none; padding-left: 0; }
nav.bp-pdf-toc li { margin: 0.35rem 0; }
nav.bp-pdf-toc li.bp-pdf-part { font-weight: bold; margin-top: 1.1rem; }
nav.bp-pdf-toc li a { text-decoration: none; color: inherit; }
"""


# The page number in every page's footer; the outline (bookmarks) from the headings.
PDF_OPTIONS = dict(
    format="A4", print_background=True, outline=True, tagged=True, prefer_css_page_size=True,
    display_header_footer=True, header_template="<div></div>",
    footer_template=('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                     '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'))


def toc_pages():
    """[(part caption or None, page name)] in the order of _toc.yml."""
    toc = yaml.safe_load(Path("_toc.yml").read_text(encoding="utf-8"))
    pages = [(None, toc["root"])]
    for part in toc.get("parts", []):
        pages += [(part.get("caption"), chapter["file"]) for chapter in part.get("chapters", [])]
    return pages


def key_of(name):
    """An id-safe prefix for a page, e.g. book/06_computational_graph -> 06_computational_graph."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", Path(name).name)


def joined_html(pages):
    """The book as one HTML page (a string), with ids and links made page-local."""
    by_path = {f"{name}.html": key_of(name) for _, name in pages}
    soups = {name: BeautifulSoup((SITE / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
             for _, name in pages}
    config = yaml.safe_load(Path("_config.yml").read_text(encoding="utf-8"))
    book_title, author = config.get("title", ""), config.get("author", "")
    head = soups[pages[1][1]].head   # a chapter's head: the site's CSS, scripts and MathJax
    head.title.string = book_title
    for script in head.find_all("script"):
        if script.string and "window.MathJax" in script.string:
            # The hidden MathML copy of every formula is for screen readers on the site; on
            # paper it only adds to typesetting and printing time.
            script.string = script.string.replace(', "a11y/assistive-mml"', "")
    style = BeautifulSoup(f"<style>{PDF_CSS}</style>", "html.parser")
    head.append(style)

    sections, toc_entries, last_part = [], [], None
    for part, name in pages:
        soup, key = soups[name], key_of(name)
        article = soup.find("article", class_="bd-article")
        for script in article.find_all("script"):
            # the explorables' scripts: paper shows their static figure and words
            script.decompose()
        for image in article.find_all("img"):
            # the site loads figures as the reader nears them; the PDF needs all of them
            # before "load", when it is printed
            image.attrs.pop("loading", None)
        for tag in article.find_all(id=True):
            tag["id"] = f"{key}--{tag['id']}"
        for attribute in ID_ATTRIBUTES:
            for tag in article.find_all(attrs={attribute: True}):
                tag[attribute] = " ".join(f"{key}--{v}" for v in str(tag[attribute]).split())
        for link in article.find_all("a", href=True):
            href = link["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue   # another site: the PDF keeps the address
            if not parts.path:
                target = key
            else:
                path = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
                target = by_path.get(path)
            if target is None:
                link.unwrap()   # a file of the site (index, sources): no use in a PDF
                continue
            link["href"] = f"#{target}--{parts.fragment}" if parts.fragment else f"#{target}"
        h1 = article.find("h1")
        title = h1.get_text(" ", strip=True).replace("#", "").strip() if h1 else name
        if part != last_part and part:
            toc_entries.append(f'<li class="bp-pdf-part">{html.escape(part)}</li>')
            last_part = part
        toc_entries.append(f'<li><a href="#{key}">{html.escape(title)}</a></li>')
        sections.append(f'<section class="bp-pdf-page" id="{key}">{article.decode_contents()}</section>')

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    title_page = f"""<div class="bp-pdf-title">
<p class="bp-pdf-booktitle">{html.escape(book_title)}</p>
<p>{html.escape(author)}</p>
<p>Printed from the book's website{f', commit {commit}' if commit else ''}.</p>
<p class="bp-pdf-note"><span class="bp-pdf-edition">Exercise solutions are folded, as on the
website.</span> The explorables are printed as their starting figure and words; on the website
they are live.</p></div>
<script>
function bpEdition(answers) {{
  if (answers) document.querySelector(".bp-pdf-edition").textContent =
    "Instructors' edition: every exercise solution and folded cell is open.";
}}
</script>"""
    toc = f'<nav class="bp-pdf-toc"><h2>Contents</h2><ol>{"".join(toc_entries)}</ol></nav>'
    body = f"""<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">
<article class="bd-article" role="main">{title_page}{toc}{"".join(sections)}</article>
</div></div></main></body>"""
    return f'<!DOCTYPE html>\n<html lang="en" data-theme="light">{head}{body}</html>'


def load(page, url):
    """Open the joined book and wait until MathJax has typeset it (about 40 s here)."""
    page.goto(url, wait_until="load", timeout=300_000)
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=300_000)
    page.evaluate("() => MathJax.startup.promise.then(() => document.fonts.ready).then(() => true)")


def report(path, started, answers):
    from pypdf import PdfReader
    count = len(PdfReader(str(path)).pages)
    print(f"book pdf: {path} ({'answers open' if answers else 'solutions folded'}): {count} pages, "
          f"{path.stat().st_size / 1e6:.1f} MB, {time.monotonic() - started:.0f} s", flush=True)


def main():
    started = time.monotonic()
    if not (SITE / "book").is_dir():
        sys.exit("book pdf: no built site in _build/html; run `make book` first.")
    chromium = chromium_or_skip("book pdf", "the book's PDF is not built")
    if chromium is None:
        return
    from playwright.sync_api import sync_playwright

    pages = toc_pages()
    JOINED.write_text(joined_html(pages), encoding="utf-8")
    try:
        with sync_playwright() as p, serve_site() as base:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_context(color_scheme="light").new_page()
            load(page, base + JOINED.relative_to(SITE).as_posix())
            print(f"book pdf: {len(pages)} pages of the site joined and typeset in "
                  f"{time.monotonic() - started:.0f} s", flush=True)
            t0 = time.monotonic()
            page.pdf(path=str(BOOK_PDF), **PDF_OPTIONS)
            report(BOOK_PDF, t0, answers=False)
            if "--answers" in sys.argv:
                # the same typeset page with every answer open (bp-print.js), printed again
                t0 = time.monotonic()
                page.evaluate("() => { bpOpenAnswers(); bpEdition(true); }")
                page.pdf(path=str(ANSWERS_PDF), **PDF_OPTIONS)
                report(ANSWERS_PDF, t0, answers=True)
            browser.close()
    finally:
        JOINED.unlink(missing_ok=True)
    print(f"book pdf: done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
