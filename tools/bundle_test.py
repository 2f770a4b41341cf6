"""Does the site's download work for a reader? (make bundle-test, after make book)

    python -m tools.bundle_test [path/to/bp-book-notebooks.zip]

A reader who clicks "all notebooks (.zip)" unzips it and types the commands in its
README. This test does the same, in a fresh temporary folder:

1. unzips _build/html/bp-book-notebooks.zip there;
2. reads the README's ```bash block and runs each command exactly as written, in the
   unzipped folder, except the one that opens Jupyter (it would wait for a browser):
   of that one it checks that its program exists and runs with --version;
3. checks that the new environment's Python imports bp from the unzipped folder;
4. executes every notebook in book/ with that environment's Python and its Jupyter
   kernel (nbclient, as `jupyter execute` does; the kernel starts in the notebook's
   folder, as in JupyterLab). Cells tagged raises-exception may raise, as in the
   book's own runs (tools/run_notebooks.py); any other error fails the test.

Nothing of the project may help: the commands run with the project's Python
variables (PYTHONPATH, VIRTUAL_ENV, ...) removed and its folders taken off PATH, and
each notebook's last step asks the kernel which Python it is and where bp came from.
pip installs from the package index, as the reader's does. When the test fails, the
temporary folder is kept for a look; when it passes, it is removed.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ZIP = PROJECT / "_build" / "html" / "bp-book-notebooks.zip"
FOLDER = "bp-book"   # the folder the zip unpacks into (tools/sphinx/download_bundle.py)
# Variables that would let the project's own environment or source leak into the test.
LEAKY_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV",
                   "CONDA_PREFIX", "BP_BOOK_SITE", "MPLBACKEND")
# Appended to every notebook (in memory only): which Python ran it, and which bp.
PROBE = "import sys, bp\nprint(sys.executable)\nprint(bp.__file__)"


def readme_commands(readme):
    """The commands of the README's first ```bash block, one per line (a line ending
    in a backslash continues on the next); blank lines and comments are skipped."""
    block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    commands, pending = [], ""
    for line in block.splitlines():
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        if command and not command.startswith("#"):
            commands.append(command)
    return commands


def opens_jupyter(command):
    """True for the command that starts JupyterLab (or Notebook) and waits for a browser."""
    words = shlex.split(command)
    return Path(words[0]).name == "jupyter" and len(words) > 1 and words[1] in ("lab", "notebook")


def clean_environment():
    """This process's environment without what points to the project: its Python
    variables, Jupyter's, and PATH entries inside the project (a .venv/bin)."""
    env = {name: value for name, value in os.environ.items()
           if name not in LEAKY_VARIABLES and not name.startswith("JUPYTER_")}
    env["PATH"] = os.pathsep.join(entry for entry in env.get("PATH", "").split(os.pathsep)
                                  if entry and not Path(entry).resolve().is_relative_to(PROJECT))
    return env


def shell(command, cwd, env):
    """Run one README command with bash, as a reader's terminal would; return its seconds."""
    print(f"bundle test: $ {command}", flush=True)
    start = time.perf_counter()
    result = subprocess.run(["bash", "-c", command], cwd=cwd, env=env)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bundle test: FAILED: the README's command exited with {result.returncode} "
                 f"after {seconds:.0f} s: {command} (in {cwd}, kept)")
    return seconds


def inside(path, folder):
    """True if the file path lies in folder. Only its folder is resolved: a venv's
    bin/python is a link to the Python it was made from, and stays inside."""
    return Path(os.path.realpath(Path(path).parent)).is_relative_to(os.path.realpath(folder))


def check_inside(path, folder, what):
    if not inside(path, folder):
        sys.exit(f"bundle test: FAILED: {what} is {path}, outside the unzipped folder {folder}")


