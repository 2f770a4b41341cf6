"""The solutions of the exercises of chapters 1-4, checked.

The exercises' folded reference cells used to assert these claims in the notebooks;
now the notebooks keep only the learner's answer cells, and the claims the solutions
state are checked here: the sympy identities, the numbers the solutions quote, the
agreement of each reference (``get(id).reference``) with ``bp`` and with the loop the
solution writes out.
"""
import warnings

import numpy as np
import pytest

import bp
from bp.exercises import check, get
from bp.exercises import chapter01, chapter02, chapter03, chapter04

sp = pytest.importorskip("sympy")


# ---------------------------------------------------------------- chapter 1

def test_01_1_the_relu_neuron_by_bp():
    neuron = bp.Dense(3, 1, init="zeros")
    neuron.params["W"][:] = [1.0, -2.0, 0.5]
    neuron.params["b"][:] = -1.0
    out = bp.ReLU().forward(neuron.forward(np.array([[2.0, 0.5, 4.0], [0.0, 1.0, 0.0]])))
    assert np.allclose(out.ravel(), [2.0, 0.0])
    assert np.allclose(get("01.1").reference, out.ravel())


def test_01_2_parameter_counts_by_bp():
    counts = [bp.RNN(10, 20, rng=0).n_params, bp.Conv2D(3, 16, 5, rng=0).n_params]  # as quoted
    assert counts == [620, 1216] == list(get("01.2").reference)


def test_01_4_two_affine_layers_are_one_by_sympy_and_bp():
    from bp.symbolic import matrices_equal, symbol_matrix
    n0, n1, n2 = 2, 3, 4                         # all different: a wrong shape cannot hide
    W1, b1 = symbol_matrix("w1", n1, n0), symbol_matrix("b1", n1, 1)
    W2, b2 = symbol_matrix("w2", n2, n1), symbol_matrix("b2", n2, 1)
    x = symbol_matrix("x", n0, 1)
    one_layer = (W2 * W1) * x + (W2 * b1 + b2)
    assert matrices_equal(W2 * (W1 * x + b1) + b2, one_layer) and one_layer.shape == (n2, 1)

    rng = np.random.default_rng(7)
    layer1, layer2 = bp.Dense(n0, n1, rng=rng), bp.Dense(n1, n2, rng=rng)
    W, b = get("01.4").reference(layer1.params["W"], layer1.params["b"],
                                 layer2.params["W"], layer2.params["b"])
    merged = bp.Dense(n0, n2, init="zeros")
    merged.params["W"][:], merged.params["b"][:] = W, b
    X = rng.normal(size=(5, n0))
    assert np.allclose(bp.Sequential([layer1, layer2]).forward(X), merged.forward(X))


def test_01_4_a_relu_between_breaks_it():
    with_relu = bp.Sequential([bp.Dense(1, 1, init="zeros"), bp.ReLU(), bp.Dense(1, 1, init="zeros")])
    for layer in (with_relu.layers[0], with_relu.layers[2]):
        layer.params["W"][:] = 1.0
    out = with_relu.forward(np.array([[-2.0], [-1.0], [1.0], [2.0]])).ravel()
    assert (out[1] - out[0], out[3] - out[2]) == (0.0, 1.0)      # two slopes: not affine


def slide_kernel(image, kernel):
    """The solution's loop, as printed in chapter 1."""
    kh, kw = kernel.shape
    H_out, W_out = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    result = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            result[i, j] = np.sum(kernel * image[i:i + kh, j:j + kw])
    return result


def test_01_5_the_solution_loop_equals_bp_conv2d():
    assert check("01.5", slide_kernel).passed
    reference = get("01.5").reference
    edge_map = reference(chapter01.SEVEN, chapter01.EDGE_KERNEL)
    by_hand = np.array([[np.sum(chapter01.EDGE_KERNEL * chapter01.SEVEN[i:i + 3, j:j + 3])
                         for j in range(4)] for i in range(4)])
    assert np.array_equal(slide_kernel(chapter01.SEVEN, chapter01.EDGE_KERNEL), edge_map)
    assert np.array_equal(edge_map, by_hand)
    rng = np.random.default_rng(8)
    image, kernel = rng.normal(size=(7, 5)), rng.normal(size=(3, 2))
    assert reference(image, kernel).shape == (5, 4)
    assert np.allclose(slide_kernel(image, kernel), reference(image, kernel), rtol=0, atol=1e-12)


