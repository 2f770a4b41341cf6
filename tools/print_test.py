"""The book on paper: a chapter printed from the browser, and the whole-book PDFs.

Run by `make browser-test` after `make book`. On a chapter with exercises and
explorables (ch 7, book/07_updating_weights) in headless Chromium with print media
emulated, after the beforeprint event a real print fires:
- no exercise solution and no folded cell shows (the normal print);
- every explorable shows its static figure and words, and none of its live controls;
- no image is distorted (its printed aspect ratio is its natural one, within 1%);
- with ?answers (the instructors' print) the solutions do show;
- on screen the static figures are hidden (JavaScript on), and shown with JavaScript off.
Then bp-book.pdf (tools/book_pdf.py): it exists, has more pages than the book has pages
on the site, its internal links (chapters, equations) point at destinations inside the
PDF, and a solution's words are absent from it and present in bp-book-answers.pdf.

Exits 1 with the list of problems.
"""
import sys
import unicodedata

from tools.book_pdf import ANSWERS_PDF, BOOK_PDF, toc_pages
from tools.browser_test import SITE, serve_site
from tools.chromium import CHROMIUM_ARGS, chromium_or_skip

CHAPTER = "book/07_updating_weights.html"
CHAPTER_TITLE = "7. Updating the weights"   # its h1, a top-level entry of the PDF's outline
# Words of one of that chapter's folded solutions (the condition-number exercise).
SOLUTION_WORDS = "The condition number 100 makes the flat direction the slow one"

# What the printed page shows, measured in the page (print media emulated).
MEASURE = """() => {
  const shown = (e) => e.checkVisibility({opacityProperty: true, visibilityProperty: true})
                       && e.getBoundingClientRect().height > 0;
  const solutions = [...document.querySelectorAll(".admonition.dropdown")];
  const answerParts = solutions.flatMap((s) => [...s.querySelectorAll(":scope > :not(.admonition-title)")]);
  const checkCells = [...document.querySelectorAll("div.cell.tag_hide-cell")];
  const checkParts = checkCells.flatMap((c) => [...c.querySelectorAll(".cell_input pre, .cell_output")]);
  const explorables = [...document.querySelectorAll(".bp-explorable, .bp-lr-slider")];
  const images = [...document.querySelectorAll(".bd-article img")].filter(shown);
  return {
    solutions: solutions.length,
    solutionTitlesShown: solutions.filter((s) => { const t = s.querySelector(".admonition-title");
                                                   return t && shown(t); }).length,
    answersShown: answerParts.filter(shown).length,
    checkCells: checkCells.length,
    checkPartsShown: checkParts.filter(shown).length,
    explorables: explorables.map((x) => ({
      name: x.dataset.name || "learning-rate explorer",
      staticShown: [...x.querySelectorAll(".bp-x-static img, .bp-lr-static img")].some(shown)
                   && [...x.querySelectorAll("figcaption")].some(shown),
      liveShown: [...x.querySelectorAll(".bp-x-live, .bp-lr-explorer, input, select, button, canvas")]
                   .filter(shown).length,
    })),
    distorted: images.filter((i) => i.naturalWidth > 0).map((i) => {
      const r = i.getBoundingClientRect();
      return {src: i.src.slice(0, 60), natural: i.naturalWidth / i.naturalHeight, shown: r.width / r.height};
    }).filter((d) => Math.abs(d.shown / d.natural - 1) > 0.01),
    imagesChecked: images.length,
  };
}"""


