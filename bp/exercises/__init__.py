"""Checks for the book's exercises: they judge *your* answer and name the mistake.

Each chapter's exercises with a checkable answer (a number, an array, a function or a
formula) have an id such as ``"05.5"`` (chapter 5, exercise 5). Write your answer in the
cell made for it, then run::

    from bp.exercises import check
    check("05.5", my_backward)

The result says "right", or "not yet" and what is wrong: a sign error, a transposed
result, a missing 1/N, a missing factor sigma'(z)..., with the section or equation that
derives the right thing. It never prints the reference answer. An answer cell left as it
is (``...``, or a function that still raises ``NotImplementedError``) is "not attempted
yet".

    >>> from bp.exercises import check, get, ids
    >>> "05.5" in ids()
    True
    >>> check("01.1", ...).attempted
    False
    >>> get("01.1").kind
    'value'

``get(id).reference`` is the reference solution (a function, a value or a sympy
expression), for when you want to read it; the book keeps it folded under each exercise.

Only numpy is imported here; a formula check imports sympy when it runs.
"""
import importlib

from .checking import (Exercise, FormulaExercise, FunctionExercise, Mistake, Result,
                       ValueExercise)

# one module per chapter, each a list EXERCISES
CHAPTERS = ["chapter01", "chapter02", "chapter03", "chapter04", "chapter05", "chapter06",
            "chapter07", "chapter08", "chapter09", "chapter10", "chapter11", "appendix"]

_registry = None


def _exercises():
    global _registry
    if _registry is None:
        registry = {}
        for name in CHAPTERS:
            try:
                module = importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{__name__}.{name}":
                    raise
                continue
            for exercise in module.EXERCISES:
                assert exercise.id not in registry, f"two exercises have the id {exercise.id}"
                registry[exercise.id] = exercise
        _registry = registry
    return _registry


def ids():
    """The ids of every checkable exercise, in the book's order ("01.1", ..., "11.5")."""
    return list(_exercises())


def get(exercise_id):
    """The exercise ``exercise_id``: ``.kind`` ("function", "value" or "formula"),
    ``.title``, ``.answer_form`` (what to write), ``.where`` (the section that derives it)
    and ``.reference`` (the reference solution)."""
    exercises = _exercises()
    key = str(exercise_id)
    if key not in exercises:
        chapter = key.split(".")[0]
        same = [i for i in exercises if i.split(".")[0] == chapter]
        hint = f"chapter {chapter} has {', '.join(same)}" if same else f"the ids are {', '.join(exercises)}"
        raise KeyError(f"no checkable exercise {exercise_id!r}: {hint}")
    return exercises[key]


def check(exercise_id, answer):
    """Judge ``answer`` to exercise ``exercise_id``. Returns a ``Result`` (``.passed``,
    ``.attempted``, ``.message``), which Jupyter shows as one line."""
    return get(exercise_id).check(answer)


__all__ = ["check", "get", "ids", "Result", "Exercise", "FunctionExercise", "ValueExercise",
           "FormulaExercise", "Mistake"]
