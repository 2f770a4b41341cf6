/* The book's own script, added to every page by tools/sphinx/book_style.py.

   Sidebar buttons. pydata-sphinx-theme 0.17 renders a hidden navbar copy of each
   sidebar toggle before the visible one in the article header, and both themes bind
   their click handlers to document.querySelector(".primary-toggle") -- the first, hidden
   one -- so the visible buttons do nothing (pydata-sphinx-theme issue #2451). Upgrading
   is not possible beside Jupyter Book 1 (sphinx-book-theme 1.4 needs Sphinx 8). Here
   every other toggle passes its click on to the bound one, whose handlers then open the
   sidebar (a modal dialog on narrow screens, collapse/expand on wide ones). */
(function () {
  function forwardClicks(selector) {
    var buttons = document.querySelectorAll(selector);
    var bound = buttons[0];
    for (var i = 1; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }
  function start() {
    forwardClicks(".primary-toggle");
    forwardClicks(".secondary-toggle");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Wide formulas and diagrams. A display equation wider than the column scrolls inside
   its own box, and so does a diagram tagged wide-figure on a phone (bp-book.css). A box
   that scrolls must be reachable from the keyboard, so it gets tabindex=0 and a name;
   boxes that fit stay out of the Tab order. Measured after MathJax has typeset the
   page, and again when the window changes size. */
(function () {
  var boxes = [["div.math", "equation"], ["div.cell.tag_wide-figure div.cell_output", "figure"]];
  function markScrollingBoxes() {
    boxes.forEach(function (kind) {
      var count = 0;
      document.querySelectorAll(kind[0]).forEach(function (box) {
        if (box.scrollWidth > box.clientWidth + 1) {
          // each region has a name of its own: its equation number, or its place on the page
          var number = box.querySelector(".eqno");
          count += 1;
          box.tabIndex = 0;
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", kind[1] + " " + (number ? number.textContent.trim().replace(/#$/, "")
                                                                  : count) + ", scrolls sideways");
        } else {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      });
    });
  }
  // An inline formula wider than its paragraph (a long sum on a phone) goes on a line of
  // its own and scrolls there (class bp-wide-inline, bp-book.css); one that fits stays
  // inline, where a scrolling box would shift it off the text's baseline.
  function markWideInlineFormulas() {
    var count = 0;
    document.querySelectorAll(".bd-article span.math").forEach(function (span) {
      var formula = span.querySelector("mjx-container");
      var block = span.parentElement && span.parentElement.closest("p, li, dd, td, th, div");
      if (!formula || !block) return;
      span.classList.remove("bp-wide-inline");
      var wide = formula.getBoundingClientRect().width > block.clientWidth + 1;
      span.classList.toggle("bp-wide-inline", wide);
      if (wide) {
        count += 1;
        span.tabIndex = 0;
        span.setAttribute("role", "region");
        span.setAttribute("aria-label", "formula " + count + ", scrolls sideways");
      } else if (span.getAttribute("role") === "region") {
        span.removeAttribute("tabindex");
        span.removeAttribute("role");
        span.removeAttribute("aria-label");
      }
    });
  }
  function markAll() {
    markWideInlineFormulas();
    markScrollingBoxes();
  }
  // Measured once typeset: then the page may skip drawing what is far from the screen
  // (content-visibility, bp-book.css), which keeps a held key on an explorable fast.
  // Each block keeps its measured height as its size while skipped, so nothing on the
  // page moves when skipping starts (a reader who came by a link to a section stays there).
  function settle() {
    markAll();
    var blocks = document.querySelectorAll(".bd-article section > :not(section, :has(pre, table, div.math, mjx-container[display=\"true\"]), pre, table, div.math)");
    var heights = Array.prototype.map.call(blocks, function (block) {
      var style = getComputedStyle(block);       // the size stands for the content box
      return block.getBoundingClientRect().height - parseFloat(style.paddingTop) -
        parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
    });
    blocks.forEach(function (block, i) {
      block.style.containIntrinsicSize = "auto " + Math.max(0, heights[i]).toFixed(1) + "px";
      block.classList.add("bp-skippable");
    });
    // The blocks that are always drawn (code, tables, display formulas, and the cells of
    // the explorables) each paint on their own (contain: paint): a redrawn explorable then
    // repaints its own block, not the whole chapter around it.
    document.querySelectorAll(".bd-article section > :not(section, .bp-skippable)").forEach(function (block) {
      block.classList.add("bp-contained");
    });
    document.documentElement.classList.add("bp-settled");
    // Margins no longer collapse across a skipped block, so a link's target may have moved
    // a little: if the reader has not scrolled since, bring it back into view.
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && window.scrollY === scrolledAtLoad) target.scrollIntoView();
  }
  var scrolledAtLoad = null;
  window.addEventListener("load", function () {
    scrolledAtLoad = window.scrollY;
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(settle);
    } else {
      settle();
    }
  });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markAll, 200);
  });
})();

