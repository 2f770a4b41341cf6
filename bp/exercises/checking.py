"""How an answer is judged: the three kinds of exercise and the mistakes they recognise.

An exercise knows its reference solution and a few *named mistakes*: wrong variants of the
reference that learners really make (a sign error, a missing 1/N, a transposed result...).
A check compares the learner's answer with the reference; when they differ, it compares
the answer with each named mistake, and the message says which one it is, in the book's
words, and where the book derives the right thing. Otherwise it says which output is wrong
and by how much. A message never contains the reference's numbers.

- ``FunctionExercise``: the answer is a function. The checker calls it on inputs it
  chooses (several shapes, random values, edge cases), with fresh copies of the inputs,
  and compares every output with the reference's.
- ``ValueExercise``: the answer is a number or a few numbers, compared within a stated
  tolerance.
- ``FormulaExercise``: the answer is a sympy expression (or a string sympy can read),
  compared symbolically with the reference.

An answer that is still the placeholder (``...``, or a function that raises
``NotImplementedError``) is "not attempted yet": not a failure, so a notebook whose answer
cells are untouched runs from top to bottom.
"""
import re

import numpy as np

NOT_ATTEMPTED = ("not attempted yet: put your answer in place of the placeholder (the ... or "
                 "the line that raises NotImplementedError), then run the cell again.")


class Result:
    """The verdict on one answer: ``passed`` (bool), ``attempted`` (bool), ``message`` (str).

    Shown in Jupyter as one short line; ``bool(result)`` is ``result.passed``.
    """

    def __init__(self, exercise_id, passed, message, attempted=True):
        self.exercise_id = exercise_id
        self.passed = bool(passed)
        self.attempted = bool(attempted)
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        mark = "right" if self.passed else ("not attempted yet" if not self.attempted else "not yet")
        text = self.message
        if not self.attempted and text.startswith("not attempted yet: "):
            text = text[len("not attempted yet: "):]
        return f"Exercise {self.exercise_id}, {mark}: {text}"

    __str__ = __repr__


class Mistake:
    """A wrong variant of the reference that learners make, and what to tell them.

    ``name`` is short ("a sign error"); ``message`` says what is wrong and where the book
    derives the right thing. For a function exercise ``variant`` is a function with the
    reference's signature that makes the mistake; for a value exercise it is the wrong
    value; for a formula exercise, a function of the exercise's symbols (a dict of sympy
    symbols by name) that returns the wrong expression.
    """

    def __init__(self, name, message, variant):
        self.name = name
        self.message = message
        self.variant = variant


def locate_equations(text, chapter):
    """Each equation label in ``text``, "(eq-clip)", followed by the section it sits in:
    "(eq-clip, in the section "Exploding gradients: clipping")". The site and JupyterLab
    number equations differently; a section title reads the same in both. A label of
    another chapter names that chapter too; a label whose section the text already names is
    left as it is."""
    from .sections import SECTIONS

    def place(match):
        label = match.group(1)
        if label in SECTIONS.get(chapter, {}):
            title = SECTIONS[chapter][label]
            if f'"{title}"' in text:          # the text names the section already
                return match.group(0)
            return f'({label}, in the section "{title}")'
        elsewhere = [c for c, labels in SECTIONS.items() if label in labels]
        if len(elsewhere) == 1:
            return (f'({label}, in chapter {int(elsewhere[0])}\'s section '
                    f'"{SECTIONS[elsewhere[0]][label]}")')
        return match.group(0)
    return re.sub(r"\((eq-[\w-]+)\)", place, text)


class Exercise:
    """What every kind has: ``id`` ("05.5"), ``kind``, ``title``, ``answer_form`` (what to
    write in the answer cell), ``where`` (the section or equation that derives it) and
    ``reference`` (the reference solution)."""

    kind = None

    def __init__(self, exercise_id, title, answer_form, where, mistakes=()):
        self.id = exercise_id
        self.title = title
        self.answer_form = answer_form
        self.where = locate_equations(where, exercise_id.split(".")[0])
        self.mistakes = list(mistakes)

    def __repr__(self):
        return f"<{self.kind} exercise {self.id}: {self.title}>"

    def result(self, passed, message, attempted=True):
        return Result(self.id, passed, locate_equations(message, self.id.split(".")[0]), attempted)

    def not_attempted(self):
        return self.result(False, f"{NOT_ATTEMPTED} (Expected: {self.answer_form}.)", attempted=False)


