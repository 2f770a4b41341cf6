"""The claims of the solutions of chapters 9, 10 and 11's exercises, executed.

Before the exercises had checks, a folded cell under each solution asserted what the
solution says; those cells showed the answer after Run All, so they left the notebooks
and their claims live here. Where an exercise's reference (bp.exercises.chapter09...)
is a formula or a function, it is also confirmed independently: by sympy, by finite
differences or by bp's own layers.
"""
import numpy as np
import pytest

import bp
from bp.exercises import chapter09, chapter10, chapter11, check, get


# ================================================================ chapter 9


def test_09_1_linear_rnn_jacobian_and_steps_back():
    sp = pytest.importorskip("sympy")
    u, w = sp.symbols("u w")
    x = sp.symbols("x_1:6")
    h = [sp.Symbol("h_1")]                         # from a symbolic h_1 to h_5
    for x_t in x[1:]:
        h.append(u * h[-1] + w * x_t)
    assert sp.simplify(sp.diff(h[-1], h[0]) - u ** 4) == 0      # u^(T - t), T - t = 4
    # the reference u^(T - t) at T = 5, t = 1 is that
    s = get("09.1").symbols()
    reference = get("09.1").reference.subs({s["T"]: 5, s["t"]: 1})
    assert sp.simplify(reference - s["u"] ** 4) == 0
    # 0.9^(T - t) < 0.01 from 44 steps back (ln 0.01 / ln 0.9 = 43.7)
    assert next(k for k in range(1, 200) if 0.9 ** k < 0.01) == 44
    assert round(np.log(0.01) / np.log(0.9), 1) == 43.7


def sequence_classifier(rng, truncate=None):
    # chapter 9's classifier RNN -> LastTimeStep -> Dense, with larger weights
    net = bp.Sequential([bp.RNN(3, 5, rng=rng, truncate=truncate), bp.LastTimeStep(),
                         bp.Dense(5, 2, rng=rng)])
    for _, param, _ in net.parameters():
        param[:] = rng.normal(0.0, 0.6, param.shape)
    return net


def test_09_2_truncate_1_is_the_last_step_term():
    rng = np.random.default_rng(1)
    classifier = sequence_classifier(rng, truncate=1)
    X, y = rng.normal(size=(4, 6, 3)), np.array([0, 1, 1, 0])
    loss = bp.CrossEntropyLoss()
    loss.forward(classifier.forward(X), y)
    dH = classifier.layers[1].backward(classifier.layers[2].backward(loss.backward()))
    rnn = classifier.layers[0]
    rnn.backward(dH)
    H = rnn.forward(X)
    delta_T = dH[:, -1] * (1 - H[:, -1] ** 2)
    last_step_only = delta_T.T @ H[:, -2]                        # delta_T h_(T-1)^T
    assert np.allclose(rnn.grads["W_hh"], last_step_only, rtol=1e-12, atol=1e-15)
    # and the reference of exercise 2 computes the same
    params = rnn.params
    reference = chapter09.truncated_dW_hh(X, params["W_xh"], params["W_hh"], params["b"],
                                          dH[:, -1])
    assert np.allclose(reference, last_step_only, rtol=1e-12, atol=1e-15)
    # while the full gradient differs
    rnn.truncate = None
    loss.forward(classifier.forward(X), y)
    classifier.backward(loss.backward())
    assert bp.relative_error(rnn.grads["W_hh"], last_step_only) > 1e-2


def test_09_3_parameter_count():
    assert bp.RNN(1, 16, rng=0).n_params == 16 * 1 + 16 * 16 + 16 == 288
    model = bp.Sequential([bp.RNN(1, 16, rng=0), bp.LastTimeStep(), bp.Dense(16, 1, rng=0)])
    assert model.n_params == 305
    s = get("09.3").symbols()
    for n_in, n_hidden in [(1, 16), (3, 5), (7, 2)]:
        count = get("09.3").reference.subs({s["n_in"]: n_in, s["n_hidden"]: n_hidden})
        assert count == bp.RNN(n_in, n_hidden, rng=0).n_params
    assert s["T"] not in get("09.3").reference.free_symbols


