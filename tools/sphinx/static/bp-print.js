// The instructors' print: every folded solution (sphinx-togglebutton) and folded cell
// (myst-nb's hide-cell/hide-input <details>, sphinx-design dropdowns) opened, then the
// browser's print. The download menu's "print with answers" calls bpPrintWithAnswers();
// a page opened with ?answers in its address opens them too (tools/book_pdf.py uses it
// for the instructors' PDF). A normal print keeps every answer folded (_config.yml:
// togglebutton_open_on_print is off).
"use strict";

function bpOpenAnswers() {
  document.querySelectorAll(".toggle-hidden").forEach((item) => {
    item.classList.remove("toggle-hidden");
    const button = document.querySelector(`.toggle-button[data-target="${item.id}"]`);
    if (button) {
      button.classList.remove("toggle-button-hidden");
      button.setAttribute("aria-expanded", "true");
    }
  });
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  document.documentElement.classList.add("bp-answers-open");
}

function bpPrintWithAnswers() {
  bpOpenAnswers();
  window.print();
}

if (new URLSearchParams(window.location.search).has("answers")) {
  // after sphinx-togglebutton has folded the solutions (it runs when the DOM is loaded)
  window.addEventListener("load", bpOpenAnswers);
}

/* Figures load as the reader nears them (loading="lazy", tools/sphinx/book_style.py).
   Before a print every one is wanted: Chromium loads lazy images for a print by itself,
   and this asks every browser to. */
window.addEventListener("beforeprint", function () {
  document.querySelectorAll('img[loading="lazy"]').forEach(function (img) { img.loading = "eager"; });
});
