"""Write bp/exercises/sections.py: for every labelled equation of the chapters, the title of
the section it sits in. The exercises' messages cite equations by label, "(eq-clip)", and the
two places a learner reads number them differently (the site "(9.4)", JupyterLab "(12)");
a section title is found the same way in both.

    .venv/bin/python -m tools.equation_sections

tests/test_exercises.py fails while the file differs from what this writes.
"""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "bp" / "exercises" / "sections.py"
HEADING = re.compile(r"^#{2,4} +(.+?) *$", re.M)
LABEL = re.compile(r"\$\$ *\((eq-[\w-]+)\)")


def plain(title):
    """A heading as the reader sees it: no MyST roles, links or emphasis."""
    title = re.sub(r"\{[a-z]+\}`([^`<]*?)(?: *<[^>]*>)?`", r"\1", title)
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    return title.replace("*", "").replace("`", "").strip()


def sections():
    """{chapter prefix: {label: section title}}, chapters in file order."""
    found = {}
    for notebook in sorted((ROOT / "book").glob("*.ipynb")):
        chapter = notebook.name.split("_")[0]
        current, labels = None, {}
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            # headings and labels in the order they come in the cell
            events = sorted([(m.start(), "heading", plain(m.group(1))) for m in HEADING.finditer(text)]
                            + [(m.start(), "label", m.group(1)) for m in LABEL.finditer(text)])
            for _, kind, value in events:
                if kind == "heading":
                    current = value
                else:
                    labels[value] = current
        if labels:
            found[chapter] = labels
    return found


def source(found):
    lines = ['"""Where each labelled equation of the book sits: {chapter: {label: section title}}.',
             "",
             "Written by ``python -m tools.equation_sections`` from the chapters; do not edit by hand.",
             '"""', "", "SECTIONS = {"]
    for chapter, labels in found.items():
        lines.append(f"    {chapter!r}: {{")
        for label, title in labels.items():
            lines.append(f"        {label!r}: {title!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    TARGET.write_text(source(sections()), encoding="utf-8")
    print(f"equation sections: {sum(len(v) for v in sections().values())} labels written to "
          f"{TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
