"""A Sphinx extension for the printed book: the instructors' print (every folded answer
opened, tools/sphinx/static/bp-print.js) and the whole book as a PDF (written by
tools/book_pdf.py after the build), both in every page's download menu.

A page's own ".pdf" entry (sphinx-book-theme's, window.print()) prints the page with its
answers folded; the print stylesheet is tools/sphinx/static/bp-print.css."""

BOOK_PDF = "bp-book.pdf"


def add_to_download_menu(app, pagename, templatename, context, doctree):
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = group["buttons"]
        # after the theme's ".pdf" (this page, answers folded), when it is there
        at = next((i + 1 for i, b in enumerate(buttons) if b.get("label") == "download-pdf-button"),
                  len(buttons))
        buttons[at:at] = [
            {"type": "javascript", "javascript": "bpPrintWithAnswers()", "text": "print with answers",
             "icon": "fas fa-file-pdf", "label": "download-answers-button",
             "tooltip": "Print this page with every solution and check cell opened (for instructors)"},
            {"type": "link", "url": context["pathto"](BOOK_PDF, 1), "text": "whole book (.pdf)",
             "icon": "fas fa-file-pdf", "label": "download-book-pdf-button",
             "tooltip": "Every chapter in one PDF, solutions folded"},
        ]


def setup(app):
    app.add_js_file("bp-print.js", loading_method="defer")
    # after sphinx-book-theme fills the header buttons (priority 501)
    app.connect("html-page-context", add_to_download_menu, priority=503)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
