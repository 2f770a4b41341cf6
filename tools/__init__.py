"""The project's own tools: the notebook runner, the portability check, the site's
Sphinx extensions (tools/sphinx/), the browser, print, lab and bundle tests, the book's
PDF and the benchmarks (tools/benchmarks/). Run them from the project folder as modules,
``.venv/bin/python -m tools.browser_test``; the Makefile does."""
