"""Browser test of the built site, page by page, at phone and laptop width.

    make browser-test      (after make book; .ci/run calls both)

Every page of _build/html is opened in headless Chromium with every network
request blocked, at 390x844 (a phone) and 1280x800 (a laptop), and checked:

- the chapter list opens from the visible sidebar button;
- at laptop size, each of the first 25 Tab stops (skip link, search, sidebar, header
  buttons) shows a focus ring;
- no title breaks before its punctuation and the previous/next titles are not cut;
- no page is wider than the screen, and no formula (display or inline) is cut at the
  margin without a scroll bar of its own;
- at 1280 px no code block scrolls sideways (code lines and outputs fit the column);
- no formula is a Tab stop (MathJax's menu would otherwise put each one there); the
  header button turns the menu on (and every formula into a Tab stop whose menu opens
  with Space), and off again;
- no exercise answer is in view before its solution is opened (cells tagged
  hide-cell and the contents of dropdown solutions are hidden);
- no script error in the console;
- axe-core (from the npm registry, loaded into the page) reports no serious or
  critical accessibility violation, in the light theme and in the dark theme (a browser
  that prefers it), each at both sizes;
- the page's weight (the HTML and every file it loaded at first; figures load as the
  reader nears them) is printed, and with every figure: the median chapter page weighs
  at most 1.5 MB at first and no page more than 2.5 MB;
- each chapter's first contentful paint on a slow phone (150 ms round trip, 1.6 Mbit/s,
  CPU 4x slower) is measured and printed.

Every explorable (bpbook/explorables/) is operated at both sizes as its reference cases
say (tools/explorable_driver.py): its numbers must equal the ones bp computed at build
time (_build/explorables-reference.json, written by `make book`) to 1e-9 relative, its
figure and its result in words must change, its sliders move by keyboard and speak
(aria-valuetext), it fits the screen (its width, and its height under the header in
every state its cases leave it in), and with JavaScript off its static figure and
text are shown. Then, on a phone with its CPU slowed 4x, a key is held on every slider
and step button of every explorable, and the time from a key press to the painted frame
is printed against its goal (median at most 50 ms; a measurement, not a pass/fail test). The explorables' own bytes are at most 300 kB per page.

On the pages that hold the precomputed learning-rate slider, the slider is moved
and the picture, the printed result and the screen-reader text must change. The
tracebacks check reads the HTML: no page shows the build folder's absolute path.

Chromium comes from Debian's `chromium` package; if it is missing this script
installs it with apt-get when it can (as root), and otherwise skips with a message
(fails under CI). Playwright (from PyPI) drives it; it does not download a browser
of its own. axe-core is fetched once with `npm pack` into .venv/.
"""
import contextlib
import functools
import http.server
import json
import re
import statistics
import subprocess
import sys
import tarfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

from tools.chromium import CHROMIUM_ARGS, chromium_or_skip

SITE = Path("_build/html")
SIZES = {"phone": (390, 844), "laptop": (1280, 800)}
AXE_VERSION = "4.14.1"   # the current release (npm view axe-core version)
AXE_DIR = Path(".venv") / f"axe-core-{AXE_VERSION}"
MEDIAN_PAGE_LIMIT = 1_500_000  # bytes: the median chapter page, everything it loads included
LARGEST_PAGE_LIMIT = 2_500_000  # bytes: any page
EXPLORABLES_PAGE_LIMIT = 300_000  # bytes of explorables (script, data, static figure) on one page
REFERENCE = Path("_build") / "explorables-reference.json"
def pages_with_sliders():
    return sorted(p for p in SITE.rglob("*.html") if "bp-lr-slider" in p.read_text(encoding="utf-8"))


def axe_script():
    """axe-core's browser bundle, fetched once from the npm registry with `npm pack`."""
    script = AXE_DIR / "package" / "axe.min.js"
    if not script.exists():
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_DIR)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"browser test: `npm pack axe-core@{AXE_VERSION}` failed:\n{done.stderr[-2000:]}")
        with tarfile.open(AXE_DIR / f"axe-core-{AXE_VERSION}.tgz") as archive:
            archive.extract("package/axe.min.js", AXE_DIR)
    return script


