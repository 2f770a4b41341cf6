"""bp.exercises: every reference passes its own check, an untouched answer is "not
attempted yet", and planted mistakes fail with the message that names them, without
giving the reference's numbers away.

The planted mistakes are of two sorts. Each exercise's own named mistakes (its
``mistakes``: a missing sigma'(z), a bias gradient not summed, an unrotated kernel...),
which must each be recognised by name; and, for every function exercise, generic ones
made from the reference itself (a sign flipped, an output transposed, a constant factor),
which must each fail and say what kind of miss it is.
"""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from bp.exercises import check, get, ids
from bp.exercises.checking import FormulaExercise, FunctionExercise, ValueExercise

ROOT = Path(__file__).resolve().parent.parent
ALL = ids()
FUNCTIONS = [i for i in ALL if get(i).kind == "function"]
NAMED = [(i, k) for i in ALL for k in range(len(get(i).mistakes))]


def test_there_are_checkable_exercises_in_every_chapter():
    chapters = {i.split(".")[0] for i in ALL}
    # the chapters 1-11 (an id's prefix is its file's number and the site's chapter number)
    expected = {f"{n:02d}" for n in range(1, 12)}
    counts = {c: sum(i.split(".")[0] == c for i in ALL) for c in expected}
    assert chapters >= expected, f"chapters without a checkable exercise: {sorted(expected - chapters)}"
    thin = {c: n for c, n in counts.items() if n < 3}
    assert not thin, f"chapters with fewer than three checkable exercises: {thin}"


@pytest.mark.parametrize("exercise_id", ALL)
def test_the_reference_passes_its_own_check(exercise_id):
    exercise = get(exercise_id)
    result = check(exercise_id, exercise.reference)
    assert result.passed, result.message
    assert result.attempted
    assert repr(result).startswith(f"Exercise {exercise_id}, right")


@pytest.mark.parametrize("exercise_id", ALL)
def test_an_untouched_answer_is_not_attempted_yet(exercise_id):
    result = check(exercise_id, ...)
    assert not result.passed and not result.attempted
    assert "not attempted yet" in repr(result)
    if get(exercise_id).kind == "function":
        def stub(*args):
            raise NotImplementedError("your code here")
        result = check(exercise_id, stub)
        assert not result.passed and not result.attempted


def numbers_of(value):
    """Every number of a reference, as the strings a message could show it by."""
    if get_kind(value) == "formula":
        return []
    flat = []
    for item in value if isinstance(value, (tuple, list)) else [value]:
        flat.extend(np.ravel(np.asarray(item, dtype=float)))
    shown = set()
    for x in flat:
        if x == 0 or not np.isfinite(x) or float(x).is_integer() and abs(x) < 10:
            continue              # 0, 1, 2... appear in any sentence
        for digits in (3, 4):
            shown.add(f"{x:.{digits}g}")
    return sorted(shown)


def get_kind(value):
    try:
        import sympy
        return "formula" if isinstance(value, sympy.Basic) else "value"
    except ImportError:
        return "value"


def assert_gives_nothing_away(exercise_id, message):
    exercise = get(exercise_id)
    if exercise.kind == "value":
        for text in numbers_of(exercise.reference):
            assert text not in message, f"{exercise_id}: the message shows the reference's {text}: {message}"
    if exercise.kind == "function":
        rng = np.random.default_rng(20261207)
        label, args = exercise.cases(rng)[0]
        outputs, _, _ = exercise.run(exercise.reference, args)
        for array in outputs:
            for x in np.ravel(array)[:50]:
                if x and np.isfinite(x) and not float(x).is_integer():
                    assert f"{x:.3g}" not in message, f"{exercise_id}: the message shows {x:.3g}: {message}"


@pytest.mark.parametrize("exercise_id, k", NAMED)
def test_each_named_mistake_is_recognised_by_name(exercise_id, k):
    exercise = get(exercise_id)
    mistake = exercise.mistakes[k]
    if isinstance(exercise, FunctionExercise):
        wrong = mistake.variant
    elif isinstance(exercise, FormulaExercise):
        wrong = mistake.variant(exercise.symbols())
    else:
        wrong = mistake.variant
    result = check(exercise_id, wrong)
    assert not result.passed and result.attempted, f"{exercise_id}: {mistake.name} passed"
    # the message as written, once the sections added to its equation labels are taken out
    said = re.sub(r', in (?:the section|chapter \d+\'s section) "[^"]*"', "", result.message)
    assert mistake.message in said, (
        f"{exercise_id}: the mistake {mistake.name!r} got another message: {result.message}")
    assert_gives_nothing_away(exercise_id, result.message)


def _outputs(exercise, value):
    arrays, problem = exercise_outputs(exercise, value)
    assert problem is None, problem
    return arrays


def exercise_outputs(exercise, value):
    from bp.exercises.checking import as_outputs
    return as_outputs(value, exercise.outputs)


def planted(exercise, change, which=0):
    """The reference with one output changed by `change` (array -> array)."""
    def wrong(*args):
        outputs = _outputs(exercise, exercise.reference(*args))
        outputs[which] = change(outputs[which])
        return tuple(outputs) if len(outputs) > 1 else outputs[0]
    return wrong


