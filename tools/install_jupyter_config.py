"""Make every Jupyter server started from the project's environment use the project's
settings (tools/jupyter_lab_config.py: saving a chapter keeps only what the reader
changed), not only `make lab`: a plain `.venv/bin/jupyter lab` or `.venv/bin/jupyter
notebook` (Notebook 7), or the environment activated and `jupyter lab`.

    .venv/bin/python -m tools.install_jupyter_config     (`make setup` runs it)

Jupyter reads the configuration files in `<environment>/etc/jupyter/` (see `jupyter
--paths`); this writes `jupyter_server_config.py` there, which reads the project's file
(so the settings have one home, in the project).
"""
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


if __name__ == "__main__":
    print(f"Jupyter's settings for this environment: {install()}")