def site_pages():
    """Every page a reader reaches: the chapters, the front page and the index (not the
    root index.html, which only redirects to the front page, nor the search page)."""
    return sorted(p for p in SITE.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts and p.name != "search.html"
                  and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8"))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a page closed while its files were still on their way (the first-paint timing
        # closes each page as soon as it has painted): not an error of the site
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_site():
    """The built site over http on 127.0.0.1, as a reader's browser gets it (file:// URLs
    raise errors of their own that no reader sees). Yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def url_of(base, page_path):
    return base + page_path.relative_to(SITE).as_posix()


# Run in the page after MathJax has finished. Returns what the checks need.
PAGE_FACTS = """() => {
  const width = window.innerWidth;
  const visible = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const cut = [];
  // every formula, display and inline: it fits the screen, or a box around it scrolls
  for (const formula of document.querySelectorAll('mjx-container')) {
    if (!visible(formula) || formula.closest("mjx-assistive-mml")) continue;
    // a formula is fine if it fits its box, or if a box around it scrolls (and that box fits the screen)
    // in view whole: inside the screen and not cut by a box around it that hides overflow
    const r = formula.getBoundingClientRect();
    let ok = r.right <= width + 1 && r.left >= -1, box = formula.parentElement;
    while (ok && box && box !== document.body) {
      const style = getComputedStyle(box);
      if (["hidden", "clip"].includes(style.overflowX) && box.getBoundingClientRect().right < r.right - 1) ok = false;
      box = box.parentElement;
    }
    box = formula;
    while (!ok && box && box !== document.body) {
      if (box.scrollWidth <= box.clientWidth + 1 && box.getBoundingClientRect().right <= width + 1) { ok = true; break; }
      if (scrolls(box) && box.getBoundingClientRect().right <= width + 1) { ok = true; break; }
      box = box.parentElement;
    }
    if (!ok) cut.push(formula.textContent.slice(0, 40));
  }
  const tabStops = [...document.querySelectorAll("mjx-container")].filter(el => el.tabIndex >= 0).length;
  const answers = [];
  for (const cell of document.querySelectorAll(".cell.tag_hide-cell")) {
    for (const part of cell.querySelectorAll(".cell_output, .cell_input")) {
      if (visible(part)) answers.push("cell " + (cell.id || cell.className));
    }
  }
  for (const solution of document.querySelectorAll(".admonition.dropdown, details.sd-dropdown")) {
    const body = [...solution.children].filter(el => !el.matches(".admonition-title, summary, button"));
    if (solution.tagName === "DETAILS" ? solution.open : body.some(visible)) {
      answers.push("dropdown " + solution.textContent.trim().slice(0, 30));
    }
  }
  // a title must not break before its punctuation ("Backpropagation / ," on a phone), and
  // the previous/next titles must wrap rather than be cut ("backpropagati")
  const badBreaks = [];
  for (const title of document.querySelectorAll(".bd-article h1, .bd-article h2, .prev-next-title")) {
    const text = title.firstChild && title.textContent;
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    let lastTop = null, node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (lastTop !== null && rect.top > lastTop + 2 && /[,.;:?!)]/.test(node.data[i])) {
          badBreaks.push(title.textContent.trim().slice(0, 40));
        }
        lastTop = rect.top;
      }
    }
  }
  const cutTitles = [...document.querySelectorAll(".prev-next-area a")]
    .filter(a => visible(a) && a.scrollWidth > a.clientWidth + 1).map(a => a.textContent.trim().slice(0, 40));
  const download = document.querySelector("a.btn-download-bundle-button");
  const code = [...document.querySelectorAll("div.cell div.highlight pre, div.cell div.output pre")];
  const longest = (pre) => pre.textContent.split("\\n").reduce((a, b) => b.length > a.length ? b : a, "");
  const codeScrolls = code.filter(pre => visible(pre) && pre.scrollWidth > pre.clientWidth + 1)
                          .map(pre => longest(pre).trim().slice(0, 50));
  return {pageWidth: document.documentElement.scrollWidth, width, cut, tabStops, answers, badBreaks, cutTitles,
          download: download ? download.getAttribute("href") : null, code: code.length, codeScrolls};
}"""

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, its best practices, and
# WCAG 2.2's target size (24x24 CSS px). A serious or critical violation fails the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERIOUS_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"],
                                          runOnly: {type: "tag", values: TAGS}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                          .map(v => `${v.id} (${v.impact}, ${v.nodes.length}x): ${v.nodes[0].target.join(" ")}`);
}""".replace("TAGS", json.dumps(AXE_TAGS))