def test_01_6_the_unrolled_states_are_bp_rnns():
    rnn = bp.RNN(1, 1, rng=np.random.default_rng(9))
    rnn.params["W_xh"][:], rnn.params["W_hh"][:], rnn.params["b"][:] = 1.0, 0.5, 0.0
    states = rnn.forward(np.array([1.0, 0.0, 0.0]).reshape(1, 3, 1)).ravel()
    assert np.allclose(states, get("01.6").reference, rtol=0, atol=1e-12)
    assert np.allclose(states, [0.762, 0.363, 0.180], rtol=0, atol=5e-4)    # the solution's
    # "with h1 rounded to 0.762 first, h2 comes out as 0.364"
    assert round(float(np.tanh(0.5 * 0.762)), 3) == 0.364
    assert check("01.6", [0.762, 0.363, 0.180]).passed


# ---------------------------------------------------------------- chapter 2

def test_02_1_sympy_solves_for_the_least_squares_weight():
    w = sp.Symbol("w", real=True)
    xs, ys = sp.symbols("x1:4", real=True), sp.symbols("y1:4", real=True)
    cost = sum((w * x - y) ** 2 for x, y in zip(xs, ys)) / 3
    w_star = sp.solve(sp.Eq(sp.diff(cost, w), 0), w)[0]
    assert sp.simplify(w_star - get("02.1").reference) == 0
    assert check("02.1", w_star).passed


def chapter_2_data():
    rng = np.random.default_rng(0)
    x_data = rng.uniform(-1, 1, size=20)
    y_data = 2.0 * x_data + 0.2 * rng.normal(size=20)
    y_data2 = 2.0 * x_data - 1.0 + 0.2 * rng.normal(size=20)
    return x_data, y_data, y_data2


def test_02_2_eta_2_zigzags_and_converges():
    x_data, y_data, _ = chapter_2_data()
    assert np.array_equal(x_data, chapter02.chapter_data())
    curvature = 2 * np.mean(x_data ** 2)
    factor, rate = get("02.2").reference
    assert round(curvature, 2) == 0.83 and round(factor, 2) == -0.66 and round(rate, 2) == 2.42
    assert -1 < factor < 0                                  # zig-zag, but converging
    w = -1.0
    for _ in range(100):
        w -= 2.0 * 2 * np.mean((w * x_data - y_data) * x_data)
    assert abs(w - np.sum(x_data * y_data) / np.sum(x_data ** 2)) < 1e-6
    for scale, far in ((1.1, True), (0.95, False)):         # just above the rate, just below
        w = -1.0
        for _ in range(100):
            w -= scale * rate * 2 * np.mean((w * x_data - y_data) * x_data)
        assert (abs(w) > 1e6) == far