class EachStep(bp.Layer):
    # chapter 9's Dense at every step: (N, T, n_hidden) -> (N, T * n_out)
    def __init__(self, dense):
        super().__init__()
        self.dense = dense
        self.params, self.grads = dense.params, dense.grads

    def forward(self, H):
        N, T, n_hidden = self._cache = H.shape
        return self.dense.forward(H.reshape(N * T, n_hidden)).reshape(N, -1)

    def backward(self, dY, input_grad=True):
        N, T, n_hidden = self._cached()
        return self.dense.backward(dY.reshape(N * T, self.dense.n_out)).reshape(N, T, n_hidden)


def next_value_task(n, T, rng, noise=0.1):
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    frequency = rng.uniform(0.25, 0.45, size=(n, 1))
    values = np.sin(phase + frequency * np.arange(T + 1)) + noise * rng.normal(size=(n, T + 1))
    return values[:, :-1, None], values[:, 1:]


def exploding_net(seed, rho=3.0):
    rng = np.random.default_rng(seed)
    net = bp.Sequential([bp.RNN(1, 16, rng=rng), EachStep(bp.Dense(16, 1, rng=rng))])
    W_hh = net.layers[0].params["W_hh"]
    W_hh *= rho / np.max(np.abs(np.linalg.eigvals(W_hh)))
    return net


def test_09_4_clipping_by_value_turns_the_step():
    g = np.array([10.0, 1.0])
    angle = lambda v: np.degrees(np.arctan2(v[1], v[0]))
    assert np.isclose(angle(g), 5.71, atol=0.01) and np.isclose(angle(np.clip(g, -1, 1)), 45)
    assert check("09.4", [angle(g), angle(np.clip(g, -1, 1))]).passed
    # on the exploding network of the section on clipping (the chapter's code)
    net = exploding_net(0)
    X_clip, Y_clip = next_value_task(40, 50, np.random.default_rng(15))
    loss = bp.MSELoss()
    loss.forward(net.forward(X_clip), Y_clip)
    net.backward(loss.backward())
    flat = np.concatenate([layer.grads[key].ravel() for _, _, layer, key in net.named_parameters()])
    cosine = lambda a, b: a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    by_value = np.clip(flat, -1.0, 1.0)
    by_norm = flat * min(1.0, 1.0 / np.linalg.norm(flat))
    assert cosine(flat, by_value) < 0.99 and np.isclose(cosine(flat, by_norm), 1.0)


def test_09_5_bptt_by_hand_equals_sympy_diff():
    sp = pytest.importorskip("sympy")
    u, w, v, x1, x2, s1, s2 = sp.symbols("u w v x_1 x_2 s_1 s_2")
    h1 = sp.tanh(w * x1)                                  # h_0 = 0
    h2 = sp.tanh(u * h1 + w * x2)
    C = (v * h1 - s1) ** 2 / 2 + (v * h2 - s2) ** 2 / 2
    e1, e2 = v * h1 - s1, v * h2 - s2
    delta2 = v * e2 * (1 - h2 ** 2)
    delta1 = (v * e1 + u * delta2) * (1 - h1 ** 2)        # (eq-bptt-dh-every): both paths
    answers = {u: delta2 * h1, w: delta1 * x1 + delta2 * x2, v: e1 * h1 + e2 * h2}
    for symbol, formula in answers.items():
        assert sp.simplify(sp.diff(C, symbol) - formula) == 0, symbol
    # the reference function of exercise 5 agrees with sympy.diff at random points
    rng = np.random.default_rng(3)
    for _ in range(5):
        point = dict(zip((u, w, v, x1, x2, s1, s2), rng.normal(size=7)))
        mine = chapter09.two_step_gradients(*[point[k] for k in (u, w, v, x1, x2, s1, s2)])
        exact = [float(sp.diff(C, k).subs(point)) for k in (u, w, v)]
        assert np.allclose(mine, exact, rtol=1e-12, atol=1e-14)


def lstm_setting():
    # chapter 9's LSTM cell of the section on gated units
    n_cell, n_x, T_cell = 8, 3, 50
    rng = np.random.default_rng(8)
    bound = 1 / np.sqrt(n_cell)
    W_gate = {k: rng.uniform(-bound, bound, size=(n_cell, n_x + n_cell)) for k in "fico"}
    X_cell = rng.normal(size=(T_cell, n_x))
    return n_cell, n_x, T_cell, W_gate, X_cell


def lstm_step(W_gate, x, h, c, forget_bias):
    sigmoid = lambda z: 1 / (1 + np.exp(-z))
    v = np.concatenate([x, h])
    f = sigmoid(W_gate["f"] @ v + forget_bias)
    i, o = sigmoid(W_gate["i"] @ v), sigmoid(W_gate["o"] @ v)
    c = f * c + i * np.tanh(W_gate["c"] @ v)
    return o * np.tanh(c), c, f