def open_page(browser, base, page_path, size, color_scheme="light"):
    """The page at this size, every other host blocked, MathJax finished; with its
    console errors and the site's files it loaded."""
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=color_scheme)
    errors, loaded = [], set()

    def only_local(route):
        url = route.request.url
        if url.startswith((base, "data:")):
            if url.startswith(base):
                loaded.add(url.split("?")[0].split("#")[0])
            route.continue_()
        else:
            errors.append(f"blocked request to {url}")
            route.abort()

    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: response.status >= 400
            and errors.append(f"{response.status} for {response.url[len(base) - 1:]}"))
    page.route("**/*", only_local)
    page.goto(url_of(base, page_path), wait_until="load")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise ? "
                  "MathJax.startup.promise.then(() => true) : true")
    page.wait_for_timeout(100)  # bp-book.js marks the wide formulas after MathJax is done
    # Once settled, the page skips drawing the blocks far from the screen (content-visibility,
    # bp-book.css); a reader sees each block drawn when it comes into view. The checks here
    # (axe-core's contrast and sizes, widths, formulas) read every block as it is then
    # seen, so the page is checked with nothing skipped; the latency check keeps skipping on.
    page.wait_for_function("() => document.documentElement.classList.contains('bp-settled')")
    page.evaluate("() => document.documentElement.classList.remove('bp-settled')")
    return page, errors, loaded


def weight(loaded):
    """Bytes of the site's files that the page loaded (the HTML included)."""
    paths = {SITE / unquote(urlparse(url).path).lstrip("/") for url in loaded}
    return sum(p.stat().st_size for p in paths if p.is_file())


FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {what: `${e.tagName.toLowerCase()} ${(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 30)}`,
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'}; }"""


def focus_without_ring(page, stops=25):
    """Tab through the first controls of the page (skip link, search, sidebar, header
    buttons): the ones that show no focus ring (outline or box shadow) while focused."""
    page.locator("body").focus()
    missing = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["ring"]:
            missing.append(focused["what"])
    return missing


def figures_not_loaded(page_path, loaded):
    """Bytes of the page's figures that it did not load at first (they load as the reader
    scrolls near them: loading="lazy")."""
    import re
    loaded_paths = {SITE / unquote(urlparse(url).path).lstrip("/") for url in loaded}
    total = 0
    for src in set(re.findall(r'<img [^>]*src="([^"]+)"', page_path.read_text(encoding="utf-8"))):
        path = (page_path.parent / unquote(src)).resolve()
        if not src.startswith("data:") and path.is_file() and path not in {p.resolve() for p in loaded_paths}:
            total += path.stat().st_size
    return total


def sidebar_opens(page, size):
    """Click the visible sidebar button; the chapter list must appear (phone: a dialog
    opens; laptop: the sidebar hides and shows again)."""
    button = page.locator(".primary-toggle:visible").first
    if size == "phone":
        button.click()
        page.wait_for_timeout(300)
        opened = page.locator("#pst-primary-sidebar-modal[open] .bd-links a").first.is_visible()
        page.keyboard.press("Escape")
        return opened
    sidebar = page.locator("#pst-primary-sidebar")
    before = sidebar.is_visible()
    button.click()
    page.wait_for_timeout(300)
    after = sidebar.is_visible()
    button.click()
    page.wait_for_timeout(300)
    return before != after and sidebar.is_visible() == before


def explorable_bytes(page_path):
    """Bytes of the explorables in the page's HTML: each one's fragment, from its
    <div class="bp-explorable" to the end of its script."""
    text = page_path.read_text(encoding="utf-8")
    total, start = 0, text.find('<div class="bp-explorable"')
    while start >= 0:
        end = text.index("</script>", start) + len("</script>\n</div>")
        total += len(text[start:end].encode("utf-8"))
        start = text.find('<div class="bp-explorable"', end)
    return total


def explorable_problems(page, name, size, references, measured):
    """Operate every explorable on the page (see tools/explorable_driver.py)."""
    from tools.explorable_driver import check_explorable
    problems = []
    for root in page.locator(".bp-explorable").all():
        which = root.get_attribute("data-name")
        if which not in references:
            problems.append(f"explorable {which}: no reference numbers from bp in {REFERENCE}")
            continue
        root.scroll_into_view_if_needed()
        worst, found = check_explorable(page, root, references[which])
        measured.setdefault(which, []).append(worst)
        problems += [f"explorable {which}: {p}" for p in found]
        shot = Path("_build") / f"browser-test-{which}-{size}.png"
        root.screenshot(path=str(shot))
        print(f"    explorable {which} ({size}): {len(references[which])} cases operated, largest "
              f"relative difference from bp {worst:.1e}{'' if not found else ', ' + str(len(found)) + ' problems'}; "
              f"screenshot {shot}", flush=True)
    return problems


def explorables_without_javascript(browser, base, page_path):
    """With JavaScript off, every explorable shows its static figure and its text."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page.goto(url_of(base, page_path), wait_until="load")
    problems = []
    for root in page.locator(".bp-explorable").all():
        static = root.locator(".bp-x-static")
        if not (static.count() == 1 and static.locator("img").is_visible() and static.inner_text().strip()):
            problems.append(f"explorable {root.get_attribute('data-name')}: no static figure and text "
                            "without JavaScript")
    context.close()
    return problems


def check_site(browser, base, axe):
    """Every page at both sizes. Returns the list of failures (empty when all is well)."""
    failures, weights, scrolled, code_blocks = [], {}, {}, [0, 0]
    references = json.loads(REFERENCE.read_text(encoding="utf-8")) if REFERENCE.is_file() else {}
    measured, explorable_weights = {}, {}
    for page_path in site_pages():
        name = str(page_path.relative_to(SITE))
        explorable_weights[name] = explorable_bytes(page_path)
        if explorable_weights[name] > EXPLORABLES_PAGE_LIMIT:
            failures.append(f"{name}: its explorables weigh {explorable_weights[name] / 1e3:.0f} kB, "
                            f"more than {EXPLORABLES_PAGE_LIMIT / 1e3:.0f} kB")
        if explorable_weights[name]:
            failures += [f"{name} (no JavaScript): {p}"
                         for p in explorables_without_javascript(browser, base, page_path)]
        for size in SIZES:
            page, errors, loaded = open_page(browser, base, page_path, size)
            facts = page.evaluate(PAGE_FACTS)
            errors = list(errors)  # before axe-core, whose own stylesheet requests may fail
            page.add_script_tag(path=str(axe))
            serious = page.evaluate(SERIOUS_AXE)
            no_ring = focus_without_ring(page) if size == "laptop" else []
            opens = sidebar_opens(page, size)
            weights[name] = weight(loaded)
            scrolled[name] = weights[name] + figures_not_loaded(page_path, loaded)
            problems = []
            if not opens:
                problems.append("the sidebar did not open from its visible button")
            if no_ring:
                problems.append(f"focused without a visible focus ring: {sorted(set(no_ring))[:4]}")
            if facts["pageWidth"] > facts["width"] + 1:
                problems.append(f"page {facts['pageWidth']} px wide on a {facts['width']} px screen")
            if facts["cut"]:
                problems.append(f"{len(facts['cut'])} formulas cut without a scroll bar, first: {facts['cut'][0]!r}")
            if facts["badBreaks"]:
                problems.append(f"titles broken before punctuation: {facts['badBreaks'][:3]}")
            if facts["cutTitles"]:
                problems.append(f"previous/next titles cut: {facts['cutTitles']}")
            if facts["tabStops"]:
                problems.append(f"{facts['tabStops']} formulas are Tab stops")
            if facts["answers"]:
                problems.append(f"{len(facts['answers'])} answers in view: {facts['answers'][:3]}")
            if errors:
                problems.append(f"console errors: {errors[:3]}")
            if name.startswith("book/") and not (facts["download"] or "").endswith("bp-book-notebooks.zip"):
                problems.append("no link to the notebooks download in the download menu")
            if serious:
                problems.append(f"axe-core: {serious}")
            if explorable_weights[name]:
                problems += explorable_problems(page, name, size, references, measured)
                # the explorables again, in the state the test cases left them
                serious = page.evaluate(SERIOUS_AXE.replace("axe.run(document", "axe.run('.bp-explorable'"))
                if serious:
                    problems.append(f"axe-core, explorables after operating them: {serious}")
            # On a phone code scrolls sideways in its box; from a laptop up it must fit.
            if size == "laptop" and facts["codeScrolls"]:
                problems.append(f"{len(facts['codeScrolls'])} code blocks scroll sideways at 1280 px, "
                                f"first: {facts['codeScrolls'][0]!r}")
            status = "ok" if not problems else "FAILED: " + "; ".join(problems)
            scrolling = f"code scrolls {len(facts['codeScrolls']):2d}/{facts['code']:2d}"
            print(f"  {name:45s} {size:6s} {weights[name] / 1e6:5.2f} MB  {scrolling}  {status}", flush=True)
            if size == "laptop":
                code_blocks[0] += facts["code"]
                code_blocks[1] += len(facts["codeScrolls"])
            failures += [f"{name} ({size}): {p}" for p in problems]
            page.close()
        for size in SIZES:
            failures += [f"{name} ({size}, dark): {p}"
                         for p in dark_theme_problems(browser, base, page_path, axe, size)]
    print(f"browser test: at 1280 px, {code_blocks[1]} of {code_blocks[0]} code blocks scroll sideways")
    chapters = [w for n, w in weights.items() if n.startswith("book/") and Path(n).name[0].isdigit()]
    median = statistics.median(chapters)
    heaviest = max(weights, key=weights.get)
    print(f"browser test: median chapter page {median / 1e6:.2f} MB (limit {MEDIAN_PAGE_LIMIT / 1e6:.1f} MB), "
          f"largest {heaviest} {weights[heaviest] / 1e6:.2f} MB (limit {LARGEST_PAGE_LIMIT / 1e6:.1f} MB), "
          f"everything the page loads at first counted; the explorables add at most "
          f"{max(explorable_weights.values()) / 1e3:.0f} kB to a page (limit {EXPLORABLES_PAGE_LIMIT / 1e3:.0f} kB)")
    print("browser test: page weights in MB, at first (and with every figure, once scrolled through): "
          + ", ".join(f"{Path(n).stem.split('_')[0]} {w / 1e6:.2f} ({scrolled[n] / 1e6:.2f})"
                      for n, w in sorted(weights.items())))
    if median > MEDIAN_PAGE_LIMIT:
        failures.append(f"the median chapter page weighs {median / 1e6:.2f} MB, more than "
                        f"{MEDIAN_PAGE_LIMIT / 1e6:.1f} MB")
    if weights[heaviest] > LARGEST_PAGE_LIMIT:
        failures.append(f"{heaviest} weighs {weights[heaviest] / 1e6:.2f} MB, more than "
                        f"{LARGEST_PAGE_LIMIT / 1e6:.1f} MB")
    missing = [n for n in references if n not in measured]
    if missing:
        failures.append(f"explorables on no page of the site: {', '.join(missing)}")
    if measured:
        worst = max(max(v) for v in measured.values())
        print(f"browser test: {len(measured)} explorables operated at {len(SIZES)} sizes; the largest "
              f"relative difference from bp's numbers: {worst:.1e}")
        for which, values in measured.items():
            print(f"    {which}: {max(values):.1e}")
    return failures


# A phone on a slow network, as Lighthouse's mobile profile and the site review used
# (a fast-3G-like link): 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up; the CPU 4x slower.
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
                "uploadThroughput": 750_000 / 8}


def first_paint_on_slow_phone(browser, base):
    """Time to first contentful paint of every chapter at phone size on SLOW_NETWORK with
    the CPU 4x slower, from an empty cache. Printed (not a pass/fail limit: the numbers
    depend on this machine's load), so that a page that grows slower shows."""
    times = {}
    for page_path in site_pages():
        name = str(page_path.relative_to(SITE))
        if not name.startswith("book/"):
            continue
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                      device_scale_factor=3, has_touch=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(url_of(base, page_path), wait_until="commit")
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0",
                               timeout=60_000)
        times[name] = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0].startTime")
        context.close()
    print("browser test: first contentful paint on a slow phone (150 ms RTT, 1.6 Mbit/s, CPU 4x): "
          + ", ".join(f"{Path(n).stem.split('_')[0]} {t / 1000:.1f} s" for n, t in times.items())
          + f"; median {statistics.median(times.values()) / 1000:.1f} s")
    return times


