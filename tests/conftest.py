"""Fixtures: pytest gives one to every test in tests/ that names it as an argument.

The builders a test calls with arguments (small_net(seed=7), make_net(...)) are plain
functions in helpers.py.
"""
import numpy as np
import pytest


@pytest.fixture
def rng():
    """A new generator with seed 0 for each test, so no test's numbers depend on another's.

    A test that needs other numbers seeds its own: np.random.default_rng(3).
    """
    return np.random.default_rng(0)
