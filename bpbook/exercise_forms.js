// The book's exercises on the static site (bpbook/exercise_forms.py writes the data).
//
// A notebook's answer cell ends with check("NN.k", answer). In Jupyter, bp.exercises
// judges the answer. On the site there is no kernel: the cell's output (which says "not
// attempted yet") is replaced by
//  - for a value exercise, a form: a box per number, a Check button and the verdict, which
//    this script computes as bp.exercises.checking.ValueExercise.check does;
//  - for a function or formula exercise, a line saying where it can be checked.
(function () {
  "use strict";
  const data = window.bpExercises || {};

  function within(mine, right, ex) {
    if (!Number.isFinite(mine)) return false;
    const limit = ex.tolerance * (ex.relative ? Math.abs(right) : 1);
    return Math.abs(mine - right) <= limit + 1e-15;
  }
  function allWithin(mine, right, ex) {
    return mine.length === right.length && mine.every((m, i) => within(m, right[i], ex));
  }

  // Right anywhere between the reference and ex.alsoRight, as ValueExercise._between
  function between(mine, ex) {
    if (!ex.alsoRight) return false;
    return mine.every((m, i) => {
      let low = Math.min(ex.reference[i], ex.alsoRight[i]), high = Math.max(ex.reference[i], ex.alsoRight[i]);
      if (ex.relative) { low *= 1 - ex.tolerance; high *= 1 + ex.tolerance; }
      else { low -= ex.tolerance; high += ex.tolerance; }
      return low <= m && m <= high;
    });
  }

  // The same sentence as ValueExercise.check, for an answer that is neither right nor a
  // named mistake.
  function miss(id, ex, mine) {
    const right = ex.reference, names = ex.names, n = right.length;
    const wrong = [];
    for (let i = 0; i < n; i++) if (!within(mine[i], right[i], ex)) wrong.push(i);
    let text;
    if (wrong.length === 1 && n > 1) text = `${names[wrong[0]]} is not right (the others are)`;
    else if (wrong.length === n && n > 1) text = "none of the numbers is right";
    else text = `${wrong.map((i) => names[i]).join(" and ")} ${wrong.length === 1 ? "is" : "are"} not right`;
    if (wrong.every((i) => right[i] !== 0 && within(-mine[i], right[i], ex))) {
      text += ": the sign is wrong";
    } else if (wrong.every((i) => right[i] !== 0)) {
      const percent = 100 * Math.max(...wrong.map((i) => Math.abs(mine[i] - right[i]) / Math.abs(right[i])));
      text += percent < 1 ? ": off by less than 1 %" : percent < 1000 ? `: off by ${Math.floor(percent + 0.5)} %`
        : ": off by more than a factor 10";
    }
    return `Exercise ${id}, not yet: ${text} (${ex.toleranceText}). See ${ex.where}.`;
  }

  function verdict(id, ex, texts) {
    if (texts.every((t) => t.trim() === "")) {
      return {passed: false, text: `Exercise ${id}, not attempted yet: type your answer in the box` +
        `${ex.names.length > 1 ? "es" : ""} above, then press Check.`};
    }
    const mine = texts.map((t) => (t.trim() === "" ? NaN : Number(t.trim().replace(/−/g, "-").replace(/\s/g, ""))));
    const bad = texts.findIndex((t, i) => !Number.isFinite(mine[i]));
    if (bad >= 0) {
      return {passed: false, text: `Exercise ${id}, not yet: ${ex.names[bad]} is not a number ` +
        `(write it as 0.25, −3 or 1e-4).`};
    }
    if (allWithin(mine, ex.reference, ex) || between(mine, ex)) return {passed: true, text: ex.right};
    for (const mistake of ex.mistakes) {
      if (allWithin(mine, mistake.values, ex)) return {passed: false, text: mistake.said};
    }
    return {passed: false, text: miss(id, ex, mine)};
  }

  let uid = 0;
  function form(id, ex, output) {
    const box = document.createElement("form");
    box.className = "bp-ex-form";
    box.setAttribute("aria-label", `Your answer to exercise ${id}`);
    box.dataset.exercise = id;
    const inputs = ex.names.map((name) => {
      uid += 1;
      const row = document.createElement("div");
      row.className = "bp-ex-row";
      const label = document.createElement("label");
      label.htmlFor = `bp-ex-${uid}`;
      label.textContent = name;
      const input = document.createElement("input");
      input.id = `bp-ex-${uid}`;
      input.type = "text";
      input.inputMode = "decimal";
      input.autocomplete = "off";
      input.spellcheck = false;
      input.dataset.name = name;
      row.append(label, input);
      box.append(row);
      return input;
    });
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "bp-x-button";
    button.textContent = "Check";
    box.append(button);
    const said = document.createElement("p");
    said.className = "bp-ex-verdict";
    said.setAttribute("role", "status");
    said.textContent = `Exercise ${id}: your answer is judged here, in the page, as the notebook's check() ` +
      "judges it in Jupyter; the solution stays folded below.";
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      const result = verdict(id, ex, inputs.map((i) => i.value));
      said.textContent = result.text;
      said.dataset.passed = result.passed ? "1" : "0";
    });
    output.replaceChildren(box, said);
  }

  function elsewhere(id, ex, output) {
    const p = document.createElement("p");
    p.className = "bp-ex-verdict bp-ex-elsewhere";
    p.textContent = `Exercise ${id} asks for ${ex.answerForm}. Python checks it: run this cell with your ` +
      "answer in JupyterLab (the download button at the top of the page gives all the notebooks).";
    output.replaceChildren(p);
  }

  function build() {
    for (const cell of document.querySelectorAll("div.cell")) {
      const source = cell.querySelector(".cell_input pre");
      const match = source && /check\("((?:[0-9]{2}|A)\.[0-9]+)"/.exec(source.textContent);
      if (!match || !data[match[1]]) continue;
      const id = match[1], ex = data[id];
      let output = cell.querySelector(".cell_output");
      if (!output) {
        output = document.createElement("div");
        output.className = "cell_output docutils container";
        cell.append(output);
      }
      output.classList.add("bp-ex-output");
      if (ex.kind === "value") form(id, ex, output);
      else elsewhere(id, ex, output);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
