"""Browser test of the built site: the kernel-free learning-rate slider really works.

    make browser-test      (after make book; .ci/run calls both)

For every built page that holds a precomputed slider (bp.widgets.static_slider_html),
load it in headless Chromium with every network request blocked, move the slider,
and check that the picture and the printed result change. Also check that MathJax
rendered the page's math from the site's own copy, and that no ipywidgets widget
(which would move without doing anything, having no kernel) is on the page.

Chromium comes from Debian's `chromium` package; if it is missing this script
installs it with apt-get when it can (as root), and otherwise skips with a message.
Playwright (from PyPI) drives it; it does not download a browser of its own.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

SITE = Path("_build/html")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


def find_or_install_chromium():
    path = shutil.which("chromium")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("browser test: installing Debian's chromium package with apt-get ...", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            # apt's progress output is long; show it only if the installation fails
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        return shutil.which("chromium")
    return None


def pages_with_sliders():
    return sorted(p for p in SITE.rglob("*.html") if "bp-lr-slider" in p.read_text(encoding="utf-8"))


def check_page(browser, page_path):
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(page_path.resolve().as_uri())
    if page.locator(".math").count():  # MathJax typesets the page's math from the site's own copy
        page.wait_for_selector("mjx-container", state="attached", timeout=20000)
    assert page.locator(".jupyter-widgets, .widget-slider").count() == 0, "an ipywidgets widget is on the page"

    slider_box = page.locator(".bp-lr-slider").first
    slider_box.scroll_into_view_if_needed()
    slider = slider_box.locator("input[type=range]")
    image, message = slider_box.locator("img.bp-lr-frame"), slider_box.locator(".bp-lr-message")
    before = (slider.input_value(), image.get_attribute("src"), message.inner_text())
    last = slider.get_attribute("max")
    slider.fill(last)  # drag to the largest learning rate
    after = (slider.input_value(), image.get_attribute("src"), message.inner_text())
    assert after[0] == last != before[0], f"the slider did not move: {before[0]} -> {after[0]}"
    assert after[1] != before[1], "moving the slider did not change the figure"
    assert after[2] != before[2], "moving the slider did not change the printed result"
    shot = Path("_build") / f"browser-test-{page_path.stem}.png"
    slider_box.screenshot(path=str(shot))
    print(f"browser test: {page_path}: slider {before[0]} -> {after[0]}, figure changed, "
          f"message '{before[2]}' -> '{after[2]}'; network requests blocked: {len(blocked)}; "
          f"screenshot {shot}")
    page.close()


def check_tracebacks_name_project_files():
    """The site's tracebacks (cells that raise on purpose) show "bp/dense.py", not the
    build folder's absolute path (tools/sphinx/site_tracebacks.py)."""
    project = str(Path.cwd().resolve()) + "/"
    leaking = [str(p) for p in SITE.rglob("*.html") if project in p.read_text(encoding="utf-8")]
    assert not leaking, f"pages that show the build folder {project}: {leaking}"
    chapter = SITE / "book" / "04_forward_propagation.html"
    assert "bp/dense.py" in chapter.read_text(encoding="utf-8"), f"{chapter} has no traceback through bp/dense.py"
    print(f"browser test: no page shows the build folder's path; {chapter.name} names bp/dense.py")


def main():
    if not SITE.is_dir():
        sys.exit("browser test: no built site in _build/html; run `make book` first.")
    check_tracebacks_name_project_files()
    pages = pages_with_sliders()
    if not pages:
        sys.exit("browser test: no page of the built site has a precomputed learning-rate slider.")
    chromium = find_or_install_chromium()
    if chromium is None:
        message = ("browser test: Chromium is not installed and cannot be installed here "
                   "(needs Debian's chromium package, installed as root).")
        if os.environ.get("CI"):
            sys.exit(message + " CI must run this test: FAILED.")   # never a silent skip in CI
        print(message + " SKIPPED.")
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for page_path in pages:
            check_page(browser, page_path)
        browser.close()
    print(f"browser-test: {len(pages)} passed, 0 failed")


if __name__ == "__main__":
    main()
