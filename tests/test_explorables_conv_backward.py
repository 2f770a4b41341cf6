"""The explorable conv_backward: bp's reference numbers against formulas that do not use
bp.Conv2D (the chapter's rotated-kernel formula, the sparse matrix M, finite differences),
and the page's data and text."""
import json

import numpy as np
import pytest

from bpbook.explorables import conv_backward as cb


def forward_by_loops(X, kernel, stride, padding):
    """Y[i, j] = sum_{p,q} W[p, q] Xpad[s i + p, s j + q]  (eq-conv-forward), one channel."""
    Xpad = np.pad(X, padding)
    kh, kw = kernel.shape
    m_h, m_w = cb.output_shape(stride, padding)
    return np.array([[np.sum(kernel * Xpad[stride * i:stride * i + kh, stride * j:stride * j + kw])
                      for j in range(m_w)] for i in range(m_h)])


def rotated_kernel_formula(dY, kernel, stride, padding):
    """dC/dX = (D^pad cross-correlated with W^rot), padding cut off (eq-conv-stride)."""
    kh, kw = kernel.shape
    n_h, n_w = cb.X_SHAPE
    D = np.zeros(((dY.shape[0] - 1) * stride + 1, (dY.shape[1] - 1) * stride + 1))
    D[::stride, ::stride] = dY                                    # dilate: s - 1 zeros between
    D_pad = np.pad(D, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    rot = kernel[::-1, ::-1]
    reached = np.array([[np.sum(rot * D_pad[u:u + kh, v:v + kw])
                         for v in range(D_pad.shape[1] - kw + 1)] for u in range(D_pad.shape[0] - kh + 1)])
    dX_pad = np.zeros((n_h + 2 * padding, n_w + 2 * padding))
    rows, cols = min(reached.shape[0], dX_pad.shape[0]), min(reached.shape[1], dX_pad.shape[1])
    dX_pad[:rows, :cols] = reached[:rows, :cols]                  # the rest was never read
    return dX_pad[padding:padding + n_h, padding:padding + n_w]


def conv_matrix(kernel, stride, padding):
    """M with y = M x (eq-conv-matrix): row (i, j), column (u, v)."""
    n_h, n_w = cb.X_SHAPE
    kh, kw = kernel.shape
    m_h, m_w = cb.output_shape(stride, padding)
    M = np.zeros((m_h * m_w, n_h * n_w))
    for i in range(m_h):
        for j in range(m_w):
            for p in range(kh):
                for q in range(kw):
                    u, v = stride * i + p - padding, stride * j + q - padding
                    if 0 <= u < n_h and 0 <= v < n_w:
                        M[i * m_w + j, u * n_w + v] = kernel[p, q]
    return M


CASES = cb.reference()


def test_the_cases_touch_every_control():
    operated = {action[1] for case in CASES for action in case["actions"]}
    assert operated == {"stride", "padding", "row", "col", "dX"}
    settings = {(c["result"]["stride"], c["result"]["padding"]) for c in CASES}
    assert settings == {(s, p) for s in cb.STRIDES for p in cb.PADDINGS}
    assert any(not c["result"]["terms"] for c in CASES)          # a pixel no window read
    assert max(len(c["result"]["terms"]) for c in CASES) == 9     # a pixel all 9 taps reach


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["actions"][:2]))
def test_dX_is_the_rotated_kernel_formula_and_M_transpose(case):
    result = case["result"]
    stride, padding = result["stride"], result["padding"]
    kernel, dY = cb.setting(stride, padding)
    dX = np.array(result["dX"])
    assert dX.shape == cb.X_SHAPE
    np.testing.assert_allclose(dX, rotated_kernel_formula(dY, kernel, stride, padding), atol=1e-12)
    M = conv_matrix(kernel, stride, padding)
    np.testing.assert_allclose(dX.ravel(), M.T @ dY.ravel(), atol=1e-12)   # (eq-conv-matrix-backward)


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["actions"][:2]))
def test_dX_is_the_derivative_of_sum_dY_times_Y(case):
    """Centred finite differences of C = sum(dY * Y): C is linear in X, so they are exact
    up to rounding."""
    result = case["result"]
    stride, padding = result["stride"], result["padding"]
    kernel, dY = cb.setting(stride, padding)
    X = np.random.default_rng(5).normal(size=cb.X_SHAPE)
    fd = np.zeros(cb.X_SHAPE)
    for u in range(cb.X_SHAPE[0]):
        for v in range(cb.X_SHAPE[1]):
            step = np.zeros(cb.X_SHAPE)
            step[u, v] = 1e-4
            fd[u, v] = (np.sum(dY * forward_by_loops(X + step, kernel, stride, padding))
                        - np.sum(dY * forward_by_loops(X - step, kernel, stride, padding))) / 2e-4
    np.testing.assert_allclose(np.array(result["dX"]), fd, atol=1e-8)


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["actions"][:2]))
def test_the_terms_are_the_windows_that_read_the_pixel(case):
    result = case["result"]
    stride, padding = result["stride"], result["padding"]
    kernel, dY = cb.setting(stride, padding)
    row, col = result["pixel"]
    M = conv_matrix(kernel, stride, padding)
    m_w = dY.shape[1]
    readers = {(k // m_w, k % m_w) for k in np.flatnonzero(M[:, row * cb.X_SHAPE[1] + col])}
    assert {(i, j) for i, j, *_ in result["terms"]} == readers     # no tap of W is 0
    for i, j, p, q, product in result["terms"]:
        assert (stride * i + p, stride * j + q) == (row + padding, col + padding)
        assert product == dY[i, j] * kernel[p, q]
    # the sum, in the order col2im adds them, is bp's dX at the pixel to the last bit
    assert sum(t[4] for t in result["terms"]) == result["value"] == result["dX"][row][col]


def test_the_taps_land_on_the_chosen_pixel():
    """A tap at fraction (fx, fy) of the dX canvas: the 6 x 7 grid inside a band of
    `padding` cells, RING of a cell each."""
    for case in CASES:
        for kind, name, value in case["actions"]:
            if kind != "tap":
                continue
            band = case["result"]["padding"] * cb.RING
            fx, fy = value
            col = int(np.floor(fx * (cb.X_SHAPE[1] + 2 * band) - band))
            row = int(np.floor(fy * (cb.X_SHAPE[0] + 2 * band) - band))
            assert [row, col] == case["result"]["pixel"]


def test_page_data_and_text():
    data = json.loads(json.dumps(cb.page_data()))
    assert np.array(data["dY"]).shape == cb.X_SHAPE and np.all(np.array(data["dY"]) != 0)
    kernel = np.array(data["kernel"])
    assert not np.array_equal(kernel, kernel[::-1, ::-1])         # asymmetric
    text = cb.describe()
    assert "9 products" in text and text.endswith(".")
    assert f"= {cb._one_decimal(CASES[0]['result']['value'])}." in text
    assert "No window read pixel (5, 1)" in cb.describe(2, 0, 5, 1)
    assert "2 products" in cb.describe(2, 1, 3, 6)
