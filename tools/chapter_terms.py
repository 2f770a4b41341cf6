"""Each chapter's "Words used in this chapter": the glossary entries of the terms it links to.

    python -m tools.chapter_terms            (what `make notebooks` runs first)
    python -m tools.chapter_terms --check    (exit 1 if a chapter's list is out of date)

On the site a {term} link leads to the glossary page. jupyterlab-myst resolves a link
only within the notebook it is in, so in JupyterLab a chapter's {term} links showed
nothing. Each chapter therefore ends with a Markdown cell holding the entries of
book/glossary.md for the terms it links to (and for the terms those entries link to):
in JupyterLab the pointer resting on a linked term shows its definition, and the reader
finds the chapter's words at its end. The cell is tagged remove-cell: the site leaves
it out (its glossary is a page of its own, and Sphinx would see every term twice).
The entries are copied from book/glossary.md by this script, never edited by hand;
tests/test_chapter_terms.py fails when a chapter's copy differs from the glossary.
"""
import re
import sys
from pathlib import Path

import nbformat

BOOK = Path(__file__).resolve().parent.parent / "book"
CELL_ID = "words-used-in-this-chapter"
TERM_LINK = re.compile(r"\{term\}`([^`]*)`")
INTRO = """## Words used in this chapter

The glossary's entries for the words this chapter links to. In JupyterLab, rest the
pointer on a linked word to see its entry; the whole glossary is `glossary.md`, beside
the chapters. (This cell is copied from the glossary by `tools/chapter_terms.py`; the
website leaves it out and links the words to its glossary page.)
"""


def glossary_entries(text=None):
    """{term, lower case: (term, its entry as written in book/glossary.md)}, in the
    glossary's order."""
    text = (BOOK / "glossary.md").read_text() if text is None else text
    body = text.split("```{glossary}\n", 1)[1].split("\n```", 1)[0]
    entries = {}
    for entry in body.strip("\n").split("\n\n"):
        term = entry.split("\n", 1)[0]
        entries[term.lower()] = (term, entry)
    return entries


def linked_terms(markdown):
    """The terms a text links to with {term}`text <Term>` or {term}`Term`, lower case."""
    targets = []
    for link in TERM_LINK.findall(markdown):
        target = re.search(r"<([^>]*)>\s*$", link)
        targets.append((target.group(1) if target else link).strip().lower())
    return targets


def chapter_entries(nb, entries):
    """The glossary entries of the terms the chapter's Markdown cells link to, and of the
    terms those entries link to ("Unit: another name for a neuron"), in glossary order."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown" and c.get("id") != CELL_ID)
    wanted = set(linked_terms(text))
    unknown = wanted - set(entries)
    if unknown:
        raise KeyError(f"linked to with {{term}} but not in book/glossary.md: {sorted(unknown)}")
    wanted |= {t for term in wanted for t in linked_terms(entries[term][1])}
    return [entry for key, (_, entry) in entries.items() if key in wanted]


def words_cell(nb, entries):
    """The chapter's "Words used" cell as it should be, or None if it links to no term."""
    chosen = chapter_entries(nb, entries)
    if not chosen:
        return None
    source = INTRO + "\n```{glossary}\n" + "\n\n".join(chosen) + "\n```"
    cell = nbformat.v4.new_markdown_cell(source, id=CELL_ID)
    cell.metadata["tags"] = ["remove-cell"]
    return cell


def updated(nb, entries):
    """The notebook with its "Words used" cell, the last one, as the glossary says."""
    cells = [c for c in nb.cells if c.get("id") != CELL_ID]
    cell = words_cell(nb, entries)
    nb.cells = cells + ([cell] if cell is not None else [])
    return nb


def chapters():
    return sorted(BOOK.glob("*.ipynb"))


def main(check=False):
    entries = glossary_entries()
    stale = []
    for path in chapters():
        before = path.read_text()
        nb = updated(nbformat.read(path, as_version=4), entries)
        after = nbformat.writes(nb) + "\n"
        if after != before:
            stale.append(path.name)
            if not check:
                path.write_text(after)
    if check and stale:
        sys.exit(f"out of date with book/glossary.md: {', '.join(stale)}; run python -m tools.chapter_terms")
    print(f"chapter terms: {len(stale)} chapters {'out of date' if check else 'updated'}")


if __name__ == "__main__":
    main(check="--check" in sys.argv)
