"""The glossary written once for the site and for Jupyter.

book/glossary.md writes each entry as a Markdown definition list does, the term on its
own line and its definition after ": ", inside a ```{glossary} fence:

    Backpropagation
    : The algorithm that computes ...
      (continued, indented two spaces)

jupyterlab-myst reads that form (a Jupyter reader who opens glossary.md sees terms and
definitions, and a chapter's {term} links show the definition in a hover card, see
tools/chapter_terms.py). Sphinx's glossary directive, which the site needs for its
{term} links, wants the definition indented instead; this extension rewrites ": " at the
start of a line inside a glossary fence to two spaces as the page is read.
"""
import re

GLOSSARY_FENCE = re.compile(r"^```\{glossary\}\n.*?^```", re.MULTILINE | re.DOTALL)
DEFINITION_START = re.compile(r"^: ", re.MULTILINE)


def to_sphinx_glossary(markdown):
    """The Markdown with every glossary fence's definitions in Sphinx's indented form."""
    return GLOSSARY_FENCE.sub(lambda fence: DEFINITION_START.sub("  ", fence.group(0)), markdown)


def rewrite_glossaries(app, docname, source):
    source[0] = to_sphinx_glossary(source[0])


def setup(app):
    app.connect("source-read", rewrite_glossaries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