# ---------------------------------------------------------------- arrays and numbers


def as_outputs(value, names):
    """The outputs of an answer as a list of float arrays, in the order of ``names``.

    A dict is read by the names; a tuple or list with as many items as names is read in
    order; a single output may be given bare. Returns (arrays, problem): problem is None
    or a sentence saying what was expected."""
    if isinstance(value, dict):
        missing = [n for n in names if n not in value]
        if missing:
            return None, f"the dict has no {', '.join(repr(m) for m in missing)}; expected the keys {names}"
        items = [value[n] for n in names]
    elif len(names) == 1:
        items = [value]
    elif isinstance(value, (tuple, list)) and len(value) == len(names):
        items = list(value)
    else:
        return None, f"expected {len(names)} outputs ({', '.join(names)}), as a tuple or a dict"
    arrays = []
    for name, item in zip(names, items):
        try:
            arrays.append(np.array(item, dtype=float))
        except (TypeError, ValueError):
            return None, f"{name} is not a number or an array of numbers (it is a {type(item).__name__})"
    return arrays, None


def close(a, b, tolerance):
    """Whether two arrays of the same shape agree: max |a - b| <= tolerance * max(1, max |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return bool(np.array_equal(a, b, equal_nan=True))
    if a.size == 0:
        return True
    return float(np.max(np.abs(a - b))) <= tolerance * max(1.0, float(np.max(np.abs(b))))


def relative_difference(a, b):
    """max |a - b| / max |b| (or the absolute difference if b is 0): the size of a miss."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    diff = float(np.max(np.abs(a - b))) if a.size else 0.0
    return diff / scale if scale > 0 else diff