def check_latency(browser, base):
    """Every explorable on a phone whose CPU is 4x slower, a key held on each slider and step
    button (tools/explorable_driver.py, measure_latency): the median time from a key press to
    the painted frame that shows it, printed against LATENCY_LIMIT_MS."""
    from tools.explorable_driver import PHONE, latency_report, measure_latency, throttle_cpu
    failures = []
    for page_path in site_pages():
        if not explorable_bytes(page_path):
            continue
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith((base, "data:"))
                   else route.abort())
        page.goto(url_of(base, page_path), wait_until="load")
        page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise ? "
                      "MathJax.startup.promise.then(() => true) : true")
        throttle_cpu(page)                           # after loading: the page is read, then operated
        for root in page.locator(".bp-explorable").all():
            page.wait_for_function("e => e.dataset.ready === '1'", arg=root.element_handle())
            line, problems = latency_report(root.get_attribute("data-name"), measure_latency(page, root))
            print(f"    {line}", flush=True)
            failures += problems
        context.close()
    return failures


def check_exercise_forms(browser, base):
    """Every value exercise answered in the page as a reader would: the right answer, each
    named mistake and a wrong number typed into its form, the verdict compared with what
    bp.exercises.check says in Jupyter (the same words). A function or formula exercise's
    cell says where it can be checked."""
    import numpy as np
    from bp.exercises import check, get, ids
    failures, answered, seen, page_forms = [], 0, set(), 0
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for page_path in site_pages():
        page.goto(url_of(base, page_path))
        page.wait_for_load_state("load")
        for form in page.locator("form.bp-ex-form").all():
            exercise_id = form.get_attribute("data-exercise")
            seen.add(exercise_id)
            page_forms += 1
            exercise = get(exercise_id)
            reference = np.array(exercise.reference, dtype=float).reshape(-1)
            trials = [("the right answer", reference)]
            trials += [(f"the mistake {m.name!r}", np.array(m.variant, dtype=float).reshape(-1))
                       for m in exercise.mistakes]
            if exercise.also_right is not None:     # the other right answer, and between the two
                other = np.array(exercise.also_right, dtype=float).reshape(-1)
                trials += [("the other right answer", other), ("between the two", (reference + other) / 2)]
            trials.append(("a wrong answer", reference * 1.5 + 0.75))
            inputs = form.locator("input").all()
            for what, values in trials:
                for box, value in zip(inputs, values):
                    box.fill(repr(float(value)))
                form.locator("button").click()
                shown = form.locator("xpath=following-sibling::p[1]").inner_text()
                expected = repr(check(exercise_id, values if len(values) > 1 else float(values[0])))
                answered += 1
                if shown != expected:
                    failures.append(f"{page_path}: exercise {exercise_id}, {what}: the page says "
                                    f"{shown!r}, bp says {expected!r}")
        for note in page.locator("p.bp-ex-elsewhere").all():
            seen.add(re.search(r"Exercise (\S+) asks", note.inner_text()).group(1))
    page.close()
    missing = sorted(set(ids()) - seen)
    if missing:
        failures.append(f"exercises with no form or note on the site: {missing}")
    print(f"browser test: {answered} answers typed into the site's exercise forms "
          f"({page_forms} value exercises), "
          f"{len(failures)} differing from bp.exercises; {len(seen)} exercises in view")
    return failures