def execute_notebooks(notebooks):
    """Run inside the download's environment (the --execute mode below): execute each
    notebook; print its time; return the failures. Then check the probe's answer."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    failures = []
    for notebook in notebooks:
        notebook = Path(notebook).resolve()
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        start = time.perf_counter()
        try:
            NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                           resources={"metadata": {"path": str(notebook.parent)}}).execute()
        except CellExecutionError as error:
            message = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()   # without the colour codes
            failures.append(f"{notebook.name}: {message.splitlines()[-1]}")
            print(f"bundle test: {notebook.name} FAILED after {time.perf_counter() - start:.1f} s:\n"
                  f"{message}", flush=True)
            continue
        # The kernel may send the two printed lines as one output or as two.
        printed = "".join(output.get("text", "") for output in nb.cells[-1].outputs
                          if output.get("name") == "stdout")
        python, bp_file = printed.split()
        here = Path.cwd()
        wrong = [what for what, path in (("its kernel's Python", python), ("bp", bp_file))
                 if not inside(path, here)]
        if wrong:
            failures.append(f"{notebook.name}: {' and '.join(wrong)} not from {here}: {python}, {bp_file}")
        print(f"bundle test: {notebook.name} executed in {time.perf_counter() - start:.1f} s"
              + (f" but {failures[-1]}" if wrong else ""), flush=True)
    return failures


def main(bundle):
    if not bundle.is_file():
        sys.exit(f"bundle test: {bundle} is missing; run `make book` first.")
    temporary = Path(tempfile.mkdtemp(prefix="bp-bundle-test-"))
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(temporary)
    folder = temporary / FOLDER
    print(f"bundle test: {bundle.name} ({bundle.stat().st_size / 1e6:.1f} MB, "
          f"{len(zipfile.ZipFile(bundle).namelist())} files) unzipped into {folder}")
    env = clean_environment()

    commands = readme_commands((folder / "README.md").read_text())
    jupyter = [command for command in commands if opens_jupyter(command)]
    if len(jupyter) != 1 or len(commands) < 2:
        sys.exit(f"bundle test: FAILED: the README's bash block should install, then open "
                 f"Jupyter (one command), but it reads: {commands}")
    install_seconds = sum(shell(command, folder, env) for command in commands if command not in jupyter)
    print(f"bundle test: installed in {install_seconds:.0f} s")

    # Not run: it would open JupyterLab and wait. Its program must be there and work.
    program, interface = shlex.split(jupyter[0])[:2]
    executable = (folder / program) if "/" in program else Path(shutil.which(program, path=env["PATH"]) or program)
    if not (executable.is_file() and os.access(executable, os.X_OK)):
        sys.exit(f"bundle test: FAILED: {executable}, which the README runs as `{jupyter[0]}`, does not exist")
    version = subprocess.run([str(executable), interface, "--version"], cwd=folder, env=env,
                             capture_output=True, text=True)
    if version.returncode != 0:
        sys.exit(f"bundle test: FAILED: `{program} {interface} --version` failed:\n{version.stderr}")
    print(f"bundle test: not run: `{jupyter[0]}`; {program} exists, {interface} {version.stdout.strip()}")

    # The environment's Python is the one beside its jupyter; from the chapters' folder
    # (where a kernel starts) it must import bp from the unzipped folder.
    python = executable.parent / "python"
    check_inside(executable, folder, "the README's jupyter")
    where = subprocess.run([str(python), "-c", "import bpbook.explorables as e; print(e.__file__)"],
                           cwd=folder / "book", env=env, capture_output=True, text=True)
    if where.returncode != 0:
        sys.exit(f"bundle test: FAILED: `import bpbook.explorables` in {python}:\n{where.stderr}")
    check_inside(where.stdout.strip(), folder, "bpbook.explorables")
    print(f"bundle test: {python.relative_to(temporary)} imports bp from {Path(where.stdout.strip()).parent.parent}")

    # The notebooks run in the download's environment: this script, copied next to the
    # unzipped folder (nothing of the project on its path), in its --execute mode, one
    # process per notebook and as many at a time as there are cores (at most 2: each
    # kernel's numpy may use a second thread).
    runner = temporary / Path(__file__).name
    shutil.copy(__file__, runner)
    notebooks = sorted(str(path.relative_to(folder)) for path in (folder / "book").glob("*.ipynb"))

    def execute(notebook):
        return subprocess.run([str(python), str(runner), "--execute", notebook], cwd=folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    start = time.perf_counter()
    failed = []
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for notebook, result in zip(notebooks, pool.map(execute, notebooks)):
            # The kernel's warning about unencrypted TCP on 127.0.0.1 is noise here.
            print("\n".join(line for line in result.stdout.splitlines()
                            if "Kernel is running over TCP without encryption" not in line), flush=True)
            if result.returncode != 0:
                failed.append(notebook)
    notebooks_seconds = time.perf_counter() - start
    if failed:
        sys.exit(f"bundle test: FAILED: {len(failed)} of {len(notebooks)} notebooks: {', '.join(failed)} "
                 f"(the unzipped folder is kept: {folder})")
    shutil.rmtree(temporary)
    print(f"bundle test: passed: the README's install ({install_seconds:.0f} s) and "
          f"{len(notebooks)} notebooks ({notebooks_seconds:.0f} s) in a fresh folder")

if __name__ == "__main__":
    if sys.argv[1:2] == ["--execute"]:
        failed = execute_notebooks(sys.argv[2:])
        if failed:
            print(f"bundle test: {len(failed)} notebooks failed:", *failed, sep="\n  ")
        sys.exit(1 if failed else 0)
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ZIP)