def constant_factor(a, b, tolerance):
    """c if a = c b for one constant c (not 1, 0 or -1) to the tolerance, else None."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not np.any(b) or not np.all(np.isfinite(a)):
        return None
    k = int(np.argmax(np.abs(b)))
    c = a.flat[k] / b.flat[k]
    if not np.isfinite(c) or abs(c) < 1e-12 or abs(abs(c) - 1) < 1e-9:
        return None
    return c if close(a, c * b, tolerance) else None


def describe_factor(c, batch=None):
    """A constant factor in words."""
    if batch and abs(c - batch) < 1e-6 * batch:
        return f"{batch} times too large, the batch size N: the 1/N of the mean is missing"
    if batch and abs(c * batch - 1) < 1e-6:
        return f"{batch} times too small, the batch size N: divided by N once too often"
    if abs(c - round(c)) < 1e-9 and abs(c) >= 2:
        return f"{int(round(c))} times the right value (a stray factor {int(round(c))})"
    if abs(1 / c - round(1 / c)) < 1e-9 and abs(1 / c) >= 2:
        return f"1/{int(round(1 / c))} of the right value (a factor {int(round(1 / c))} missing)"
    return "the right array times a constant: a constant factor is off"


def generic_miss(name, mine, right, tolerance, batch=None, what_shape=""):
    """What is wrong with one output when no named mistake explains it, in words that do
    not give the right numbers away."""
    if mine.shape != right.shape:
        if mine.T.shape == right.shape and mine.ndim == 2:
            return f"{name} has shape {mine.shape}; expected {right.shape}{what_shape}: it is transposed"
        return f"{name} has shape {mine.shape}; expected {right.shape}{what_shape}"
    if not np.all(np.isfinite(mine)):
        return f"{name} contains NaN or infinity"
    if right.ndim == 2 and right.shape[0] == right.shape[1] and right.shape[0] > 1 \
            and close(mine, right.T, tolerance):
        return f"{name} is the transpose of the right matrix (a square one, so the shape did not show it)"
    if close(mine, -right, tolerance) and np.any(right):
        return f"{name} has the wrong sign everywhere: a sign error"
    c = constant_factor(mine, right, tolerance)
    # one number is always some multiple of the right one: name a factor only if it is a
    # whole number, a whole fraction or the batch size
    whole = c is not None and any(abs(x - round(x)) < 1e-9 and abs(x) >= 2 for x in (c, 1 / c))
    if c is not None and (right.size > 1 or whole or (batch and describe_factor(c, batch).startswith(str(batch)))):
        return f"{name} is {describe_factor(c, batch)}"
    return f"{name} is wrong: its largest relative difference from the right value is {relative_difference(mine, right):.2g}"


def _copy_args(args):
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


# ---------------------------------------------------------------- function exercises


class FunctionExercise(Exercise):
    """The answer is a function, called on the cases ``cases(rng)`` gives: a list of
    (label, args) with args a tuple. ``outputs`` names the function's outputs (a tuple
    or a dict with those keys; one output may be returned bare). ``batch_of(args)`` (if
    given) is the batch size N of a case, so that a factor N can be named."""

    kind = "function"

    def __init__(self, exercise_id, title, answer_form, where, reference, cases, outputs,
                 mistakes=(), tolerance=1e-7, batch_of=None, shapes=None):
        super().__init__(exercise_id, title, answer_form, where, mistakes)
        self.reference = reference
        self.cases = cases
        self.outputs = list(outputs)
        self.tolerance = tolerance
        self.batch_of = batch_of
        self.shapes = shapes          # shapes(args) -> {output name: "the shape of W1"} (optional)

    def run(self, function, args):
        """Call ``function`` on a copy of args; (arrays, problem, not_attempted)."""
        try:
            value = function(*_copy_args(args))
        except NotImplementedError:
            return None, None, True
        except Exception as error:       # the learner's code may raise anything
            return None, f"your function raised {type(error).__name__}: {error}", False
        if value is None:
            return None, "your function returned None: did it forget `return`?", False
        arrays, problem = as_outputs(value, self.outputs)
        return arrays, problem, False

    def check(self, answer):
        if answer is ... or answer is None:
            return self.not_attempted()
        if not callable(answer):
            return self.result(False, f"expected a function: {self.answer_form}")
        rng = np.random.default_rng(20261207)
        for label, args in self.cases(rng):
            mine, problem, untouched = self.run(answer, args)
            if untouched:
                return self.not_attempted()
            where = f" (on {label})"
            if problem:
                return self.result(False, problem + where)
            right, _, _ = self.run(self.reference, args)
            wrong = [i for i, (m, r) in enumerate(zip(mine, right)) if not close(m, r, self.tolerance)]
            if not wrong:
                continue
            for mistake in self.mistakes:
                variant, _, _ = self.run(mistake.variant, args)
                if variant is None:          # this mistake cannot be made on this case
                    continue
                if all(close(m, v, self.tolerance) for m, v in zip(mine, variant)):
                    return self.result(False, f"{mistake.message} See {self.where}.")
            batch = self.batch_of(args) if self.batch_of else None
            shapes = self.shapes(args) if self.shapes else {}
            misses = [generic_miss("@", mine[i], right[i], self.tolerance, batch,
                                   f", {shapes[self.outputs[i]]}" if self.outputs[i] in shapes else "")
                      for i in wrong]
            if len(wrong) > 1 and len(set(misses)) == 1 and "shape" not in misses[0]:
                # the same miss in every wrong output: say it once
                names = [self.outputs[i] for i in wrong]
                text = misses[0].replace("@ is", f"{', '.join(names[:-1])} and {names[-1]} are each", 1) \
                                .replace("@ has", f"{', '.join(names[:-1])} and {names[-1]} each have", 1)
            else:
                text = "; ".join(m.replace("@", self.outputs[i], 1) for m, i in zip(misses, wrong))
            right_ones = [n for i, n in enumerate(self.outputs) if i not in wrong]
            if right_ones and len(self.outputs) > 1:
                text += f" ({', '.join(right_ones)} {'is' if len(right_ones) == 1 else 'are'} right)"
            return self.result(False, f"{text}{where}. See {self.where}.")
        n = len(self.cases(np.random.default_rng(0)))
        return self.result(True, f"your function agrees with the reference on all {n} test cases.")


# ---------------------------------------------------------------- value exercises


class ValueExercise(Exercise):
    """The answer is a number or a few numbers (``names`` says which, in order), right if
    each is within ``tolerance`` of the reference: absolute, or relative if
    ``relative=True``. With ``also_right`` (another set of numbers), an answer anywhere
    between the two (and the tolerance beyond) is right too: two ways of reading the
    answer off a figure, say."""

    kind = "value"

    def __init__(self, exercise_id, title, answer_form, where, reference, names, tolerance,
                 relative=False, mistakes=(), also_right=None, unit=""):
        super().__init__(exercise_id, title, answer_form, where, mistakes)
        self.reference = reference
        self.names = list(names)
        self.tolerance = tolerance
        self.relative = relative
        self.also_right = also_right
        self.unit = unit              # of the tolerance, as the message says it (" degree")

    def _between(self, mine):
        if self.also_right is None:
            return False
        right = np.array(self.reference, dtype=float).reshape(-1)
        other = np.array(self.also_right, dtype=float).reshape(-1)
        low, high = np.minimum(right, other), np.maximum(right, other)
        if self.relative:
            low, high = low * (1 - self.tolerance), high * (1 + self.tolerance)
        else:
            low, high = low - self.tolerance, high + self.tolerance
        return bool(np.all((low <= mine) & (mine <= high)))

    def _within(self, mine, right):
        mine, right = np.asarray(mine, dtype=float), np.asarray(right, dtype=float)
        if mine.shape != right.shape or not np.all(np.isfinite(mine)):
            return False
        limit = self.tolerance * (np.abs(right) if self.relative else 1.0)
        return bool(np.all(np.abs(mine - right) <= limit + 1e-15))

    def check(self, answer):
        if answer is ... or answer is None:
            return self.not_attempted()
        try:
            mine = np.array(answer, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return self.result(False, f"expected {self.answer_form}; got a {type(answer).__name__}")
        right = np.array(self.reference, dtype=float).reshape(-1)
        if mine.size != right.size:
            return self.result(False, f"expected {len(self.names)} number{'s' if len(self.names) > 1 else ''} "
                                      f"({', '.join(self.names)}); got {mine.size}")
        if self._within(mine, right) or self._between(mine):
            return self.result(True, f"each number is right ({self.tolerance_text()}).")
        for mistake in self.mistakes:
            if self._within(mine, np.array(mistake.variant, dtype=float).reshape(-1)):
                return self.result(False, f"{mistake.message} See {self.where}.")
        wrong = [i for i in range(right.size) if not self._within(mine[i], right[i])]
        if len(wrong) == 1 and right.size > 1:
            i = wrong[0]
            text = f"{self.names[i]} is not right (the others are)"
        elif len(wrong) == right.size and right.size > 1:
            text = "none of the numbers is right"
        else:
            text = f"{' and '.join(self.names[i] for i in wrong)} {'is' if len(wrong) == 1 else 'are'} not right"
        if all(right[i] != 0 and self._within(-mine[i], right[i]) for i in wrong):
            text += ": the sign is wrong"
        elif all(right[i] != 0 for i in wrong):
            percent = 100 * max(abs(mine[i] - right[i]) / abs(right[i]) for i in wrong)
            # rounded half up, as the site's form rounds it (bpbook/exercise_forms.js)
            text += (": off by less than 1 %" if percent < 1 else f": off by {int(np.floor(percent + 0.5))} %"
                     if percent < 1000 else ": off by more than a factor 10")
        return self.result(False, f"{text} ({self.tolerance_text()}). See {self.where}.")

    def tolerance_text(self):
        if self.tolerance == 0:
            return "exactly"
        return f"to within {self.tolerance:g}{self.unit}" + (" relative" if self.relative else "")


# ---------------------------------------------------------------- formula exercises


class FormulaExercise(Exercise):
    """The answer is a sympy expression in the symbols named by ``symbols`` (a string such
    as "w x b y"; every symbol is real), or a string sympy reads (``"2*(a - y)*a*(1 - a)*x"``).
    ``build(s)`` returns the reference from a dict of the symbols by name; a mistake's
    variant is a function of the same dict."""

    kind = "formula"

    def __init__(self, exercise_id, title, answer_form, where, build, symbols, mistakes=(),
                 functions=None):
        super().__init__(exercise_id, title, answer_form, where, mistakes)
        self.build = build
        self.symbol_names = symbols.split()
        # a function returning the names a string answer may use besides the symbols, e.g.
        # {"sigma": the sigmoid}; a function, so that sympy is imported only by a check
        self.functions = functions or dict

    def symbols(self):
        import sympy as sp
        return {name: sp.Symbol(name, real=True) for name in self.symbol_names}

    @property
    def reference(self):
        return self.build(self.symbols())

    def _read(self, answer, s):
        """The answer as a sympy expression in the exercise's own symbols, or a problem."""
        import sympy as sp
        if isinstance(answer, str):
            try:
                answer = sp.sympify(answer, locals={**s, **self.functions()})
            except (sp.SympifyError, SyntaxError, TypeError) as error:
                return None, f"sympy cannot read {answer!r}: {error}"
        if isinstance(answer, (int, float)):
            answer = sp.sympify(answer)
        if not isinstance(answer, sp.Basic):
            return None, f"expected {self.answer_form}: a sympy expression or a string"
        # the learner's symbols may lack real=True: match them by name
        from sympy.core.function import AppliedUndef
        undefined = sorted({str(f.func) for f in answer.atoms(AppliedUndef)})
        if undefined:
            return None, (f"sympy does not know what {', '.join(undefined)} is: write it out "
                          f"(sigma(z) as 1/(1 + exp(-z))), or give the formula as a string"
                          + (f", where {', '.join(sorted(self.functions()))} may be used"
                             if self.functions() else ""))
        by_name = {sym: s[sym.name] for sym in answer.free_symbols if sym.name in s}
        answer = answer.xreplace(by_name)
        strangers = sorted(sym.name for sym in answer.free_symbols if sym.name not in s)
        if strangers:
            return None, (f"your formula uses {', '.join(strangers)}, which {'is' if len(strangers) == 1 else 'are'} "
                          f"not among the exercise's symbols ({', '.join(self.symbol_names)})")
        return answer, None

    def _same(self, a, b, s):
        """Equal as formulas: the difference simplifies to 0, or, where simplify gives up,
        vanishes at 12 random points."""
        import sympy as sp
        difference = sp.simplify(a - b)
        if difference == 0:
            return True
        rng = np.random.default_rng(7)
        names = list(s)
        for _ in range(12):
            point = {s[n]: sp.Float(rng.uniform(0.3, 0.9) * rng.choice([-1, 1])) for n in names}
            try:
                va, vb = complex(a.evalf(subs=point)), complex(b.evalf(subs=point))
            except (TypeError, ValueError):
                return False
            if not abs(va - vb) <= 1e-9 * max(1.0, abs(vb)):
                return False
        return True

    def check(self, answer):
        if answer is ... or answer is None:
            return self.not_attempted()
        s = self.symbols()
        mine, problem = self._read(answer, s)
        if problem:
            return self.result(False, problem)
        right = self.build(s)
        if self._same(mine, right, s):
            return self.result(True, "your formula equals the reference (sympy simplifies the difference to 0).")
        for mistake in self.mistakes:
            if self._same(mine, mistake.variant(s), s):
                return self.result(False, f"{mistake.message} See {self.where}.")
        if self._same(mine, -right, s):
            return self.result(False, f"the sign is wrong. See {self.where}.")
        import sympy as sp
        if not mine.free_symbols and right.free_symbols:
            return self.result(False, f"that is a number; the exercise asks for a formula in "
                                      f"{', '.join(self.symbol_names)}. See {self.where}.")
        ratio = sp.factor(sp.simplify(mine / right)) if right != 0 else None
        if ratio is not None and ratio.is_number and ratio != 1:
            return self.result(False, f"your formula is the right one times a constant "
                                      f"(a factor is off). See {self.where}.")
        # a factor only if the ratio is one: a product of powers of the symbols
        if ratio is not None and ratio.free_symbols and not ratio.has(sp.Add) and not ratio.has(sp.Function):
            factor = ", ".join(sorted(sym.name for sym in ratio.free_symbols))
            return self.result(False, f"your formula differs from the right one by a factor that depends on "
                                      f"{factor}: a factor is missing or extra. See {self.where}.")
        return self.result(False, f"your formula is not the right one. See {self.where}.")