def open_printed(browser, url):
    """The page as it prints: loaded, MathJax done, beforeprint fired, print media."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url, wait_until="load")
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("() => window.MathJax ? MathJax.startup.promise.then(() => true) : true")
    # a real print fires beforeprint (sphinx-togglebutton opened every solution on it)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    # beforeprint turned the lazily loaded figures eager (bp-print.js): wait for them, as a
    # browser's print does
    page.wait_for_function("() => [...document.images].every((i) => i.loading !== 'lazy' && i.complete)",
                           timeout=60_000)
    return page


def check_printed_chapter(browser, base):
    problems = []
    page = open_printed(browser, base + CHAPTER)
    seen = page.evaluate(MEASURE)
    page.close()
    print(f"print test: {CHAPTER} printed: {seen['solutions']} solutions ({seen['solutionTitlesShown']} "
          f"titles shown, {seen['answersShown']} answer parts shown), {seen['checkCells']} folded check "
          f"cells ({seen['checkPartsShown']} parts shown), {len(seen['explorables'])} explorables, "
          f"{seen['imagesChecked']} images checked for distortion")
    # (the exercises' folded check cells are gone: an answer cell's check judges the reader's
    # own answer; any cell the site folds, a figure's code say, must still not print)
    if seen["solutions"] == 0:
        problems.append(f"{CHAPTER}: no folded solution found (has the chapter changed?)")
    if seen["solutionTitlesShown"] != seen["solutions"]:
        problems.append(f"{CHAPTER}: {seen['solutions'] - seen['solutionTitlesShown']} solution titles "
                        "do not print")
    if seen["answersShown"]:
        problems.append(f"{CHAPTER}: {seen['answersShown']} parts of exercise solutions print (must stay folded)")
    if seen["checkPartsShown"]:
        problems.append(f"{CHAPTER}: {seen['checkPartsShown']} parts of folded check cells print")
    if len(seen["explorables"]) < 2:
        problems.append(f"{CHAPTER}: expected the momentum explorable and the learning-rate explorer")
    for x in seen["explorables"]:
        if not x["staticShown"]:
            problems.append(f"{CHAPTER}: explorable {x['name']} prints without its static figure and words")
        if x["liveShown"]:
            problems.append(f"{CHAPTER}: explorable {x['name']} prints {x['liveShown']} live controls or canvases")
    for d in seen["distorted"]:
        problems.append(f"{CHAPTER}: image {d['src']}... printed at aspect ratio {d['shown']:.3f}, "
                        f"its own is {d['natural']:.3f}")

    # On screen, the explorables' static figures stay hidden behind the live ones.
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base + CHAPTER, wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.bp-explorable')].every(e => e.dataset.ready === '1')")
    on_screen = page.locator(".bp-x-static:visible, .bp-lr-static:visible").count()
    page.close()
    if on_screen:
        problems.append(f"{CHAPTER}: {on_screen} static explorable figures show on screen beside the live ones")

    # Without JavaScript, the learning-rate explorer shows its static figure and words too.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + CHAPTER, wait_until="load")
    if not (page.locator(".bp-lr-static img").first.is_visible()
            and page.locator(".bp-lr-static figcaption").first.inner_text().strip()):
        problems.append(f"{CHAPTER}: without JavaScript the learning-rate explorer shows no static figure and words")
    context.close()

    # The instructors' print.
    page = open_printed(browser, base + CHAPTER + "?answers")
    answers = page.evaluate(MEASURE)
    page.close()
    print(f"print test: {CHAPTER}?answers printed: {answers['answersShown']} answer parts and "
          f"{answers['checkPartsShown']} check-cell parts shown")
    if not answers["answersShown"]:
        problems.append(f"{CHAPTER}?answers: the instructors' print does not show the solutions")
    return problems


def chapter_text(reader):
    """The text of the chapter's pages in a PDF (found by its outline), with ligatures
    such as "ﬂ" undone and spaces normalised."""
    top = [(" ".join(item.title.split()), reader.get_destination_page_number(item))
           for item in reader.outline if not isinstance(item, list)]
    starts = [n for title, n in top if title == CHAPTER_TITLE]
    if not starts:
        return None
    later = [n for _, n in top if n > starts[0]]
    end = later[0] if later else len(reader.pages) - 1
    text = " ".join(reader.pages[i].extract_text() or "" for i in range(starts[0], end + 1))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def check_pdf():
    from pypdf import PdfReader
    problems = []
    if not BOOK_PDF.is_file():
        return [f"{BOOK_PDF} is missing (make book writes it: tools/book_pdf.py)"]
    reader = PdfReader(str(BOOK_PDF))
    n_site_pages = len(toc_pages())
    names = set(reader.named_destinations)
    internal, broken, outside = 0, [], 0
    for number, sheet in enumerate(reader.pages, start=1):
        for annotation in sheet.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            dest = annotation.get("/Dest")
            if dest is None and action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if dest is None:
                uri = str(action.get("/URI", "")) if action is not None else ""
                if uri.startswith(("file:", "http://127.0.0.1", "http://localhost")):
                    broken.append(f"page {number}: a link to {uri} (a book page outside the PDF)")
                outside += 1
                continue
            internal += 1
            if isinstance(dest, str) or hasattr(dest, "startswith"):
                if str(dest) not in names:
                    broken.append(f"page {number}: link to the missing destination {dest}")
    text = chapter_text(reader)
    print(f"print test: {BOOK_PDF}: {len(reader.pages)} pages for {n_site_pages} pages of the site, "
          f"{internal} internal links ({len(broken)} broken), {outside} links to other sites, "
          f"{BOOK_PDF.stat().st_size / 1e6:.1f} MB")
    if len(reader.pages) <= n_site_pages:
        problems.append(f"{BOOK_PDF}: {len(reader.pages)} pages, not more than the {n_site_pages} pages of the site")
    if internal < 50:
        problems.append(f"{BOOK_PDF}: only {internal} internal links (the chapters cross-reference far more)")
    problems += [f"{BOOK_PDF}: {b}" for b in broken[:20]]
    if text is None:
        problems.append(f"{BOOK_PDF}: no bookmark {CHAPTER_TITLE!r} in the outline")
    if text is not None and SOLUTION_WORDS in text:
        problems.append(f"{BOOK_PDF}: a solution prints (found {SOLUTION_WORDS!r})")
    # The instructors' PDF is built on demand (tools/book_pdf.py --answers): checked when there.
    if ANSWERS_PDF.is_file():
        answers_text = chapter_text(PdfReader(str(ANSWERS_PDF)))
        if not answers_text or SOLUTION_WORDS not in answers_text:
            problems.append(f"{ANSWERS_PDF}: the solution {SOLUTION_WORDS!r} is not in the instructors' PDF")
        else:
            print(f"print test: {ANSWERS_PDF}: the solution is there")
    else:
        print(f"print test: {ANSWERS_PDF} not built (tools/book_pdf.py --answers): not checked")
    return problems


def main():
    if not (SITE / CHAPTER).is_file():
        sys.exit("print test: no built site in _build/html; run `make book` first.")
    chromium = chromium_or_skip("print test", "printing cannot be checked")
    if chromium is None:
        return
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p, serve_site() as base:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        problems = check_printed_chapter(browser, base)
        browser.close()
    problems += check_pdf()
    if problems:
        print(f"print test: {len(problems)} failed:", *problems, sep="\n  ")
        sys.exit(1)
    print("print test: passed")


if __name__ == "__main__":
    main()
