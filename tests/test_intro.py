"""The intro's code runs, and the output its comment shows is what it prints."""
import contextlib
import io
import re
from pathlib import Path

INTRO = Path(__file__).resolve().parent.parent / "book" / "intro.md"


def test_the_intro_example_prints_what_its_comment_says():
    blocks = re.findall(r"```python\n(.*?)```", INTRO.read_text(encoding="utf-8"), re.S)
    assert blocks, "the intro has no python example"
    for code in blocks:
        # the comment lines right after the last print: what the reader is told it prints
        promised = re.findall(r"^# (.*)$", code.split("print(")[-1], re.M)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(INTRO), "exec"), {})
        assert printed.getvalue().splitlines() == promised