/* MathJax's formula menu, for the readers who want it. The pages load MathJax without
   its menu (_config.yml): the menu weighs 426 KB and puts every formula in the Tab
   order. A button in the page's header (the square-root icon) turns the menu on: the
   choice is kept in this browser (localStorage) and the page reloads with the menu,
   every formula a Tab stop with its context menu (zoom, speech, "Include in Tab
   order", copy as TeX or MathML). The same button turns it off. This script runs
   before MathJax's startup.js (both are deferred, and this one comes first), so it can
   add the menu to what MathJax loads. */
(function () {
  var KEY = "bp-book-formula-menu";
  if (!window.MathJax || !MathJax.loader || !MathJax.loader.load) return;  // a page without math
  var on = false;
  try {
    on = window.localStorage.getItem(KEY) === "on";
  } catch (error) {
    return;  // storage blocked: keep the menu off, and no button that cannot work
  }
  if (on) {
    MathJax.loader.load.push("ui/menu");
  }
  function addButton() {
    var bar = document.querySelector(".article-header-buttons");
    if (!bar) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm bp-formula-menu";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.setAttribute("aria-label", "Formula menu (reloads the page)");
    button.title = on
      ? "Formula menu on: right-click a formula, or Tab to it and press Space. Click to turn it off."
      : "Turn on MathJax's formula menu (zoom, speech, copy as TeX); formulas become Tab stops.";
    button.innerHTML = '<i class="fa-solid fa-square-root-variable" aria-hidden="true"></i>';
    button.addEventListener("click", function () {
      window.localStorage.setItem(KEY, on ? "off" : "on");
      window.location.reload();
    });
    bar.insertBefore(button, bar.firstChild);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButton);
  } else {
    addButton();
  }
})();

/* Search results. Sphinx's search page shows a snippet of each page's text around the
   words searched for, taken from the page's HTML before MathJax has typeset it: raw TeX
   such as "\(\partial C / \partial W\)" and lines of code. Here the snippet is taken from
   the prose alone: code cells and their outputs are left out, and each formula is
   written with its symbols (∂C/∂W) instead of its TeX. */
(function () {
  var SYMBOLS = {
    partial: "∂", nabla: "∇", eta: "η", delta: "δ", Delta: "Δ", sigma: "σ", theta: "θ",
    mu: "μ", lambda: "λ", rho: "ρ", alpha: "α", beta: "β", gamma: "γ", epsilon: "ε",
    varepsilon: "ε", kappa: "κ", tau: "τ", phi: "φ", odot: "⊙", cdot: "·", times: "×",
    top: "ᵀ", le: "≤", leq: "≤", ge: "≥", geq: "≥", approx: "≈", sum: "Σ", infty: "∞",
    to: "→", rightarrow: "→", leftarrow: "←", in: "∈", ldots: "…", dots: "…", neq: "≠"
  };
  function texToText(tex) {
    return tex
      .replace(/^\\\(|\\\)$|^\\\[|\\\]$/g, "")                 // the \( \) or \[ \] around it
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$1/$2")
      .replace(/\\([A-Za-z]+) ?/g, function (all, name) {      // \partial -> ∂; \mathrm -> ""
        return SYMBOLS.hasOwnProperty(name) ? SYMBOLS[name] : "";
      })
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }
  function install() {
    // searchtools.js declares `const Search`: a global name, but not a property of window
    if (typeof Search === "undefined" || !Search.htmlToText || Search.bpProseOnly) return;  // not the search page
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      var page = new DOMParser().parseFromString(htmlString, "text/html");
      page.querySelectorAll("div.cell_input, div.cell_output, .bp-explorable, div.math")
        .forEach(function (el) { el.remove(); });
      page.querySelectorAll("span.math").forEach(function (el) {
        el.textContent = texToText(el.textContent);
      });
      return original(page.documentElement.outerHTML, anchor);
    };
    Search.bpProseOnly = true;
  }
  // Search's snippets are made after the index and the pages have loaded, well after this
  install();
  document.addEventListener("DOMContentLoaded", install);
})();