def check_page(browser, base, page_path):
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith((base, "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(url_of(base, page_path))
    if page.locator(".math").count():  # MathJax typesets the page's math from the site's own copy
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
    assert page.locator(".jupyter-widgets, .widget-slider").count() == 0, "an ipywidgets widget is on the page"

    slider_box = page.locator(".bp-lr-slider").first
    slider_box.scroll_into_view_if_needed()
    slider = slider_box.locator("input[type=range]").first     # the learning rate
    figure, message = slider_box.locator("canvas.bp-lr-figure"), slider_box.locator(".bp-lr-message")

    def state():
        return (slider.input_value(), figure.evaluate("c => c.toDataURL()"), message.inner_text(),
                slider.get_attribute("aria-valuetext"))

    before = state()
    last = slider.get_attribute("max")
    slider.fill(last)  # drag to the largest learning rate
    after = state()
    assert after[0] == last != before[0], f"the slider did not move: {before[0]} -> {after[0]}"
    assert after[1] != before[1], "moving the slider did not change the figure"
    assert after[2] != before[2], "moving the slider did not change the printed result"
    assert after[3] != before[3] and after[3].startswith("learning rate "), \
        f"a screen reader would not hear the new rate: aria-valuetext {before[3]!r} -> {after[3]!r}"
    assert message.get_attribute("aria-live") == "polite", "the result is not announced (no live region)"
    # the page shows bp's run: the same message as bp training at that rate now
    from bpbook.widgets import CurveFitting, log_grid
    expected = CurveFitting().train(float(log_grid()[-1]), 200, 0).message
    assert after[2] == expected, f"the page says {after[2]!r}, bp says {expected!r}"
    # The runs of 1000 epochs are not in the page (tools/sphinx/lazy_data.py): moving the
    # epochs slider loads them, and the page then shows bp's 1000-epoch run.
    lazy = slider_box.locator("script[data-bp-lazy]")
    assert lazy.count() == 1 and not lazy.inner_text().strip() and lazy.get_attribute("data-src"), \
        "the learning-rate explorer's 1000-epoch runs are inline, not loaded when needed"
    slider.fill(before[0])   # back to the first rate, which trains (the largest diverges early)
    epochs = slider_box.locator("input[type=range]").nth(1)
    epochs.fill(epochs.get_attribute("max"))
    first_rate = float(log_grid()[int(before[0])])
    expected_long = CurveFitting().train(first_rate, 1000, 0).message
    assert expected_long != CurveFitting().train(first_rate, 200, 0).message
    message.filter(has_text=expected_long).wait_for(timeout=10_000)
    loaded = slider_box.evaluate("() => Object.keys(window.bpLazy || {}).length")
    assert loaded == 1, f"{loaded} lazy data files loaded"
    shot = Path("_build") / f"browser-test-{page_path.stem}.png"
    slider_box.screenshot(path=str(shot))
    print(f"browser test: {page_path}: slider {before[0]} -> {after[0]}, figure changed, "
          f"message '{before[2]}' -> '{after[2]}' (bp's own), aria-valuetext '{after[3]}'; "
          f"the 1000-epoch runs loaded when the epochs slider moved: '{expected_long}'; "
          f"network requests blocked: {len(blocked)}; "
          f"screenshot {shot}")
    page.close()


def dark_theme_problems(browser, base, page_path, axe, size):
    """The page at ``size`` in a browser that prefers a dark theme: the theme follows it,
    and axe-core finds no serious contrast (or other) violation there either."""
    page, errors, _ = open_page(browser, base, page_path, size, color_scheme="dark")
    problems, errors = [], list(errors)  # before axe-core, whose own stylesheet requests may fail
    theme = page.evaluate("() => document.documentElement.dataset.theme")
    if theme != "dark":
        problems.append(f"the page did not follow the browser's dark theme (data-theme={theme!r})")
    page.add_script_tag(path=str(axe))
    serious = page.evaluate(SERIOUS_AXE)
    if serious:
        problems.append(f"axe-core: {serious}")
    if errors:
        problems.append(f"console errors: {errors[:3]}")
    page.close()
    return problems


FORMULA_FACTS = """() => ({
  tabStops: [...document.querySelectorAll("mjx-container")].filter(el => el.tabIndex >= 0).length,
  formulas: document.querySelectorAll("mjx-container").length,
  pressed: document.querySelector(".bp-formula-menu")?.getAttribute("aria-pressed"),
  menu: !!(window.MathJax && MathJax.startup && MathJax.startup.document && MathJax.startup.document.menu),
})"""


def check_formula_menu(browser, base):
    """MathJax's formula menu is off (no formula a Tab stop) until the reader turns it on
    with the header button; then, after the reload, every formula is a Tab stop and
    opens the menu with Space; the same button turns it off again."""
    page_path = SITE / "book" / "05_backprop_calculations.html"
    page, errors, _ = open_page(browser, base, page_path, "laptop")
    off = page.evaluate(FORMULA_FACTS)
    assert off["pressed"] == "false" and off["tabStops"] == 0 and not off["menu"], f"menu not off at first: {off}"

    def toggle():
        with page.expect_navigation(wait_until="load"):
            page.locator(".bp-formula-menu").click()
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
        page.wait_for_timeout(100)
        return page.evaluate(FORMULA_FACTS)

    on = toggle()
    assert on["pressed"] == "true" and on["menu"] and on["tabStops"] == on["formulas"] > 0, f"menu not on: {on}"
    page.locator("mjx-container").first.focus()
    page.keyboard.press(" ")
    page.wait_for_timeout(300)
    menu_opens = page.locator(".CtxtMenu_Menu").first.is_visible()
    page.keyboard.press("Escape")
    assert menu_opens, "with the formula menu on, Space on a focused formula did not open the menu"
    off_again = toggle()
    assert off_again["pressed"] == "false" and off_again["tabStops"] == 0, f"menu not off again: {off_again}"
    assert not errors, f"console errors: {errors[:3]}"
    page.close()
    print(f"browser test: formula menu off by default (0 Tab stops); turned on, {on['tabStops']} formulas "
          "are Tab stops and Space opens the menu; turned off again, 0 Tab stops")


def check_search(browser, base):
    """The search page finds the chapters offline, and its snippets are prose: no raw TeX
    and no code (bp-book.js)."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page.goto(base + "search.html?q=chain+rule")
    page.wait_for_selector("ul.search li p.context", timeout=60_000)
    page.wait_for_function("() => document.querySelector('#search-progress')?.textContent.trim() !== ''",
                           timeout=60_000)
    page.wait_for_timeout(1000)
    snippets = [s.inner_text() for s in page.locator("ul.search li p.context").all()]
    page.close()
    raw = [s for s in snippets if "\\(" in s or "\\partial" in s or "import " in s]
    assert len(snippets) >= 5, f"the search for 'chain rule' found {len(snippets)} pages"
    assert not raw, f"search snippets with raw TeX or code: {raw[:2]}"
    print(f"browser test: searching 'chain rule' finds {len(snippets)} pages, snippets without TeX or code, "
          f"e.g. {snippets[0][:70]!r}")


def check_tracebacks_name_project_files():
    """The site's tracebacks (cells that raise on purpose) show "bp/dense.py", not the
    build folder's absolute path (tools/sphinx/site_tracebacks.py)."""
    project = str(Path.cwd().resolve()) + "/"
    leaking = [str(p) for p in SITE.rglob("*.html") if project in p.read_text(encoding="utf-8")]
    assert not leaking, f"pages that show the build folder {project}: {leaking}"
    chapter = SITE / "book" / "04_forward_propagation.html"
    assert "bp/dense.py" in chapter.read_text(encoding="utf-8"), f"{chapter} has no traceback through bp/dense.py"
    print(f"browser test: no page shows the build folder's path; {chapter.name} names bp/dense.py")


def check_download():
    """The download that every page links to holds what tools/sphinx/download_bundle.py
    collects now (a stale or partial zip fails). `make bundle-test` installs and runs it."""
    import zipfile
    from tools.sphinx.download_bundle import BUNDLE, FOLDER, bundle_files
    bundle = SITE / BUNDLE
    assert bundle.is_file(), f"{bundle} is missing"
    names = set(zipfile.ZipFile(bundle).namelist())
    expected = [f"{FOLDER}/{path.as_posix()}" for path in bundle_files(".")]
    missing = [name for name in expected + [f"{FOLDER}/README.md", f"{FOLDER}/pyproject.toml"]
               if name not in names]
    assert not missing, f"{bundle.name} lacks {missing}"
    print(f"browser test: {bundle.name} holds bp, the {len(list(Path('book').glob('*.ipynb')))} chapters "
          f"and the {len(expected)} files it should ({bundle.stat().st_size / 1e6:.1f} MB)")


def main():
    if not SITE.is_dir():
        sys.exit("browser test: no built site in _build/html; run `make book` first.")
    if not REFERENCE.is_file():
        sys.exit(f"browser test: {REFERENCE} is missing; `make book` writes it (tools/explorable_reference.py).")
    check_tracebacks_name_project_files()
    check_download()
    pages = pages_with_sliders()
    if not pages:
        sys.exit("browser test: no page of the built site has a precomputed learning-rate slider.")
    chromium = chromium_or_skip("browser test", "the site's pages cannot be checked")
    if chromium is None:
        return
    from playwright.sync_api import sync_playwright

    axe = axe_script()
    with sync_playwright() as p, serve_site() as base:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for page_path in pages:
            check_page(browser, base, page_path)
        check_formula_menu(browser, base)
        check_search(browser, base)
        first_paint_on_slow_phone(browser, base)
        print(f"browser test: every page at {' and '.join(f'{w}x{h}' for w, h in SIZES.values())}, "
              f"served from {base}:")
        failures = check_site(browser, base, axe)
        failures += check_exercise_forms(browser, base)
        print("browser test: a held key on every explorable, phone (390x844, 3 device pixels per px), "
              "CPU 4x slower:")
        failures += check_latency(browser, base)
        browser.close()
    if failures:
        print(f"browser-test: {len(failures)} failed:", *failures, sep="\n  ")
        sys.exit(1)
    print(f"browser-test: {len(pages)} slider pages and {len(site_pages())} pages at {len(SIZES)} sizes "
          "passed, 0 failed")


if __name__ == "__main__":
    main()
