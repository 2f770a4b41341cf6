"""A pytest plugin that ends `make test` with what was run: unit tests and notebooks.

nbval turns every notebook cell into a test item, so pytest's own count
("57 passed") mixes cells and unit tests; this says how many of each, and
how many notebooks, so a notebook that was silently not collected shows.
Works with pytest-xdist: reports reach the controlling process.
"""


class RunCounter:
    def __init__(self):
        self.notebooks, self.cells, self.unit_tests = set(), 0, 0
        self.failed_cells, self.failed_tests = 0, 0

    def pytest_runtest_logreport(self, report):
        if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
            return
        path = report.nodeid.split("::")[0]
        failed = report.outcome == "failed"
        if path.endswith(".ipynb"):
            self.notebooks.add(path)
            self.cells += 1
            self.failed_cells += failed
        else:
            self.unit_tests += 1
            self.failed_tests += failed

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line(
            f"ran {self.unit_tests} unit tests ({self.failed_tests} failed) and {self.cells} "
            f"notebook cells ({self.failed_cells} failed) from {len(self.notebooks)} notebooks: "
            + ", ".join(sorted(self.notebooks))
        )


def pytest_configure(config):
    config.pluginmanager.register(RunCounter(), "bp-run-counter")
