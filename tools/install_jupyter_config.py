"""Make every Jupyter server started from the project's environment use the project's
settings (tools/jupyter_lab_config.py: saving a chapter keeps only what the reader
changed), not only `make lab`: a plain `.venv/bin/jupyter lab` or `.venv/bin/jupyter
notebook` (Notebook 7), or the environment activated and `jupyter lab`.

    .venv/bin/python -m tools.install_jupyter_config     (`make setup` runs it)

Jupyter reads the configuration files in `<environment>/etc/jupyter/` (see `jupyter
--paths`); this writes `jupyter_server_config.py` there, which reads the project's file
(so the settings have one home, in the project).

It also sets one JupyterLab default for the environment, in JupyterLab's
`<environment>/share/jupyter/lab/settings/overrides.json`: a Markdown file opens rendered
(glossary.md, notation.md, the chapters' links to them), not as text to edit; "Open
With > Editor" still edits it. A reader's own settings still win over these defaults.
"""
import json
import sys
from pathlib import Path

SETTINGS = Path(__file__).resolve().with_name("jupyter_lab_config.py")


def install(prefix=sys.prefix):
    target = Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "# Written by the backpropagation book's `make setup` (tools/install_jupyter_config.py):\n"
        "# every Jupyter server of this environment uses the book's settings.\n"
        f"_settings = {str(SETTINGS)!r}\n"
        "exec(compile(open(_settings, encoding='utf-8').read(), _settings, 'exec'),\n"
        "     {'get_config': get_config, '__file__': _settings})  # noqa: F821\n",
        encoding="utf-8")
    return target


# JupyterLab's setting: the viewer a Markdown file opens in (jupyterlab-myst renders it)
MARKDOWN_RENDERED = {"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}}}


def install_lab_defaults(prefix=sys.prefix):
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    overrides = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    for plugin, settings in MARKDOWN_RENDERED.items():
        overrides.setdefault(plugin, {}).update(settings)
    target.write_text(json.dumps(overrides, indent=2) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(f"Jupyter's settings for this environment: {install()}, {install_lab_defaults()}")
