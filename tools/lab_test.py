"""The chapters in JupyterLab, as a learner running `make lab` sees them.

    make lab-test        (.ci/run calls it after the browser test)

Starts JupyterLab headless on 127.0.0.1 (with the settings `make setup` gives every
Jupyter of .venv, tools/jupyter_lab_config.py, as `make lab` and a plain `jupyter lab` have
them) over a copy of the chapters in a temporary folder, so that nothing it
runs or saves touches book/, and drives it in headless Chromium (the browser test's
set-up). It checks:

- MyST renders (jupyterlab-myst): in every chapter, scrolled from top to bottom, no
  rendered Markdown cell shows raw directive or role text (```{...}, :::{...},
  {eq}`...`, {ref}`...`, {term}`...`); admonitions render as boxes and every solution
  is folded;
- Run All in every chapter (in a copy of the repository's layout, as the zip has it),
  then saved: it runs to the end with no error, and below "## Exercises" no cell shows
  anything but its check's "not attempted yet" (no answer in view the reader did not
  ask for);
- saving notebook 05 without changing it leaves the file byte for byte the same;
- notebook 07 (Updating the weights) runs (Run All Cells); its learning-rate explorer appears; pressing the
  slider's arrow key redraws the figure, and the time from each key press to the
  redrawn figure is printed (median and maximum, measured in the page);
- notebook 07 saved, its kernel shut down and the notebook opened again shows no
  widget error, and says how to bring the explorer back;
- Notebook 7 (`jupyter notebook`, served by the same server) opens notebook 05 with its
  MyST rendered, and saving it there unchanged leaves the file as it was;
- each explorable of chapters 2-10, live after Run All, is operated as its test cases say
  and its numbers equal bp's (tools/explorable_driver.py, as the browser test does).

Screenshots of notebook 05 go to _build/lab-test-05*.png (the top, numbered
equations, a folded solution). The latencies are printed,
not asserted: timings depend on the machine; `make bench-widget` reports them
against their goals, quiet and under load.

A part: LAB_TEST_QUICK=1 (chapter 5 only) or LAB_TEST_CHAPTERS="A_how_fast.ipynb ...".
"""
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bpbook.explorables import NAMES as EXPLORABLES
from tools.chapter_terms import glossary_entries
from tools.chromium import CHROMIUM_ARGS, chromium_or_skip, find_chromium
from tools.explorable_driver import RELATIVE_TOLERANCE