def non_trivial_output(exercise):
    """The index of an output that is not all zeros and has more than one entry if any."""
    label, args = exercise.cases(np.random.default_rng(20261207))[0]
    outputs = _outputs(exercise, exercise.reference(*args))
    ranked = sorted(range(len(outputs)), key=lambda i: (not np.any(outputs[i]), -outputs[i].size))
    return ranked[0], outputs[ranked[0]]


@pytest.mark.parametrize("exercise_id", FUNCTIONS)
def test_generic_planted_mistakes_fail_and_say_what_kind(exercise_id):
    exercise = get(exercise_id)
    which, output = non_trivial_output(exercise)
    name = exercise.outputs[which]
    cases = [("sign", lambda a: -a, "sign"), ("factor", lambda a: 3 * a, "3 times")]
    if output.ndim == 2 and output.shape[0] != output.shape[1]:
        cases.append(("transpose", lambda a: a.T, "transposed"))
    if output.ndim == 2 and output.shape[0] == output.shape[1] and not np.allclose(output, output.T):
        cases.append(("square transpose", lambda a: a.T, "transpose"))
    for kind, change, words in cases:
        result = check(exercise_id, planted(exercise, change, which))
        assert not result.passed, f"{exercise_id}: a planted {kind} passed"
        named = any(m.message in result.message for m in exercise.mistakes)
        assert named or (words in result.message and name in result.message), (
            f"{exercise_id}: a planted {kind} in {name} gave: {result.message}")
        assert_gives_nothing_away(exercise_id, result.message)


@pytest.mark.parametrize("exercise_id", FUNCTIONS)
def test_a_function_that_raises_is_reported_not_raised(exercise_id):
    def broken(*args):
        raise ValueError("shapes (3,4) and (5,) not aligned")
    result = check(exercise_id, broken)
    assert not result.passed and "raised ValueError" in result.message


def test_the_checker_can_fail_a_wrong_value_and_a_wrong_formula():
    values = [i for i in ALL if isinstance(get(i), ValueExercise)]
    formulas = [i for i in ALL if isinstance(get(i), FormulaExercise)]
    for i in values:
        reference = np.array(get(i).reference, dtype=float)
        result = check(i, reference * 1.5 + 0.75)
        assert not result.passed, i
        assert_gives_nothing_away(i, result.message)
    for i in formulas:
        result = check(i, get(i).reference + 7)
        assert not result.passed, i


def test_an_unknown_id_says_which_ids_exist():
    with pytest.raises(KeyError, match="chapter 05 has"):
        get("05.99")


def test_import_bp_exercises_is_light():
    import subprocess
    import sys
    code = ("import sys, bp.exercises as e; e.ids(); "
            "print(json.dumps(sorted(m for m in ('sympy', 'matplotlib', 'bpbook') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert json.loads(out) == [], f"importing bp.exercises imported {out}"


# ---------------------------------------------------------------- the notebooks

def notebook_checks():
    """(notebook, exercise id) for every check(...) call in the book's notebooks."""
    found = []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                for match in re.finditer(r'check\("((?:[0-9]{2}|A)\.[0-9]+)"', "".join(cell["source"])):
                    found.append((path.name, match.group(1), cell))
    return found


def test_every_checkable_exercise_has_an_answer_cell_in_its_chapter():
    in_book = {i for _, i, _ in notebook_checks()}
    assert set(ALL) <= in_book, f"exercises with no answer cell: {sorted(set(ALL) - in_book)}"
    assert in_book <= set(ALL), f"answer cells for unknown exercises: {sorted(in_book - set(ALL))}"


def test_the_saved_answer_cells_say_not_attempted_yet():
    for name, exercise_id, cell in notebook_checks():
        text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                       for o in cell.get("outputs", []))
        assert "not attempted yet" in text, f"{name}, {exercise_id}: the saved output is {text!r}"


def test_the_equation_sections_are_those_of_the_chapters():
    """bp/exercises/sections.py is what tools/equation_sections.py writes from the chapters
    now (run it after moving or relabelling an equation)."""
    from tools import equation_sections
    written = (ROOT / "bp" / "exercises" / "sections.py").read_text(encoding="utf-8")
    assert written == equation_sections.source(equation_sections.sections()), (
        "bp/exercises/sections.py is stale: run .venv/bin/python -m tools.equation_sections")


@pytest.mark.parametrize("exercise_id", ALL)
def test_every_equation_a_message_cites_is_placed_in_its_section(exercise_id):
    exercise = get(exercise_id)
    texts = [exercise.where] + [check(exercise_id, m.variant).message for m in exercise.mistakes
                                if exercise.kind == "value"]
    from bp.exercises.sections import SECTIONS
    for text in texts:
        for label in re.findall(r"\((eq-[\w-]+)\)", text):   # left as written: its section named
            titles = [labels[label] for labels in SECTIONS.values() if label in labels]
            assert titles and any(f'"{title}"' in text for title in titles), (
                f"{exercise_id}: equation {label} with no section: {text}")
