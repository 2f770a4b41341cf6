"""Write an explorable's live HTML to _build/preview/<name>.html, for working on it
without building the book: open the file in a browser, or screenshot it.

    .venv/bin/python -m tools.explorable_preview gradient_descent_1d

If the book has been built (_build/html), it also writes _build/preview/<name>-site.html:
the chapter page that shows the explorable, with the explorable as it is now in its
place, so that the page's theme (fonts, spacing, header) is the site's. Served over http
from _build (tools/explorable_check.py does), its files come from the built site.
"""
import os
import sys
from pathlib import Path

os.environ["BP_BOOK_SITE"] = "1"
from bpbook.explorables import NAMES, page_html

CSS = [Path(__file__).parent / "sphinx" / "static" / "bp-book.css",
       Path(__file__).parent.parent / "bpbook" / "explorables" / "explorable.css"]
SITE = Path("_build") / "html"


def main(names):
    folder = Path("_build") / "preview"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or NAMES:
        fragment = page_html(name, alt=f"the static figure of {name}")
        page = folder / f"{name}.html"
        page.write_text(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>{"".join(css.read_text(encoding="utf-8") for css in CSS)}
body {{ font-family: system-ui, sans-serif; max-width: 760px; margin: 1rem auto; padding: 0 0.8rem; }}</style>
</head><body><h1>{name}</h1>{fragment}</body></html>""", encoding="utf-8")
        print(f"{page}: {len(fragment) / 1e3:.0f} kB of explorable")
        site_page(name, fragment, folder)


def site_page(name, fragment, folder):
    """The built chapter page with this explorable's fragment replaced by `fragment`."""
    for chapter in sorted(SITE.glob("book/*.html")):
        text = chapter.read_text(encoding="utf-8")
        start = text.find(f'<div class="bp-explorable" id="bp-x-{name}-')
        if start < 0:
            continue
        end = text.index("</script>\n</div>", start) + len("</script>\n</div>")
        text = text[:start] + fragment + text[end:]
        base = f'<base href="/html/{chapter.relative_to(SITE).parent.as_posix()}/">'
        text = text.replace("<head>", f"<head>{base}", 1)
        # the explorables' styles as they are now, not as they were when the site was built
        styles = "".join(css.read_text(encoding="utf-8") for css in CSS)
        text = text.replace("</head>", f"<style>{styles}</style></head>", 1)
        (folder / f"{name}-site.html").write_text(text, encoding="utf-8")
        return


if __name__ == "__main__":
    main(sys.argv[1:])
