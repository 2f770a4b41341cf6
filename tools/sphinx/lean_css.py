"""Cut the site's stylesheets down to the rules its pages can use.

The theme's stylesheet holds all of Bootstrap 5 and a rule for each of Font Awesome's
2,000 icons (397 kB, on every page), sphinx-design's 55 kB of utility classes, and so on;
a page of the book uses a small part. After the build, a rule is kept when every class
its selector names appears somewhere in the site: in a page's HTML or in one of the site's
scripts (which add classes such as "show" or "tooltip-inner" as the reader clicks). A
rule whose selector names no class (an element, an id, an attribute such as
[data-theme=dark]) is always kept, and so are @font-face, @keyframes and every license
comment (/*! ... */). Classes that Bootstrap's scripts build from pieces (bs-tooltip-top)
are kept by their prefix.

This is a plain reader of minified CSS: rules, @media/@supports/@layer blocks holding
rules, and other at-rules kept whole.
"""
import re
from pathlib import Path

WORD = re.compile(r"[A-Za-z_][\w-]*")
CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
# Classes that scripts assemble from parts, so that no page or script spells them whole.
BUILT_BY_SCRIPTS = ("bs-", "tooltip", "popover", "carousel-item-", "offcanvas", "modal", "collaps",
                    "dropdown", "fade", "show", "active", "disabled")
BLOCKS_OF_RULES = ("@media", "@supports", "@layer", "@container", "@document")


def used_words(outdir):
    """Every word that a page or a script of the site contains (class names among them)."""
    words = set()
    for path in Path(outdir).rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return words


def _skip_string_or_comment(css, i):
    """If css[i] opens a string or a comment, the index after it; else i."""
    if css[i] in "\"'":
        quote, i = css[i], i + 1
        while i < len(css) and css[i] != quote:
            i += 2 if css[i] == "\\" else 1
        return i + 1
    if css.startswith("/*", i):
        end = css.find("*/", i + 2)
        return len(css) if end < 0 else end + 2
    return i


def _blocks(css):
    """The top-level pieces of a stylesheet: (prelude, body) for a block, (statement, None)
    for an at-rule ending with ";", and (comment, None) for a comment."""
    i, n = 0, len(css)
    while i < n:
        if css[i].isspace():
            i += 1
            continue
        if css.startswith("/*", i):
            j = _skip_string_or_comment(css, i)
            yield css[i:j], None
            i = j
            continue
        start = i
        while i < n and css[i] not in "{;":
            j = _skip_string_or_comment(css, i)
            i = j if j != i else i + 1
        if i >= n or css[i] == ";":
            yield css[start:i + 1], None
            i += 1
            continue
        prelude, depth, i = css[start:i], 1, i + 1
        body_start = i
        while i < n and depth:
            j = _skip_string_or_comment(css, i)
            if j != i:
                i = j
                continue
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        yield prelude, css[body_start:i - 1]


def _split_selectors(prelude):
    """Selectors separated by top-level commas (not those inside :is(...) or [...])."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def _selector_used(selector, words):
    # a class inside :not(...) need not be on the page for the selector to match
    plain = re.sub(r":not\([^()]*\)", "", selector)
    return all(name in words or name.startswith(BUILT_BY_SCRIPTS) for name in CLASS.findall(plain))


def lean(css, words):
    """The stylesheet without the rules whose selectors name classes the site never uses."""
    out = []
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if body is None:
            if head.startswith("/*") and not head.startswith("/*!"):
                continue           # an ordinary comment (a source map's address among them)
            out.append(head)
        elif head.startswith(BLOCKS_OF_RULES):
            inner = lean(body, words)
            if inner:
                out.append(f"{head}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{head}{{{body}}}")   # @font-face, @keyframes, @page: kept whole
        else:
            kept = [s for s in _split_selectors(head) if _selector_used(s, words)]
            if kept:
                out.append(f"{','.join(s.strip() for s in kept)}{{{body}}}")
    return "\n".join(out)


def lean_stylesheets(outdir, skip=("bp-book.css", "bp-print.css")):
    """Cut every stylesheet in the site's _static/ (not the book's own); returns (bytes
    before, bytes after)."""
    words = used_words(outdir)
    before = after = 0
    for path in sorted(Path(outdir, "_static").rglob("*.css")):
        if path.name in skip or "mathjax" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        cut = lean(text, words)
        before += len(text.encode("utf-8"))
        after += len(cut.encode("utf-8"))
        path.write_text(cut, encoding="utf-8")
    return before, after
