"""Debian's Chromium, for the tools that drive a browser (the browser, print and lab
tests, the book's PDF, the explorables' check).

The tools only look for it: ``make chromium`` installs it (with apt-get, as root), and
CI runs that target first. Without it a tool skips with a message, except under CI,
where a skipped browser test would hide a failure.
"""
import os
import shutil
import sys

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


def find_chromium():
    """The path of Debian's chromium, or None."""
    return shutil.which("chromium")


def chromium_or_skip(who, what="this check"):
    """The path of chromium; or, without it, exit under CI (a failure) or print that
    ``who`` skips ``what`` and return None."""
    path = find_chromium()
    if path:
        return path
    message = f"{who}: Chromium is not installed (`make chromium` installs Debian's package), so {what} cannot run."
    if os.environ.get("CI"):
        sys.exit(message + " CI must run it: FAILED.")
    print(message + " SKIPPED.")
    return None
