"""Write an explorable's live HTML to _build/preview/<name>.html, for working on it
without building the book: open the file in a browser, or screenshot it.

    .venv/bin/python tools/explorable_preview.py gradient_descent_1d
"""
import os
import sys
from pathlib import Path

os.environ["BP_BOOK_SITE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bp.explorables import NAMES, page_html  # noqa: E402

CSS = Path(__file__).parent / "sphinx" / "static" / "bp-book.css"


def main(names):
    folder = Path("_build") / "preview"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or NAMES:
        fragment = page_html(name, alt=f"the static figure of {name}")
        page = folder / f"{name}.html"
        page.write_text(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{CSS.read_text(encoding="utf-8") if CSS.exists() else ""}
body {{ font-family: system-ui, sans-serif; max-width: 760px; margin: 1rem auto; padding: 0 0.8rem; }}</style>
</head><body><h1>{name}</h1>{fragment}</body></html>""", encoding="utf-8")
        print(f"{page}: {len(fragment) / 1e3:.0f} kB of explorable")


if __name__ == "__main__":
    main(sys.argv[1:])
