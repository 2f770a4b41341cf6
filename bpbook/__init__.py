"""bpbook: the book's figures, explorables and widgets, built on bp.

``bp`` is the library a learner imports to build and train networks; this package
holds what only the book needs: the figure style and diagrams (``bpbook.plotting``,
matplotlib), the kernel-free explorables of chapters 2-10 (``bpbook.explorables``,
numpy and JavaScript) and the learning-rate explorer of chapter "Updating the
weights" (``bpbook.widgets``, anywidget). It imports bp; bp never imports it
(``tests/test_extras.py`` checks both directions).
"""