def test_09_6_forget_bias_0_gates_near_a_half_and_the_path_vanishes():
    n_cell, n_x, T_cell, W_gate, X_cell = lstm_setting()
    h, c = np.zeros(n_cell), np.zeros(n_cell)
    h, c, _ = lstm_step(W_gate, X_cell[0], h, c, 0.0)
    gates = []
    for t in range(1, T_cell):                             # f_2, ..., f_50: 49 factors
        h, c, f = lstm_step(W_gate, X_cell[t], h, c, 0.0)
        gates.append(f)
    gates = np.array(gates)
    assert len(gates) == 49
    assert 0.4 < gates.mean() < 0.6
    assert np.prod(gates, axis=0).max() < 1e-10
    assert 0.5 ** 49 < 2e-15 and check("09.6", [0.5, np.log10(0.5 ** 49)]).passed


def test_09_7_lstm_step_backward_against_finite_differences():
    n_cell, n_x, _, W_gate, _ = lstm_setting()
    rng = np.random.default_rng(16)
    x, h, c = rng.normal(size=n_x), rng.normal(size=n_cell), rng.normal(size=n_cell)
    dh, dc = rng.normal(size=n_cell), rng.normal(size=n_cell)

    def step_cost():                        # C = dh . h_t + dc . c_t
        h_t, c_t, _ = lstm_step(W_gate, x, h, c, 1.0)
        return dh @ h_t + dc @ c_t

    answers = chapter09.lstm_step_backward(x, h, c, 1.0, dh, dc, W_gate)
    for answer, array in zip(answers, (h, c, W_gate["f"])):
        assert bp.relative_error(answer, bp.numerical_gradient(step_cost, array)) < 1e-7


# ================================================================ chapter 10


def test_10_1_sizes():
    conv = bp.Conv2D(1, 2, 5, stride=2, padding=1, rng=0).forward(np.ones((1, 1, 28, 28)))
    pooled = bp.MaxPool2D(2).forward(conv)
    assert conv.shape[2:] == (13, 13) and pooled.shape[2:] == (6, 6)
    assert list(get("10.1").reference) == [13, 6]


def test_10_2_parameter_counts():
    conv_params = bp.Conv2D(3, 16, 5, rng=0).n_params
    dense_params = lambda n_in, n_out: n_in * n_out + n_out
    assert bp.Dense(7, 5, rng=0).n_params == dense_params(7, 5)
    assert conv_params == 1216 and dense_params(3 * 32 * 32, 16 * 28 * 28) == 38_547_712
    assert dense_params(3072, 12544) / conv_params > 30_000
    assert dense_params(3072, 12544) * 8 / 1e6 > 300          # over 300 MB in float64
    assert list(get("10.2").reference) == [1216, 38_547_712]


def test_10_3_a_1x1_convolution_is_a_dense_layer_at_every_pixel():
    rng = np.random.default_rng(6)
    conv = bp.Conv2D(4, 3, 1, rng=rng)
    X = rng.normal(size=(2, 4, 5, 6))
    dense = bp.Dense(4, 3, rng=rng)
    dense.params["W"][:] = conv.params["W"][:, :, 0, 0]
    dense.params["b"][:] = conv.params["b"]
    pixels = X.transpose(0, 2, 3, 1).reshape(-1, 4)
    by_dense = dense.forward(pixels).reshape(2, 5, 6, 3).transpose(0, 3, 1, 2)
    assert np.allclose(conv.forward(X), by_dense)
    assert np.allclose(chapter10.conv_1x1(X, conv.params["W"], conv.params["b"]), by_dense)


