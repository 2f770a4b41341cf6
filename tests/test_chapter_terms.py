"""The glossary in its two forms, and each chapter's copy of the entries it links to
(tools/chapter_terms.py, tools/sphinx/glossary_lists.py)."""
import sys
from pathlib import Path

import nbformat
import pytest

from tools import chapter_terms
from tools.chapter_terms import glossary_entries, linked_terms, updated

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" / "sphinx"))
from glossary_lists import to_sphinx_glossary  # noqa: E402  (a Sphinx extension, not a package)

GLOSSARY = """(glossary)=
# Glossary

```{glossary}
Neuron
: The basic element, $z = w \\cdot x + b$,
  and its activation.

Unit
: Another name for a {term}`neuron <Neuron>`.
```

A definition list outside the glossary
: stays as it is.
"""


def test_the_site_gets_sphinx_s_indented_glossary():
    converted = to_sphinx_glossary(GLOSSARY)
    assert "Neuron\n  The basic element, $z = w \\cdot x + b$,\n  and its activation." in converted
    assert "Unit\n  Another name for" in converted
    assert "A definition list outside the glossary\n: stays as it is." in converted


def test_every_glossary_entry_is_a_term_and_a_definition():
    entries = glossary_entries()
    assert len(entries) > 50
    for key, (term, entry) in entries.items():
        lines = entry.split("\n")
        assert lines[1].startswith(": "), f"{term}: the definition starts with ': ' on the line after the term"
        assert all(line.startswith("  ") for line in lines[2:]), f"{term}: continued lines are indented two spaces"
    keys = list(entries)
    assert keys == sorted(keys), "the glossary is in alphabetical order"


def test_the_links_of_a_text_name_their_terms():
    assert linked_terms("a {term}`unit <Unit>` and a {term}`Neuron`") == ["unit", "neuron"]


def test_a_chapter_gets_the_entries_it_links_to_and_theirs(tmp_path):
    entries = glossary_entries(GLOSSARY)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Each {term}`unit <Unit>` adds.")])
    cell = updated(nb, entries).cells[-1]
    assert cell.id == chapter_terms.CELL_ID and cell.metadata["tags"] == ["remove-cell"]
    # Unit, and Neuron, which Unit's entry links to, in the glossary's order
    assert cell.source.index("Neuron\n: The basic") < cell.source.index("Unit\n: Another name")
    # done twice, the cell is replaced, not added again
    assert len(updated(updated(nb, entries), entries).cells) == 2


def test_a_link_to_a_missing_term_is_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("a {term}`Perceptron`")])
    with pytest.raises(KeyError, match="perceptron"):
        updated(nb, glossary_entries(GLOSSARY))


@pytest.mark.parametrize("path", chapter_terms.chapters(), ids=lambda p: p.name)
def test_each_chapter_s_words_are_the_glossary_s(path):
    saved = path.read_text()
    expected = nbformat.writes(updated(nbformat.read(path, as_version=4), glossary_entries())) + "\n"
    assert saved == expected, f"{path.name}: its words differ from book/glossary.md; run python -m tools.chapter_terms"