BOOK = Path("book")
RESULTS = Path("tools/benchmarks/results.json")   # the appendix (A_how_fast) reads it
MYST_CHAPTERS = sorted(p.name for p in BOOK.glob("*.ipynb"))   # every chapter
EXPLORER_CHAPTER = "07_updating_weights.ipynb"
RAW_MYST = re.compile(r"(```\s*\{|:::\s*\{|\{(eq|ref|term|numref|doc|math)\}`|^:class:)", re.M)
KEY_PRESSES = 20
FRESH_EXPLORER = ".bp-lr-explorer:not(.bp-before-run)"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(folder):
    """JupyterLab serving folder on 127.0.0.1, no token, its settings kept in folder.
    Yields the base URL."""
    port = free_port()
    settings = folder / ".lab-settings"
    # no "would you like news?" pop-up over the notebook
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # every cell rendered, not only those near the view: the test reads each chapter whole
    # (with windowing, cells scrolled past quickly were sometimes not rendered yet and missed)
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(folder / ".lab-workspaces"))
    # no --config: the settings come from where `make setup` put them for every Jupyter of
    # .venv (tools/install_jupyter_config.py), as for a reader's plain `jupyter lab`
    command = [str(Path(".venv/bin/jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.token=",
               "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
               f"--ServerApp.root_dir={folder}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(folder / ".lab.log", "w")
    lab = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "api/status", timeout=2)
                break
            except OSError:
                if lab.poll() is not None:
                    raise RuntimeError(f"JupyterLab exited: {(folder / '.lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield base
    finally:
        lab.terminate()
        lab.wait(timeout=30)
        log.close()


def open_notebook(browser, base, name, console=None, alone=False):
    """Open a notebook in JupyterLab in a new browser page. alone: in a fresh workspace,
    with no other notebook's tab restored beside it (so the scrolled panel is this one)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    if console is not None:
        page.on("console", lambda m: m.type == "error" and console.append(m.text))
        page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(f"{base}lab/tree/{name}" + ("?reset" if alone else ""))
    try:
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", timeout=120_000)
    except Exception:
        page.screenshot(path=str(Path("_build") / "lab-test-failed.png"))
        raise
    page.wait_for_function("() => document.querySelectorAll('.jp-MarkdownCell .myst').length > 0",
                           timeout=60_000)
    page.wait_for_timeout(1500)
    return page


# Scroll the notebook from top to bottom; at each stop, read the rendered Markdown in view.
READ_RENDERED = """() => {
  const out = [];
  for (const cell of document.querySelectorAll(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell")) {
    const myst = cell.querySelector(".myst");
    if (!myst || !myst.offsetParent) continue;
    const closed = [...myst.querySelectorAll("details:not([open])")];
    // a folded solution's words are in the page, rendered, though not drawn: read them
    // without opening it (opening would change the cells' heights under the scroll)
    const solutions = closed.map((d) => d.textContent).join(" ");
    const broken = myst.querySelectorAll(".katex-error, .myst-error, .admonition-error").length;
    out.push({text: myst.innerText, solutions, broken, folded: closed.length,
              admonitions: myst.querySelectorAll(".myst-admonition").length,
              open: myst.querySelectorAll("details[open]").length,
              equations: myst.querySelectorAll(".katex-display").length});
  }
  return out;
}"""


def read_whole_notebook(page):
    scroller = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first
    seen = {}
    position, height = 0, scroller.evaluate("e => e.scrollHeight")
    while True:
        for cell in page.evaluate(READ_RENDERED):
            seen[cell["text"] + cell["solutions"]] = cell   # a folded solution reads "Solution" alone
        if position >= height:
            break
        position += 600
        scroller.evaluate(f"e => e.scrollTo(0, {position})")
        page.wait_for_timeout(250)
        height = scroller.evaluate("e => e.scrollHeight")
    scroller.evaluate("e => e.scrollTo(0, 0)")
    return list(seen.values())


# the open notebook's tab shows that it is modified (JupyterLab: a dot, jp-mod-dirty)
MARKED_MODIFIED = """() => [...document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty')]
  .map((tab) => tab.textContent)"""


def check_opens_unmodified(page, name):
    """Opened, its kernel started and idle (the kernel reports its language, and JupyterLab
    writes that into the notebook's metadata), the chapter is not marked modified."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.wait_for_timeout(1000)
    marked = page.evaluate(MARKED_MODIFIED)
    assert not marked, (f"{name}: marked modified as soon as it was opened in JupyterLab (tabs "
                        f"{marked}); see tools/jupyter_lab_config.py, ChapterContentsManager")


def check_myst(browser, base, name):
    page = open_notebook(browser, base, name, alone=True)
    cells = read_whole_notebook(page)
    check_opens_unmodified(page, name)
    raw = [m.group(0) + " in: " + text[max(0, m.start() - 40):m.start() + 40].replace("\n", " ")
           for c in cells for text in (c["text"], c["solutions"]) for m in RAW_MYST.finditer(text)]
    total = {k: sum(c[k] for c in cells) for k in ("admonitions", "folded", "open", "equations")}
    markdown_cells = len(json.loads((BOOK / name).read_text())["cells"])
    broken = [c["text"][:80].replace("\n", " ") for c in cells if c["broken"]]
    assert not raw, f"{name}: raw MyST in JupyterLab (text or folded solutions): {raw[:3]}"
    assert not broken, f"{name}: maths or MyST that JupyterLab cannot render, in the cells beginning {broken[:3]}"
    assert total["admonitions"] > 0 and total["folded"] > 0 and total["open"] == 0, f"{name}: {total}"
    print(f"lab test: {name}: {len(cells)} Markdown cells read of {markdown_cells} cells; "
          f"{total['admonitions']} admonitions, {total['folded']} folded solutions, "
          f"{total['equations']} display equations; in the text and the folded solutions: no raw MyST, "
          "no broken maths; opened and its kernel idle, it is not marked modified")
    if name.startswith("05_"):
        shots = screenshots(page)
        print(f"lab test: screenshots {', '.join(map(str, shots))}")
    return page


IN_VIEW = """() => {
  const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
  const inView = (e) => { const r = e.getBoundingClientRect(); return r.top > 80 && r.bottom < innerHeight - 30; };
  return {equations: [...panel.querySelectorAll(".myst .katex-display")].filter(inView).length,
          folded: [...panel.querySelectorAll(".myst details:not([open])")].filter(inView).length};
}"""


def screenshots(page):
    """The top of the chapter, then the first view with numbered equations and the first
    with a folded solution: what the closing note of the JupyterLab issue shows."""
    folder = Path("_build")
    folder.mkdir(exist_ok=True)
    shots = [folder / "lab-test-05.png"]
    page.screenshot(path=str(shots[0]))
    scroller = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first
    wanted = {"equations": folder / "lab-test-05-equations.png", "folded": folder / "lab-test-05-solution.png"}
    position = 0
    while wanted and position <= scroller.evaluate("e => e.scrollHeight"):
        scroller.evaluate(f"e => e.scrollTo(0, {position})")
        page.wait_for_timeout(300)
        seen = page.evaluate(IN_VIEW)
        for kind in [k for k in wanted if seen[k] >= (2 if k == "equations" else 1)]:
            page.screenshot(path=str(wanted[kind]))
            shots.append(wanted.pop(kind))
        position += 400
    scroller.evaluate("e => e.scrollTo(0, 0)")
    return shots


def select_first_cell(page, panel=""):
    """Give the notebook the keyboard (for Ctrl+S) by clicking its first cell's prompt: a
    click in the middle of the notebook may land on a hidden input's "..." and open it,
    a change the saved file would then keep."""
    prompt = page.locator(f"{panel}.jp-Notebook .jp-Cell .jp-InputArea-prompt").first
    prompt.scroll_into_view_if_needed()
    prompt.click()


def check_terms_and_links(browser, base, name="05_backprop_calculations.ipynb"):
    """A chapter's {term} link shows the glossary's entry in a hover card (the chapter
    carries its entries, tools/chapter_terms.py); its link to the notation page opens
    notation.md rendered (the Markdown viewer make setup sets, tools/install_jupyter_config.py);
    and glossary.md opens as a list of terms and definitions."""
    page = open_notebook(browser, base, name, alone=True)
    link = page.locator(".jp-MarkdownCell .myst a.hover-link[href^='#term-']").first
    link.scroll_into_view_if_needed()
    link.hover()
    card = page.locator(".hover-card-content").first
    card.wait_for(timeout=10_000)
    term = link.get_attribute("href")[len("#term-"):].replace("-", " ")
    shown = card.inner_text()
    assert shown.lower().startswith(term) and len(shown) > len(term) + 20, \
        f"{name}: the hover card of the {{term}} link to {term!r} reads {shown[:80]!r}"
    print(f"lab test: {name}: resting the pointer on the {{term}} link {link.inner_text()!r} shows the "
          f"glossary's entry for {shown.splitlines()[0]!r}, {len(shown)} characters")
    page.mouse.move(0, 0)
    notation = page.locator(".jp-MarkdownCell .myst a", has_text="notation page").first
    notation.scroll_into_view_if_needed()
    notation.click()
    page.wait_for_function("() => [...document.querySelectorAll('.lm-TabBar-tab.lm-mod-current')]"
                           ".some((tab) => tab.textContent.includes('notation.md'))", timeout=30_000)
    page.wait_for_timeout(2000)
    shown = page.evaluate("""() => { const w = document.querySelector('.jp-MainAreaWidget:not(.lm-mod-hidden)');
      return {tables: w.querySelectorAll('table').length, editor: !!w.querySelector('.cm-editor'),
              raw: w.innerText.includes('| symbol |')}; }""")
    assert shown["tables"] > 0 and not shown["editor"] and not shown["raw"], \
        f"{name}: its link to the notation page opened {shown} (tables rendered, no editor, no raw table)"
    print(f"lab test: {name}: its link to the notation page opens notation.md rendered "
          f"({shown['tables']} tables, not as text to edit)")
    page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}lab/tree/glossary.md?reset")
    # rendered (a list of terms), or as text in an editor (JupyterLab's own default)
    page.wait_for_selector(".jp-MainAreaWidget:not(.lm-mod-hidden) :is(dl dt, .cm-editor)", timeout=60_000)
    page.wait_for_timeout(1000)
    assert not page.locator(".jp-MainAreaWidget:not(.lm-mod-hidden) .cm-editor").count(), \
        "glossary.md opened as text to edit, not rendered: see tools/install_jupyter_config.py"
    terms = page.locator(".jp-MainAreaWidget:not(.lm-mod-hidden) dl dt").count()
    expected = len(glossary_entries())
    assert terms == expected, f"glossary.md in JupyterLab shows {terms} terms; the glossary has {expected}"
    print(f"lab test: glossary.md opens rendered, a list of its {terms} terms and their definitions")
    page.close()


def save(page):
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')"
        "  .classList.contains('jp-mod-dirty')", timeout=30_000)
    page.wait_for_timeout(500)


def read_saved(path, tries=10):
    """The notebook JupyterLab saved, once it is whole (a read can fall in the middle of a
    save that was still being written)."""
    for _ in range(tries - 1):
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError:
            time.sleep(0.5)
    return json.loads(path.read_text())


def check_save_changes_nothing(page, folder, name):
    before = (BOOK / name).read_bytes()
    select_first_cell(page, ".jp-NotebookPanel:not(.lm-mod-hidden) ")
    save(page)
    after = (folder / name).read_bytes()
    if after != before:
        kept = Path("_build") / f"lab-test-saved-{name}"
        kept.write_bytes(after)
        raise AssertionError(f"{name}: saving in JupyterLab changed the file ({len(before)} -> "
                             f"{len(after)} bytes); the saved file is {kept}: diff it with book/{name}")
    print(f"lab test: {name} saved from JupyterLab without changes: the file is byte for byte the same")


def exercise_outputs_after_run_all(browser, base, folder, name, timeout_s=600):
    """Run All in JupyterLab, save, and read what the exercises show: below the chapter's
    "## Exercises" heading, a code cell may show only its check's "not attempted yet" (an
    untouched answer cell); anything else is an answer in view that the reader did not ask
    for. And the saved cells keep the metadata they were committed with (a folded output
    stays folded). Returns (the number of answer cells, the problems)."""
    page = open_notebook(browser, base, name, alone=True)
    run_all(page)
    deadline = time.time() + timeout_s
    while True:
        page.wait_for_timeout(3000)
        save(page)
        nb = read_saved(folder / name)
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        if all(c.get("execution_count") for c in code):
            break
        # a cell tagged raises-exception shows an error on purpose, and Run All goes on
        errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb["cells"])
                  if "raises-exception" not in c.get("metadata", {}).get("tags", [])
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:  # Run All stops at any other error: the cells below it never run
            page.close()
            return 0, [f"{name}: Run All stopped at an error, cell {i}: {ename}: {evalue}"
                       for i, ename, evalue in errors], []
        if time.time() > deadline:
            page.close()
            waiting = [i for i, c in enumerate(nb["cells"])
                       if c["cell_type"] == "code" and not c.get("execution_count")]
            return 0, [f"{name}: Run All had not finished after {timeout_s} s; cells with no "
                       f"execution count: {waiting[:8]}"], []
    explorables = check_explorables(page, name)
    page.close()
    problems, answer_cells, in_exercises = [], 0, False
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and re.search(r"^## Exercises", source, re.M):
            in_exercises = True
        if not in_exercises or cell["cell_type"] != "code":
            continue
        shown = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                        + ("[a figure]" if "image/png" in o.get("data", {}) else "")
                        for o in cell.get("outputs", []))
        if 'check("' in source:
            answer_cells += 1
        if shown and not (re.fullmatch(r"(Exercise \S+, not attempted yet: [^\n]*\n?)+", shown)):
            problems.append(f"{name}: after Run All, a cell among the exercises shows {shown[:120]!r}")
    # saved after Run All, each cell keeps its settings (tags, folding) as committed
    committed = json.loads((BOOK / name).read_text())["cells"]
    for i, (saved, original) in enumerate(zip(nb["cells"], committed)):
        if saved.get("metadata", {}) != original.get("metadata", {}):
            problems.append(f"{name}: saved after Run All, cell {i}'s metadata changed: "
                            f"{original.get('metadata')} -> {saved.get('metadata')}")
    return answer_cells, problems + [p for _, _, found in explorables for p in found], explorables


def shown_explorables(notebook):
    """How many explorables a chapter shows (its cells that call show("<name>", ...))."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    return sum(bool(re.search(r'\bshow\(\s*"(%s)"' % "|".join(EXPLORABLES), "".join(c["source"])))
               for c in cells if c["cell_type"] == "code")


ACTIVE_CELL = """() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
  return [cells.findIndex((c) => c.classList.contains('jp-mod-active')),
          cells.filter((c) => c.classList.contains('jp-MarkdownCell')).length];
}"""


def keys_stay_in_the_explorable(page, root):
    """In command mode the notebook takes ArrowUp/ArrowDown (another cell) and letters (m:
    make the cell Markdown): pressed on the explorable's first slider they must move the
    slider and leave the notebook as it was. And Escape must leave the slider for the
    notebook, whose command keys (j: the next cell) then work again."""
    slider = root.locator("input[type=range]").first
    if not slider.count():
        return []
    slider.scroll_into_view_if_needed()
    slider.focus()
    cells_before, value = page.evaluate(ACTIVE_CELL), slider.input_value()
    up = "ArrowDown" if value == slider.get_attribute("max") else "ArrowUp"
    page.keyboard.press(up)
    moved = slider.input_value()
    page.keyboard.press("m")
    cells_after = page.evaluate(ACTIVE_CELL)
    problems = []
    if moved == value:
        problems.append(f"{up} on slider {slider.get_attribute('data-control')} did not move it")
    if cells_after != cells_before:
        problems.append(f"{up} and m on a slider reached the notebook (active cell, Markdown cells: "
                        f"{cells_before} -> {cells_after})")
    page.keyboard.press("ArrowDown" if up == "ArrowUp" else "ArrowUp")   # back where it was
    # Escape leaves the slider for the notebook: j then selects the next cell, k comes back
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    on_slider = slider.evaluate("e => document.activeElement === e")
    before = page.evaluate(ACTIVE_CELL)
    page.keyboard.press("j")
    page.wait_for_timeout(300)
    after = page.evaluate(ACTIVE_CELL)
    page.keyboard.press("k")
    if on_slider or after[0] != before[0] + 1:
        problems.append(f"Escape on a slider did not hand the keyboard to the notebook (focus still on "
                        f"the slider: {on_slider}; j moved the active cell {before[0]} -> {after[0]})")
    return problems


def check_explorables(page, name):
    """The chapter's explorables (bpbook/explorables), live after Run All: each operated
    as its test cases say, by keyboard and pointer as on the site (tools/explorable_driver.py),
    its numbers compared with bp's. Returns [(explorable, largest difference, problems)]."""
    from bpbook.explorables import reference_cases
    from tools.explorable_driver import check_explorable
    found = []
    roots = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .bp-explorable")
    for root in roots.all():
        explorable = root.get_attribute("data-name")
        problems = keys_stay_in_the_explorable(page, root)
        worst, more = check_explorable(page, root, reference_cases(explorable), fit_screen=False)
        problems += more
        found.append((explorable, worst, [f"{name}: explorable {explorable} in JupyterLab: {p}"
                                           for p in problems]))
        print(f"lab test: {name}: explorable {explorable} live after Run All, operated as its "
              f"cases say: largest difference from bp {worst:.1e}"
              + (f", {len(problems)} problems" if problems else ""), flush=True)
    return found


def run_all(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def explorer_latencies(page, presses=KEY_PRESSES, timeout_ms=30_000):
    """Press the learning-rate slider's left arrow key (from 0.1 down to 0.01: each press
    a new rate, each run the full 200 epochs); after each press wait for the redrawn
    figure. Returns the latencies (ms) that the explorer measured in the page, from the
    key press to the figure drawn with the new run."""
    explorer = page.locator(FRESH_EXPLORER).first
    explorer.wait_for(timeout=timeout_ms)
    explorer.scroll_into_view_if_needed()
    slider = explorer.locator("input[type=range]").first
    figure = explorer.locator("canvas")
    first_picture = figure.evaluate("c => c.toDataURL()")
    for i in range(presses):
        slider.focus()  # again each time: a redraw elsewhere in the notebook may take the focus
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            f"() => (document.querySelector('{FRESH_EXPLORER}').dataset.latencies || '')"
            f".split(' ').filter(Boolean).length >= {i + 1}", timeout=timeout_ms,
            polling=250)  # not every animation frame: that would take CPU from the kernel
    assert figure.evaluate("c => c.toDataURL()") != first_picture, "the figure did not change"
    assert slider.get_attribute("aria-valuetext") == "learning rate 0.01", slider.get_attribute("aria-valuetext")
    return [float(t) for t in explorer.get_attribute("data-latencies").split()]


def run_explorer(browser, base):
    page = open_notebook(browser, base, EXPLORER_CHAPTER)
    # An explorer drawn from the saved widget state before Run All is replaced when its cell
    # runs again; mark it, so that the test waits for, and presses keys on, the new one.
    page.wait_for_timeout(2000)
    page.evaluate("() => document.querySelectorAll('.bp-lr-explorer')"
                  ".forEach(e => e.classList.add('bp-before-run'))")
    run_all(page)
    page.locator(FRESH_EXPLORER).first.wait_for(state="attached", timeout=180_000)
    # then until the kernel is idle (the status bar says so): every cell ran
    page.wait_for_function("() => /\\|\\s*Idle/.test(document.querySelector('.jp-StatusBar-Widget')"
                           "?.innerText || '')", timeout=180_000)
    return page


def shut_down_sessions(base):
    """End every notebook session and its kernel, as closing JupyterLab does."""
    with urllib.request.urlopen(base + "api/sessions") as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(request)


def check_reopen(browser, base, page):
    save(page)
    page.close()
    shut_down_sessions(base)
    page = open_notebook(browser, base, EXPLORER_CHAPTER, alone=True)
    page.wait_for_timeout(3000)
    # Lab renders only the cells near the view: read the outputs while scrolling through
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    scroller = page.locator(f"{panel} .jp-WindowedPanel-outer").first
    text, position = "", 0
    while position <= scroller.evaluate("e => e.scrollHeight"):
        scroller.evaluate(f"e => e.scrollTo(0, {position})")
        page.wait_for_timeout(250)
        text += page.evaluate(f"() => [...document.querySelectorAll('{panel} .jp-OutputArea-output')]"
                              ".map(e => e.textContent).join(' ')")
        position += 600
    assert "Error displaying widget" not in text, "a saved and reopened notebook 07 shows a widget error"
    if "appears here when this cell runs" not in text:
        page.screenshot(path=str(Path("_build") / "lab-test-failed.png"))
        raise AssertionError("the reopened explorer cell does not say what to do; the outputs read: "
                             f"{text[:1500]!r} (screenshot _build/lab-test-failed.png)")
    print("lab test: notebook 07 saved and opened again without a kernel: no widget error; "
          "the explorer's cell says to run the cells")
    page.close()


def check_notebook7(browser, base, folder, run, name="05_backprop_calculations.ipynb"):
    """The same server offers Notebook 7 (`jupyter notebook`): a chapter opens there with
    its MyST rendered too, and saving it unchanged leaves its file as it was."""
    before, saved_at = (folder / name).read_bytes(), (folder / name).stat().st_mtime_ns
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}notebooks/{name}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function("() => document.querySelectorAll('.jp-MarkdownCell .myst .myst-admonition')"
                           ".length > 0", timeout=60_000)
    cells = page.evaluate(READ_RENDERED)
    raw = [c["text"][:60] for c in cells if RAW_MYST.search(c["text"])]
    assert not raw, f"Notebook 7, {name}: raw MyST: {raw[:2]}"
    print(f"lab test: Notebook 7 opens {name} with its MyST rendered "
          f"({sum(c['admonitions'] for c in cells)} admonitions in view, no raw MyST)")
    if run:
        # the explorable, live (Lab signed the notebook when it saved it run, so Notebook 7
        # trusts it): Notebook 7 hears keys on their way down, before the slider does
        root = page.locator(".bp-explorable[data-ready='1']").first
        root.wait_for(timeout=30_000)
        problems = keys_stay_in_the_explorable(page, root)
        assert not problems, f"{name} in Notebook 7: " + "; ".join(problems)
        print(f"lab test: Notebook 7: explorable {root.get_attribute('data-name')} is live; arrow "
              "keys and letters pressed on its slider stay there")
    page.wait_for_timeout(3000)        # its kernel started (which adds to the metadata)
    select_first_cell(page)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(3000)
    after = (folder / name).read_bytes()
    assert (folder / name).stat().st_mtime_ns != saved_at, f"{name}: Ctrl+S in Notebook 7 did not save"
    if after != before:
        kept = Path("_build") / f"lab-test-saved-nb7-{name}"
        kept.write_bytes(after)
        raise AssertionError(f"{name}: saving in Notebook 7 changed the file; the saved file is {kept}")
    print(f"lab test: {name} saved from Notebook 7 without changes: the file is byte for byte the same")
    page.close()