class ConvByFormula(bp.Conv2D):
    # chapter 10's dC/dX by (eq-conv-stride): dilate, pad, cross-correlate with the rotated kernel
    rotate = True

    def _input_gradient(self, dY, X_shape):
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        N, _, n_h, n_w = X_shape
        D = np.zeros((N, self.c_out, (dY.shape[2] - 1) * sh + 1, (dY.shape[3] - 1) * sw + 1))
        D[:, :, ::sh, ::sw] = dY
        D_pad = np.pad(D, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
        kernel = self.params["W"][:, :, ::-1, ::-1] if self.rotate else self.params["W"]
        windows = np.lib.stride_tricks.sliding_window_view(D_pad, (kh, kw), axis=(2, 3))
        reached = np.einsum("noijpq,ocpq->ncij", windows, kernel)
        dX_pad = np.zeros((N, self.c_in, n_h + 2 * ph, n_w + 2 * pw))
        dX_pad[:, :, :reached.shape[2], :reached.shape[3]] = reached
        return dX_pad[:, :, ph:ph + n_h, pw:pw + n_w]


class ConvForgetsRotation(ConvByFormula):
    rotate = False


def cnn(rng, conv_layer=bp.Conv2D):
    return bp.Sequential([conv_layer(2, 3, (2, 3), stride=2, padding=1, rng=rng), bp.Tanh(),
                          bp.MaxPool2D(2), bp.Flatten(), bp.Dense(3 * 2 * 2, 5, rng=rng)])


def smallest_gap_in_pool_windows(net, X):
    A = net.layers[1].forward(net.layers[0].forward(X))
    windows = np.lib.stride_tricks.sliding_window_view(A, (2, 2), axis=(2, 3))[:, :, ::2, ::2]
    top_two = np.sort(windows.reshape(*windows.shape[:4], 4), axis=-1)[..., -2:]
    return (top_two[..., 1] - top_two[..., 0]).min()


def test_10_4_a_rotation_symmetric_kernel_hides_the_missing_rotation():
    rng = np.random.default_rng(5)
    X_check = rng.normal(size=(4, 2, 9, 8))
    y_check = np.array([0, 3, 1, 4])
    # with its random kernels, the broken layer is caught (as in the chapter)
    wrong = cnn(np.random.default_rng(5), conv_layer=ConvForgetsRotation)
    assert bp.gradcheck(wrong, bp.CrossEntropyLoss(), X_check, y_check).errors["input"] > 1e-2
    # made rotation-symmetric, the same kernels let it pass
    kernels = wrong.layers[0].params["W"]
    kernels[:] = 0.5 * (kernels + kernels[:, :, ::-1, ::-1])
    assert np.array_equal(kernels, kernels[:, :, ::-1, ::-1])
    assert smallest_gap_in_pool_windows(wrong, X_check) > 1e-4
    bp.gradcheck(wrong, bp.CrossEntropyLoss(), X_check, y_check).assert_ok(1e-6)
    # the solution's example kernel is rotation-symmetric, and the check accepts it
    example = np.array([[1, 2, 3], [3, 2, 1]])
    assert np.array_equal(example, example[::-1, ::-1]) and check("10.4", example).passed
    assert not check("10.4", rng.normal(size=(3, 3))).passed


def average_pool(X, k):
    N, C, n_h, n_w = X.shape
    m_h, m_w = n_h // k, n_w // k
    return X[:, :, :m_h * k, :m_w * k].reshape(N, C, m_h, k, m_w, k).mean(axis=(3, 5))


def test_10_5_average_pooling_backward():
    rng = np.random.default_rng(11)
    k = 3
    X = rng.normal(size=(2, 2, 7, 6))                     # 7 rows: the last is never read
    dY = rng.normal(size=average_pool(X, k).shape)
    dX = chapter10.average_pool_backward(dY, k, X.shape)
    assert np.all(dX[:, :, 6] == 0)
    fd = bp.numerical_gradient(lambda: float(np.sum(dY * average_pool(X, k))), X)
    assert np.abs(fd - dX).max() < 1e-8
    as_conv = bp.Conv2D(1, 1, k, stride=k, rng=rng)       # a kernel of 1/9s, stride 3
    as_conv.params["W"][:], as_conv.params["b"][:] = 1 / k ** 2, 0.0
    one_channel = X[:, :1]
    assert np.allclose(as_conv.forward(one_channel), average_pool(one_channel, k))
    assert np.allclose(as_conv.backward(dY[:, :1]), dX[:, :1])


def test_10_6_conv_transpose_is_the_backward_pass():
    rng = np.random.default_rng(12)
    kernel = rng.normal(size=(3, 2))
    conv = bp.Conv2D(1, 1, (3, 2), stride=2, rng=rng)
    conv.params["W"][0, 0], conv.params["b"][:] = kernel, 0.0
    x = rng.normal(size=(7, 7))
    Y = conv.forward(x[None, None])
    dY = rng.normal(size=Y.shape)
    dX_bp = conv.backward(dY)[0, 0]
    scattered = chapter10.conv_transpose(dY[0, 0], kernel, 2)
    assert Y.shape[2:] == (3, 3) and scattered.shape == (7, 6)
    assert np.allclose(dX_bp[:, :6], scattered) and np.all(dX_bp[:, 6] == 0)
    # M^T dy, with M built column by column from the forward pass (y = M x)
    M = np.column_stack([conv.forward(e.reshape(1, 1, 7, 7)).ravel() for e in np.eye(49)])
    assert np.allclose(M.T @ dY.ravel(), dX_bp.ravel())
    assert chapter10.conv_transpose(np.ones((2, 2)), kernel, 2).shape == (5, 4)
    # and the full convolution of the book, with the rotated kernel, is the same
    for stride in (1, 2, 3):
        dY2 = rng.normal(size=(3, 4))
        assert np.allclose(chapter10.full_correlation(dY2, kernel, stride),
                           chapter10.conv_transpose(dY2, kernel, stride))


def one_hot_backward(layers, size):
    net = bp.Sequential(layers)
    Y = net.forward(np.random.default_rng(0).normal(size=(1, 1, size, size)))
    dY = np.zeros_like(Y)
    dY[0, 0, Y.shape[2] // 2, Y.shape[3] // 2] = 1.0
    return net.backward(dY)[0, 0]


def field_size(dX):
    rows, cols = np.nonzero(dX)
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


def test_10_7_receptive_fields_measured():
    rng = np.random.default_rng(13)
    strided = [bp.Conv2D(1, 1, 5, stride=2, rng=rng), bp.Conv2D(1, 1, 3, stride=2, rng=rng),
               bp.Conv2D(1, 1, 3, rng=rng)]
    plain = [bp.Conv2D(1, 1, 3, rng=rng) for _ in range(3)]
    assert field_size(one_hot_backward(strided, 25)) == (17, 17)
    assert field_size(one_hot_backward(plain, 9)) == (7, 7)
    assert list(get("10.7").reference) == [17, 7]


# ================================================================ chapter 11


def test_11_1_without_zero_grad_the_t_th_step_is_t_gradients():
    sp = pytest.importorskip("sympy")
    g, lr = 0.3, 0.1
    grad, steps = 0.0, []
    for _ in range(6):
        grad += g                          # loss.backward() adds to .grad
        steps.append(lr * grad)            # optimizer.step(), plain SGD
    assert np.allclose(steps, [lr * g * t for t in range(1, 7)])
    # momentum with mu = 1: v <- v + g gives the same steps
    v, momentum_steps = 0.0, []
    for _ in range(6):
        v = 1.0 * v + g
        momentum_steps.append(lr * v)
    assert np.allclose(steps, momentum_steps)
    t = get("11.1").symbols()["t"]
    assert all(get("11.1").reference.subs(t, k) == k for k in range(1, 7))


def test_11_2_shapes_of_the_weight_and_its_gradient():
    dense = bp.Dense(784, 256, rng=0)
    assert dense.params["W"].shape == (256, 784)
    dense.forward(np.random.default_rng(0).normal(size=(3, 784)))
    dense.backward(np.ones((3, 256)))
    assert dense.grads["W"].shape == (256, 784)


def test_11_3_adam_constant_gradient_steps_and_training():
    rng = np.random.default_rng(5)
    tiny = bp.Sequential([bp.Dense(3, 2, rng=rng)])
    g = rng.normal(size=(2, 3)) * np.logspace(-4, 2, 6).reshape(2, 3)
    adam = chapter11.Adam(tiny, lr=0.01)
    for _ in range(5):
        before = tiny.layers[0].params["W"].copy()
        tiny.layers[0].grads = {"W": g, "b": np.ones(2)}
        adam.step()
        moved = before - tiny.layers[0].params["W"]
        assert np.allclose(moved, 0.01 * g / (np.abs(g) + 1e-8), rtol=1e-9, atol=0)
    beta1, beta2 = 0.9, 0.999
    assert round((1 - beta1) / np.sqrt(1 - beta2), 1) == 3.2     # no correction
    assert round(1 / np.sqrt(1 - beta2), 0) == 32                # m corrected alone
    # the named mistakes' first steps are those
    W, b = np.zeros((2, 3)), np.zeros(2)
    g1, gb = np.full((1, 2, 3), 0.5), np.full((1, 2), 0.5)
    first = lambda steps: -steps(W, b, g1, gb, 1.0)[0][0, 0]
    assert round(first(chapter11._adam_variant(correct_m=False, correct_s=False)), 1) == 3.2
    assert round(first(chapter11._adam_variant(correct_s=False)), 0) == 32
    assert np.isclose(first(chapter11.adam_steps), 1.0)
    # and it trains the digits network of the chapter
    rng = np.random.default_rng(0)
    data = bp.datasets.digits()
    loss_fn = bp.CrossEntropyLoss()
    net = bp.Sequential([bp.Dense(64, 32, rng=rng), bp.ReLU(), bp.Dense(32, 10, rng=rng)])
    adam = chapter11.Adam(net, lr=0.01)
    for _ in range(3):
        order = rng.permutation(len(data.X_train))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            loss_fn.forward(net.forward(data.X_train[batch]), data.y_train[batch])
            net.backward(loss_fn.backward())
            adam.step()
    assert bp.evaluate(net, loss_fn, data.X_test, data.y_test)[1] > 0.85


def test_11_3_a_learners_class_is_checked():
    class MyAdam(chapter11.Adam):         # a class with the answer cell's signature
        def __init__(self, net, lr):
            super().__init__(net, lr)
    assert check("11.3", MyAdam).passed

    class Stub:
        def __init__(self, net, lr):
            raise NotImplementedError
    assert not check("11.3", Stub).attempted


def test_11_4_residual_block_against_finite_differences():
    rng = np.random.default_rng(7)
    x, b, g = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3)
    W = rng.normal(size=(3, 3))

    def block_cost():                     # C = g . a has dC/da = g
        return g @ (x + np.tanh(W @ x + b))

    dx, dW, db = chapter11.residual_backward(x, W, b, g)
    for array, gradient in ((x, dx), (W, dW), (b, db)):
        assert bp.relative_error(bp.numerical_gradient(block_cost, array), gradient) < 1e-8
    # a saturated block still passes the gradient on
    dx_big = chapter11.residual_backward(x, 1000 * W, b, g)[0]
    assert bp.relative_error(dx_big, g) < 1e-6


def test_11_5_momentum_velocity():
    sp = pytest.importorskip("sympy")
    eta, mu, g = 0.1, 0.9, 2.0
    v, steps = 0.0, 0
    while abs(eta * v - eta * g / (1 - mu)) > 0.1 * eta * g / (1 - mu):
        v, steps = mu * v + g, steps + 1
        assert abs(v - (1 - mu ** steps) / (1 - mu) * g) < 1e-12
    assert steps == 22 and np.ceil(np.log(0.1) / np.log(0.9)) == 22
    v = 0.0
    for t in range(300):
        v = mu * v + (-1) ** t * g
    assert abs(abs(eta * v) - eta * g / (1 + mu)) < 1e-12
    # the reference is the geometric sum g (1 + mu + ... + mu^(t-1)), by sympy
    s = get("11.5").symbols()
    k = sp.Symbol("k", integer=True)
    for t in range(1, 8):
        total = sp.summation(s["mu"] ** k, (k, 0, t - 1)) * s["g"]
        assert sp.simplify(get("11.5").reference.subs(s["t"], t) - total) == 0


def test_11_6_batchnorm_backward_is_the_gradient_of_the_forward_pass():
    rng = np.random.default_rng(11)
    for N, n, eps in ((6, 4, 1e-5), (3, 2, 1e-3), (10, 5, 0.0)):
        X, gamma, beta = rng.normal(1.0, 2.0, size=(N, n)), rng.normal(size=n), rng.normal(size=n)
        R = rng.normal(size=(N, n))

        def cost():
            return float(np.sum(R * (gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps)
                                     + beta)))

        for grad, param in zip(chapter11.batchnorm_backward(R, X, gamma, eps), (X, gamma, beta)):
            assert bp.relative_error(grad, bp.numerical_gradient(cost, param)) < 1e-7


def test_11_6_the_solution_in_the_chapter_passes_its_check():
    import json
    import re
    from pathlib import Path
    cells = json.loads((Path(__file__).resolve().parent.parent / "book" / "11_where_next.ipynb")
                       .read_text(encoding="utf-8"))["cells"]
    solution = next("".join(c["source"]) for c in cells if c.get("id") == "exercise-6-solution")
    code = re.search(r"```python\n(.*?)```", solution, re.S).group(1)
    namespace = {"np": np}
    exec(code, namespace)
    assert check("11.6", namespace["my_batchnorm_backward"]).passed