def test_02_4_bp_follows_the_hand_written_path():
    x_data, _, y_data2 = chapter_2_data()

    def gradient2(w, b):
        residual = w * x_data + b - y_data2
        return np.array([2 * np.mean(residual * x_data), 2 * np.mean(residual)])

    theta, path2 = np.array([-1.0, 1.5]), []
    for _ in range(40):
        path2.append(theta.copy())
        theta = theta - 0.3 * gradient2(*theta)
    by_bp = get("02.4").reference(x_data, y_data2, -1.0, 1.5, 0.3, 40)
    assert np.allclose(by_bp, path2, rtol=1e-12, atol=1e-14)
    assert np.allclose(chapter02._descent(x_data, y_data2, -1.0, 1.5, 0.3, 40), path2,
                       rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- chapter 3

def moons():
    return bp.datasets.moons(100, np.random.default_rng(0), noise=0.15)


def xavier_weights():
    init_rng = np.random.default_rng(1)
    W1 = init_rng.normal(0, np.sqrt(2 / (2 + 8)), size=(8, 2))
    W2 = init_rng.normal(0, np.sqrt(2 / (8 + 2)), size=(2, 8))
    return W1, np.zeros(8), W2, np.zeros(2)


def test_03_1_the_first_step_with_W2_zero():
    X, y = moons()
    init_rng = np.random.default_rng(1)
    model = bp.Sequential([bp.Dense(2, 8, rng=init_rng, init="xavier"), bp.Tanh(),
                           bp.Dense(8, 2, init="zeros")])
    loss = bp.CrossEntropyLoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    largest = {name: np.abs(layer.grads[key]).max() for name, _, layer, key in model.named_parameters()}
    assert largest["0.W"] == largest["0.b"] == 0          # exactly: Delta^1 = 0 because W^2 = 0
    assert largest["2.W"] > 0.01                          # A^1 != 0: the output weights learn
    assert largest["2.b"] < 1e-15                         # zero up to rounding: balanced classes
    zero = [float(largest[name] < 1e-12) for name in ("0.W", "0.b", "2.W", "2.b")]
    assert check("03.1", zero).passed
    run = bp.fit(model, loss, X, y, bp.SGD(model, 1.0), epochs=1000)
    assert len(np.unique(model.layers[0].params["W"].round(12), axis=0)) == 8
    assert run.accuracy[-1] == 1.0


def test_03_2_sympy_variance_relu_moments_and_the_numbers():
    from sympy.stats import E as expected, Normal
    s, t = sp.symbols("s t", positive=True)
    mu = sp.Symbol("mu", real=True)
    ws = [Normal(f"w{k}", 0, s) for k in range(3)]
    inputs = [Normal(f"a{k}", mu, t) for k in range(3)]
    z_sum = sum(w_k * a_k for w_k, a_k in zip(ws, inputs))
    var_z = sp.simplify(expected(sp.expand(z_sum ** 2)) - expected(z_sum) ** 2)
    assert sp.simplify(var_z - 3 * s ** 2 * (mu ** 2 + t ** 2)) == 0   # n_in Var(w) E[a^2]

    z = sp.Symbol("z", real=True)
    density = sp.exp(-z ** 2 / 2) / sp.sqrt(2 * sp.pi)
    second_moment = sp.integrate(z ** 2 * density, (z, 0, sp.oo))
    mean_relu = sp.integrate(z * density, (z, 0, sp.oo))
    assert second_moment == sp.Rational(1, 2)
    assert sp.simplify(mean_relu - 1 / sp.sqrt(2 * sp.pi)) == 0
    assert sp.simplify(second_moment - mean_relu ** 2 - (sp.Rational(1, 2) - 1 / (2 * sp.pi))) == 0

    xavier, he = get("03.2").reference
    assert (round(xavier, 4), round(he, 4)) == (0.0439, 0.0505)          # the solution's (c)
    rng = np.random.default_rng(2)
    assert abs(bp.init.xavier(256, 784, rng).std() / xavier - 1) < 0.02
    assert abs(bp.init.he(256, 784, rng).std() / he - 1) < 0.02


def test_03_3_sympy_expands_both_differences():
    theta, h = sp.symbols("theta epsilon", real=True)
    one_sided = (sp.sin(theta + h) - sp.sin(theta)) / h - sp.cos(theta)
    centred = (sp.sin(theta + h) - sp.sin(theta - h)) / (2 * h) - sp.cos(theta)
    assert sp.simplify(sp.series(one_sided, h, 0, 2).removeO() + h * sp.sin(theta) / 2) == 0
    leading = sp.series(centred, h, 0, 3).removeO()
    assert sp.simplify(leading + h ** 2 * sp.cos(theta) / 6) == 0
    assert check("03.3", leading).passed

    eps, x0 = 1e-6, 1.0
    one_sided_error = abs((np.sin(x0 + eps) - np.sin(x0)) / eps - np.cos(x0))
    centred_error = abs((np.sin(x0 + eps) - np.sin(x0 - eps)) / (2 * eps) - np.cos(x0))
    assert 1e-7 < one_sided_error < 1e-6 and centred_error < 1e-9


def test_03_4_the_solution_loop_is_bp_fit_on_the_moons():
    X, y = moons()
    W1, b1, W2, b2 = xavier_weights()
    losses, *weights = chapter03._minibatch_loop(X, y, W1, b1, W2, b2, 1.0, 100, 32, 2)
    net = bp.Sequential([bp.Dense(2, 8, rng=np.random.default_rng(1), init="xavier"), bp.Tanh(),
                         bp.Dense(8, 2, rng=np.random.default_rng(1), init="xavier")])
    net.load_state_dict({"0.W": W1, "0.b": b1, "2.W": W2, "2.b": b2})
    run = bp.fit(net, bp.CrossEntropyLoss(), X, y, bp.SGD(net, lr=1.0), epochs=100,
                 batch_size=32, rng=np.random.default_rng(2))
    assert np.allclose(losses, run.loss, rtol=1e-12, atol=0)
    for mine, name in zip(weights, ("0.W", "0.b", "2.W", "2.b")):
        assert bp.relative_error(mine, net.state_dict()[name]) < 1e-12
    reference = get("03.4").reference(X, y, W1, b1, W2, b2, 1.0, 100, 32, 2)
    assert np.allclose(reference[0], run.loss, rtol=1e-12, atol=0)
    assert check("03.4", chapter03._minibatch_loop).passed


def test_03_5_a_missing_1_over_N_in_gradcheck_and_in_training():
    check_rng = np.random.default_rng(6)
    checked = bp.Sequential([bp.Dense(3, 5, rng=check_rng), bp.Tanh(), bp.Dense(5, 4, rng=check_rng),
                             bp.Sigmoid(), bp.Dense(4, 2, rng=check_rng)])
    X_check = check_rng.normal(size=(6, 3))
    y_check = check_rng.integers(0, 2, size=6)

    class ForgetfulLoss(bp.CrossEntropyLoss):
        def backward(self):
            return super().backward() * len(y_check)        # wrong: the 1/N is undone

    bad = bp.gradcheck(checked, ForgetfulLoss(), X_check, y_check)
    assert all(abs(err - 5 / 7) < 1e-6 for err in bad.errors.values())
    assert check("03.5", bad.errors["0.W"]).passed

    # (c): the wrong loop at eta / N trains exactly as the right one at eta
    X, y = moons()
    N, Y = len(X), np.eye(2)[y]

    def losses(eta, forget_N, epochs=1000):
        W1, b1, W2, b2 = xavier_weights()
        out = []
        for _ in range(epochs):
            A1 = np.tanh(X @ W1.T + b1)
            P = chapter03._softmax(A1 @ W2.T + b2)
            out.append(-np.mean(np.log(P[np.arange(N), y])))
            dZ2 = (P - Y) if forget_N else (P - Y) / N
            dZ1 = (dZ2 @ W2) * (1 - A1 ** 2)
            W2 -= eta * dZ2.T @ A1; b2 -= eta * dZ2.sum(axis=0)
            W1 -= eta * dZ1.T @ X; b1 -= eta * dZ1.sum(axis=0)
        return np.array(out)

    assert np.allclose(losses(1.0 / N, True), losses(1.0, False), rtol=1e-10, atol=0)


# ---------------------------------------------------------------- chapter 4

def chapter_4_net():
    net = bp.Sequential([bp.Dense(2, 3, rng=np.random.default_rng(1)), bp.Sigmoid(),
                         bp.Dense(3, 1, rng=np.random.default_rng(2))])
    net.load_state_dict({"0.W": chapter04.W1, "0.b": chapter04.B1,
                         "2.W": chapter04.W2, "2.b": chapter04.B2})
    return net


def test_04_1_by_hand_equals_bp():
    out = chapter_4_net().forward(np.zeros((1, 2)))[0, 0]
    assert np.isclose(out, get("04.1").reference, rtol=0, atol=1e-12)
    assert round(out, 3) == 0.390                                   # the solution's number
    assert check("04.1", 0.390).passed


def test_04_2_the_formula_equals_bp():
    sizes = [784, 128, 64, 10]
    layers = []
    for n_prev, n in zip(sizes[:-1], sizes[1:]):
        layers += [bp.Dense(n_prev, n, rng=np.random.default_rng(0)), bp.ReLU()]
    formula = sum(n * (n_prev + 1) for n_prev, n in zip(sizes[:-1], sizes[1:]))
    assert formula == bp.Sequential(layers[:-1]).n_params == 109_386 == get("04.2").reference(sizes)
    assert check("04.2", lambda s: sum(n * (m + 1) for m, n in zip(s[:-1], s[1:]))).passed


def test_04_3_sigmoid_is_a_shifted_tanh_and_the_networks_agree():
    z = sp.Symbol("z", real=True)
    assert sp.simplify((1 / (1 + sp.exp(-z)) - (1 + sp.tanh(z / 2)) / 2).rewrite(sp.exp)) == 0
    W1, b1, W2, b2 = get("04.3").reference(chapter04.W1, chapter04.B1, chapter04.W2, chapter04.B2)
    tanh_net = bp.Sequential([bp.Dense(2, 3, init="zeros"), bp.Tanh(), bp.Dense(3, 1, init="zeros")])
    tanh_net.load_state_dict({"0.W": W1, "0.b": b1, "2.W": W2, "2.b": b2})
    X = np.random.default_rng(3).normal(size=(100, 2))
    assert np.allclose(tanh_net.forward(X), chapter_4_net().forward(X), rtol=1e-12, atol=1e-12)
    # with several outputs too
    rng = np.random.default_rng(4)
    weights = (rng.normal(size=(5, 4)), rng.normal(size=5), rng.normal(size=(3, 5)), rng.normal(size=3))
    sigmoid_net = bp.Sequential([bp.Dense(4, 5, init="zeros"), bp.Sigmoid(), bp.Dense(5, 3, init="zeros")])
    sigmoid_net.load_state_dict(dict(zip(("0.W", "0.b", "2.W", "2.b"), weights)))
    tanh_net = bp.Sequential([bp.Dense(4, 5, init="zeros"), bp.Tanh(), bp.Dense(5, 3, init="zeros")])
    tanh_net.load_state_dict(dict(zip(("0.W", "0.b", "2.W", "2.b"), get("04.3").reference(*weights))))
    X = rng.normal(size=(20, 4))
    assert np.allclose(tanh_net.forward(X), sigmoid_net.forward(X), rtol=1e-12, atol=1e-12)


def test_04_5_the_solution_loop_equals_bp_sequential():
    def forward(X, weights, biases):
        A = X
        for l, (W, b) in enumerate(zip(weights, biases), start=1):
            Z = A @ W.T + b
            A = Z if l == len(weights) else np.maximum(Z, 0)
        return A

    layers = []
    for n_prev, n in zip([784, 128, 64], [128, 64, 10]):
        layers += [bp.Dense(n_prev, n, rng=np.random.default_rng(0)), bp.ReLU()]
    deep = bp.Sequential(layers[:-1])
    dense = [layer for layer in deep.layers if isinstance(layer, bp.Dense)]
    X = np.random.default_rng(5).normal(size=(5, 784))
    weights, biases = [d.params["W"] for d in dense], [d.params["b"] for d in dense]
    mine = forward(X, weights, biases)
    assert mine.shape == (5, 10)
    assert np.allclose(mine, deep.forward(X), rtol=1e-12, atol=1e-12)
    assert np.allclose(get("04.5").reference(X, weights, biases), mine, rtol=1e-12, atol=1e-12)
    assert check("04.5", forward).passed


# ---------------------------------------------------------------- the mistakes' variants

@pytest.mark.parametrize("exercise_id", ["01.4", "01.5", "02.4", "03.4", "04.3", "04.5"])
def test_the_mistake_variants_differ_from_the_reference_on_the_first_case(exercise_id):
    """A named mistake that agreed with the reference on the first case would never be
    named there: each must differ on the first case, where most wrong answers fail."""
    exercise = get(exercise_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        label, args = exercise.cases(np.random.default_rng(20261207))[0]
        right, _, _ = exercise.run(exercise.reference, args)
        for mistake in exercise.mistakes:
            wrong, problem, _ = exercise.run(mistake.variant, args)
            assert problem is None, (mistake.name, problem)
            assert any(w.shape != r.shape or not np.allclose(w, r) for w, r in zip(wrong, right)), \
                mistake.name
