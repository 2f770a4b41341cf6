"""Check one explorable (or all) on its preview page, as make browser-test checks it on
the site: operate every reference case at phone and laptop sizes, compare the page's
numbers with bp's, check that it fits the screen under the site's header, save
screenshots to _build/preview/<name>-<size>.png, and time a held key on a phone with a
4x slower CPU.

    .venv/bin/python -m tools.explorable_check gradient_descent_1d [--no-latency]
"""
import functools
import http.server
import sys
import threading
from pathlib import Path

from tools import explorable_preview
from tools.browser_test import QuietHandler
from tools.chromium import CHROMIUM_ARGS, find_chromium
from tools.explorable_driver import PHONE, check_explorable, latency_report, measure_latency, throttle_cpu

from bpbook.explorables import NAMES, reference_cases  # noqa: E402

SIZES = {"phone": dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, has_touch=True),
         "laptop": dict(viewport={"width": 1280, "height": 800})}


def main(names, latency=True):
    from playwright.sync_api import sync_playwright
    names = names or list(NAMES)
    explorable_preview.main(names)
    failed = False
    handler = functools.partial(QuietHandler, directory="_build")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/preview/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for name in names:
            cases = reference_cases(name)
            # in its chapter's page if the site is built (the site's fonts and header), else alone
            site = (Path("_build") / "preview" / f"{name}-site.html").is_file()
            url = base + (f"{name}-site.html" if site else f"{name}.html")
            print(f"{name}: {url}")
            for size, options in SIZES.items():
                context = browser.new_context(**options)
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(url)
                root = page.locator(".bp-explorable").first
                worst, problems = check_explorable(page, root, cases)
                problems += [f"console: {e}" for e in errors]
                shot = Path("_build") / "preview" / f"{name}-{size}.png"
                root.screenshot(path=str(shot))
                print(f"{name} at {size}: {len(cases)} cases, largest relative difference from bp "
                      f"{worst:.1e}; screenshot {shot}")
                for problem in problems:
                    print(f"  PROBLEM: {problem}")
                failed |= bool(problems)
                context.close()
            # a held key on a phone with a slow CPU (tools/explorable_driver.py, measure_latency)
            if latency:
                context = browser.new_context(**PHONE)
                page = context.new_page()
                page.goto(url)
                root = page.locator(".bp-explorable").first
                page.wait_for_function("e => e.dataset.ready === '1'", arg=root.element_handle())
                throttle_cpu(page)
                line, problems = latency_report(name, measure_latency(page, root))
                print(line)
                for problem in problems:
                    print(f"  PROBLEM: {problem}")
                failed |= bool(problems)
                context.close()
            # JavaScript off: the static figure and its text
            context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto(url)
            static = page.locator(".bp-explorable .bp-x-static")
            ok = static.count() == 1 and static.locator("img").is_visible() and static.inner_text().strip()
            print(f"{name} without JavaScript: {'the static figure and its text' if ok else 'PROBLEM: nothing'}")
            failed |= not ok
            context.close()
        browser.close()
    server.shutdown()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    # --no-latency: skip the timing of held keys (quicker, while working on the looks)
    main([a for a in sys.argv[1:] if a != "--no-latency"], latency="--no-latency" not in sys.argv)
