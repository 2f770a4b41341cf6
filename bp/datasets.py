"""Small data sets, made here or shipped with scikit-learn: nothing is downloaded.

Every generator takes an explicit ``numpy.random.Generator``. Features are
float64 arrays with one example per row; class labels are integer arrays of
shape (N,); regression targets have shape (N, 1).
"""
from dataclasses import dataclass

import numpy as np

from .extras import require
from .errors import check_positive_int, check_rng

MAX_POINTS = 10_000_000   # a generated data set larger than this is almost surely a slip


def _check_size_and_noise(n, noise, who, what="n_per_class"):
    n = check_positive_int(n, who, what)
    if n > MAX_POINTS:
        raise ValueError(f"{who}: {what}={n:,} asks for more points than this book's data sets "
                         f"need; at most {MAX_POINTS:,}.")
    if not (isinstance(noise, (int, float, np.integer, np.floating)) and np.isfinite(noise)
            and noise >= 0):
        raise ValueError(f"{who}: noise must be a number >= 0 (a standard deviation), got {noise!r}.")
    return n


def xor():
    """The four XOR points: X (4, 2) in {0, 1}^2, y (4,) = x1 XOR x2.

    No straight line separates the classes, so no network without a hidden
    layer can fit it.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return X, y


def two_spirals(n_per_class, rng, noise=0.2, turns=1.5):
    """Two interleaved spirals in the plane: X (2n, 2), y (2n,) in {0, 1}.

    Points run from the centre outwards over ``turns`` turns; class 1 is class 0
    rotated by 180 degrees. ``noise`` is the standard deviation of added Gaussian noise.
    """
    rng = check_rng(rng, "two_spirals")
    n_per_class = _check_size_and_noise(n_per_class, noise, "two_spirals")
    t = np.sqrt(rng.uniform(0.05, 1.0, size=n_per_class))  # denser near the centre
    angle = 2 * np.pi * turns * t
    arm = np.column_stack([t * np.cos(angle), t * np.sin(angle)]) * 3.0
    X = np.vstack([arm, -arm]) + rng.normal(0.0, noise * 0.5, size=(2 * n_per_class, 2))
    y = np.repeat([0, 1], n_per_class)
    return X, y


def moons(n_per_class, rng, noise=0.1):
    """Two interleaving half circles: X (2n, 2), y (2n,) in {0, 1}."""
    rng = check_rng(rng, "moons")
    n_per_class = _check_size_and_noise(n_per_class, noise, "moons")
    angle = rng.uniform(0.0, np.pi, size=n_per_class)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(2 * n_per_class, 2))
    y = np.repeat([0, 1], n_per_class)
    return X, y


def regression_curve(n, rng, noise=0.1):
    """A 1-D regression task: x (n, 1) uniform in [-3, 3], y (n, 1) = sin(2x) + 0.3 x + noise."""
    rng = check_rng(rng, "regression_curve")
    n = _check_size_and_noise(n, noise, "regression_curve", "n")
    x = np.sort(rng.uniform(-3.0, 3.0, size=n))
    y = target_curve(x) + rng.normal(0.0, noise, size=n)
    return x[:, None], y[:, None]


def target_curve(x):
    """The noise-free curve behind :func:`regression_curve`: sin(2x) + 0.3 x."""
    return np.sin(2.0 * x) + 0.3 * x


@dataclass
class Split:
    """A train/test split: ``X_train`` (n_train, d), ``y_train`` (n_train,), and the same for test."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def stratified_split(X, y, test_fraction, rng):
    """Split so that each class keeps the same share in train and test.

    From each class, round(test_fraction * class size) examples, chosen with
    ``rng``, go to the test set; the rest to the training set. Both sets are
    returned in the original order of the data.
    """
    rng = check_rng(rng, "stratified_split")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"stratified_split: test_fraction must be between 0 and 1, got {test_fraction}.")
    is_test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n_test = int(round(test_fraction * len(members)))
        is_test[rng.choice(members, size=n_test, replace=False)] = True
    if is_test.all() or not is_test.any():
        empty = "training" if is_test.all() else "test"
        raise ValueError(f"stratified_split: test_fraction={test_fraction} leaves no {empty} "
                         f"examples; choose a fraction that keeps some in both sets.")
    return Split(X[~is_test], y[~is_test], X[is_test], y[is_test])


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's bundled 8x8 handwritten digits (1797 images), split stratified.

    Pixels are scaled from 0..16 to 0..1, so X has shape (N, 64); y holds the
    digit 0..9. The split is fixed by ``seed``: with the defaults, 1347
    training and 450 test images. scikit-learn ships the data inside its
    package; nothing is downloaded.
    """
    # scikit-learn is heavy and optional: imported only when digits are asked for.
    load_digits = require("sklearn.datasets", "bp.datasets.digits").load_digits

    data = load_digits()
    X = data.data.astype(np.float64) / 16.0
    y = data.target.astype(np.int64)
    return stratified_split(X, y, test_fraction, np.random.default_rng(seed))
