"""JupyterLab's settings for `make lab` (and `make lab-test`): what a saved chapter keeps.

A chapter saved in Lab should differ from the committed one only where the reader
changed something. Before each save, this hook removes what would otherwise change
by itself or break when the notebook is opened again:

- widget views whose widget state is not saved with the notebook (Lab does not save it
  by default): reopened without a kernel they show "Error displaying widget: model not
  found"; the output's HTML form (see bpbook/widgets.py) is shown instead;
- the Python version in the notebook's metadata, which differs between machines;
- the project folder's absolute path in tracebacks (the chapters that raise errors
  on purpose), as tools/run_notebooks.py saves them;
- the folding of an output the chapter folds (tag hide-output, folded on the site too):
  Run All shows it unfolded, and it is saved folded, as committed.

And a chapter opens unmodified: the kernel reports its Python version in the notebook's
language_info, and JupyterLab and Notebook 7 mark the notebook modified (a dot on its tab,
"save your changes?" on closing) whenever that differs from what the file holds. The
chapters hold no version (it would differ between machines), so the contents manager
below gives a chapter the version of this Python, the kernel's, as it opens it, and the
hook removes it again as it saves.
"""
import sys
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
PROJECT = str(Path(__file__).resolve().parent.parent) + "/"


def keep_only_what_the_reader_changed(model, **kwargs):
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    nb = model["content"]
    metadata = nb.setdefault("metadata", {})
    metadata.get("language_info", {}).pop("version", None)
    saved_widgets = metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.get("cells", []):
        if "hide-output" in cell.get("metadata", {}).get("tags", []):
            cell["metadata"].setdefault("jupyter", {})["outputs_hidden"] = True
            cell["metadata"]["collapsed"] = True   # Lab writes the old flag beside the new one
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(WIDGET_VIEW)
            if view is not None and view.get("model_id") not in saved_widgets and len(data) > 1:
                del data[WIDGET_VIEW]
            if output.get("output_type") == "error":
                output["traceback"] = [line.replace(PROJECT, "") for line in output.get("traceback", [])]


# as ipykernel reports it (IPythonKernel.language_info): the kernel of `make lab` is this Python
PYTHON_VERSION = sys.version.split()[0]


class ChapterContentsManager(AsyncLargeFileManager):
    """Jupyter's default contents manager, but a notebook opens with this Python's version
    in its language_info (see above); files on disk are read and written as before."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            info = model["content"].get("metadata", {}).get("language_info")
            if isinstance(info, dict) and info.get("name") == "python":
                info.setdefault("version", PYTHON_VERSION)
        return model


c = get_config()  # noqa: F821  (provided by Jupyter when it reads this file)
c.ContentsManager.pre_save_hook = keep_only_what_the_reader_changed
c.ServerApp.contents_manager_class = ChapterContentsManager