def summary(latencies):
    return (f"median {statistics.median(latencies):.0f} ms, max {max(latencies):.0f} ms "
            f"({len(latencies)} key presses)")


def measure_latency(browser_path=None):
    """Run notebook 07 (Updating the weights) in a fresh JupyterLab and return the explorer's latencies (ms).
    Used by tools/benchmarks/bench_widget.py."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        shutil.copy(BOOK / EXPLORER_CHAPTER, folder)
        with jupyterlab(folder) as base:
            browser = p.chromium.launch(executable_path=browser_path or find_chromium(),
                                        args=CHROMIUM_ARGS)
            page = run_explorer(browser, base)
            latencies = explorer_latencies(page)
            browser.close()
    return latencies


def main():
    chromium = chromium_or_skip("lab test", "JupyterLab cannot be driven")
    if chromium is None:
        return
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        # the chapters in a copy of the repository's layout: the appendix reads its measurements
        # from ../tools/benchmarks/results.json, as it does in the repository and in the zip
        folder = Path(tmp) / "book"
        folder.mkdir()
        for page_file in [*BOOK.glob("*.ipynb"), *BOOK.glob("*.md")]:   # the chapters link to notation.md
            shutil.copy(page_file, folder)
        (Path(tmp) / RESULTS).parent.mkdir(parents=True)
        shutil.copy(RESULTS, Path(tmp) / RESULTS)
        with jupyterlab(folder) as base:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            print(f"lab test: JupyterLab at {base}, chapters copied to {folder}")
            # LAB_TEST_CHAPTERS="A_how_fast.ipynb ..." or LAB_TEST_QUICK=1 (chapter 5): a part
            chapters = (os.environ.get("LAB_TEST_CHAPTERS", "").split() or
                        (["05_backprop_calculations.ipynb"] if os.environ.get("LAB_TEST_QUICK")
                         else MYST_CHAPTERS))
            for name in chapters:
                page = check_myst(browser, base, name)
                if name.startswith("05_"):
                    check_save_changes_nothing(page, folder, name)
                page.close()
            check_terms_and_links(browser, base)
            problems, answer_cells, explorables = [], 0, []
            for name in chapters:
                count, found, live = exercise_outputs_after_run_all(browser, base, folder, name)
                answer_cells += count
                problems += found
                explorables += live
            assert not problems, "after Run All:\n  " + "\n  ".join(problems)
            expected = sum(shown_explorables(BOOK / c) for c in chapters)
            assert len(explorables) == expected, (f"{len(explorables)} explorables were live after "
                                                  f"Run All; the chapters show {expected}")
            if explorables:
                print(f"lab test: {len(explorables)} explorables live in JupyterLab after Run All; "
                      f"largest difference from bp {max(w for _, w, _ in explorables):.1e} (at most "
                      f"{RELATIVE_TOLERANCE:g} relative)")
            print(f"lab test: Run All in every chapter, then saved: the {answer_cells} answer cells say "
                  "\"not attempted yet\", and no other cell among the exercises shows an output")
            check_notebook7(browser, base, folder, run="05_backprop_calculations.ipynb" in chapters)
            page = run_explorer(browser, base)
            latencies = explorer_latencies(page)
            print(f"lab test: notebook 07 (Updating the weights) ran; the explorer redrew after every key press: "
                  f"{summary(latencies)} from key press to redrawn figure")
            check_reopen(browser, base, page)
            browser.close()
    print("lab-test: passed")


if __name__ == "__main__":
    main()
