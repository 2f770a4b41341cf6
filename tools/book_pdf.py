"""The whole book as one PDF, printed from the built site by the project's Chromium.

Run by `make book` after the site is built. It joins the article of every page of
_toc.yml (the front page, the chapters, the appendix), in that order, into one HTML
page with the site's stylesheets, scripts and MathJax, and prints it with Playwright's
page.pdf to _build/html/bp-book.pdf (solutions folded, as on screen) and
_build/bp-book-answers.pdf (every solution and folded cell opened, for instructors).

One page rather than one PDF per chapter joined afterwards, so that the links between
chapters and to equations jump inside the PDF: every id gets its page's name as a prefix
and every link to a book page becomes a link to that prefixed anchor. A title page and a
table of contents come first; the table lists each chapter's page number, read from a
first print's outline (Chromium makes one from the headings) and then printed again.

Usage: .venv/bin/python tools/book_pdf.py [--answers-only | --no-answers]
"""
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).parent))
from browser_test import CHROMIUM_ARGS, SITE, serve_site  # noqa: E402

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
nav.bp-pdf-toc li { display: flex; align-items: baseline; margin: 0.35rem 0; }
nav.bp-pdf-toc li.bp-pdf-part { font-weight: bold; margin-top: 1.1rem; }
nav.bp-pdf-toc li a { text-decoration: none; color: inherit; }
nav.bp-pdf-toc li .bp-pdf-dots { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4rem; }
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
    """An id-safe prefix for a page, e.g. book/05b_computational_graph -> 05b_computational_graph."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", Path(name).name)


def joined_html(pages, answers):
    """The book as one HTML page (a string), with ids and links made page-local."""
    by_path = {f"{name}.html": key_of(name) for _, name in pages}
    soups = {name: BeautifulSoup((SITE / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
             for _, name in pages}
    head = soups[pages[1][1]].head   # a chapter's head: the site's CSS, scripts and MathJax
    head.title.string = "Backpropagation, executable"
    style = BeautifulSoup(f"<style>{PDF_CSS}</style>", "html.parser")
    head.append(style)

    sections, toc_entries, last_part = [], [], None
    for part, name in pages:
        soup, key = soups[name], key_of(name)
        article = soup.find("article", class_="bd-article")
        for script in article.find_all("script"):
            # the explorables' scripts: paper shows their static figure and words
            script.decompose()
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
        toc_entries.append(f'<li><a href="#{key}">{html.escape(title)}</a><span class="bp-pdf-dots">'
                           f'</span><span class="bp-pdf-page" data-page="{key}"></span></li>')
        sections.append(f'<section class="bp-pdf-page" id="{key}">{article.decode_contents()}</section>')

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    edition = ("Instructors' edition: every solution and folded cell is open." if answers else
               "Exercise solutions are folded, as on the website; the instructors' edition "
               "prints them.")
    title_page = f"""<div class="bp-pdf-title">
<p class="bp-pdf-booktitle">Backpropagation, executable</p>
<p>The bp textbook authors</p>
<p>Printed from the book's website{f', commit {commit}' if commit else ''}.</p>
<p class="bp-pdf-note">{html.escape(edition)} The explorables are printed as their
starting figure and words; on the website they are live.</p></div>"""
    toc = f'<nav class="bp-pdf-toc"><h2>Contents</h2><ol>{"".join(toc_entries)}</ol></nav>'
    body = f"""<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">
<article class="bd-article" role="main">{title_page}{toc}{"".join(sections)}</article>
</div></div></main></body>"""
    return f'<!DOCTYPE html>\n<html lang="en" data-theme="light">{head}{body}</html>'


def chapter_pages(pdf_path, titles):
    """{page key: 1-based PDF page number} for the pages of the book, from the outline
    Chromium writes: its top-level entries are the h1s, one per page of the book, in
    order (the title page has no h1, so the front page's title, the book's, is not
    mistaken for it). ``titles`` is {page key: its h1's text}, in the book's order."""
    from pypdf import PdfReader
    reader = PdfReader(str(pdf_path))
    top = [(" ".join(item.title.split()), reader.get_destination_page_number(item) + 1)
           for item in reader.outline if not isinstance(item, list)]
    numbers, at = {}, 0
    for key, title in titles.items():
        for i in range(at, len(top)):
            if top[i][0] == title:
                numbers[key], at = top[i][1], i + 1
                break
    return numbers


def print_pdf(page, url, path):
    page.goto(url, wait_until="load")
    # MathJax typesets after load; the answers' opening runs on load (bp-print.js)
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=60_000)
    page.evaluate("() => MathJax.startup.promise")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.pdf(path=str(path), **PDF_OPTIONS)


def fill_page_numbers(page, numbers):
    """Write each page's number into the table of contents; returns how many were found."""
    page.evaluate("""numbers => {
        for (const cell of document.querySelectorAll(".bp-pdf-page[data-page]")) {
            const n = numbers[cell.dataset.page];
            if (n) cell.textContent = String(n);
        }
    }""", numbers)
    return len(numbers)


def build(page, base, pages, answers, path):
    JOINED.write_text(joined_html(pages, answers), encoding="utf-8")
    url = base + JOINED.relative_to(SITE).as_posix() + ("?answers" if answers else "")
    # First print: where each chapter starts (its title in Chromium's outline). The table
    # of contents fills one page whatever the numbers, so a second print keeps them true.
    print_pdf(page, url, path)
    titles = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('section.bp-pdf-page')]
        .map(s => [s.id, (s.querySelector('h1') || {}).textContent || '']))""")
    titles = {k: " ".join(v.replace("#", "").split()) for k, v in titles.items()}
    filled = fill_page_numbers(page, chapter_pages(path, titles))
    page.pdf(path=str(path), **PDF_OPTIONS)
    return filled, len(titles)


def main():
    started = time.monotonic()
    if not (SITE / "book").is_dir():
        sys.exit("book pdf: no built site in _build/html; run `make book` first.")
    chromium = shutil.which("chromium")
    if chromium is None:
        message = ("book pdf: Chromium is not installed (Debian's chromium package, "
                   "apt-get install chromium), so the book's PDF is not built.")
        if os.environ.get("CI"):
            sys.exit(message + " CI must build it: FAILED.")
        print(message + " SKIPPED.")
        return
    from playwright.sync_api import sync_playwright

    which = [(False, BOOK_PDF), (True, ANSWERS_PDF)]
    if "--no-answers" in sys.argv:
        which = which[:1]
    if "--answers-only" in sys.argv:
        which = which[1:]
    pages = toc_pages()
    from pypdf import PdfReader
    try:
        with sync_playwright() as p, serve_site() as base:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(color_scheme="light")
            page = context.new_page()
            for answers, path in which:
                t0 = time.monotonic()
                filled, total = build(page, base, pages, answers, path)
                count = len(PdfReader(str(path)).pages)
                print(f"book pdf: {path} ({'answers open' if answers else 'solutions folded'}): "
                      f"{total} pages of the site, {count} PDF pages, "
                      f"{path.stat().st_size / 1e6:.1f} MB, contents numbered for {filled}/{total}, "
                      f"{time.monotonic() - t0:.0f} s", flush=True)
            browser.close()
    finally:
        JOINED.unlink(missing_ok=True)
    print(f"book pdf: done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
