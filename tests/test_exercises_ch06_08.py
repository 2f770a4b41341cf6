"""The exercises of chapters 6, 7 and 8: the claims their solutions state, once asserted by
folded cells in the notebooks, and independent confirmations of the references that
bp.exercises checks answers against (sympy derivations, bp's layers, the explorer's runs).

The generic checks (every reference passes, every named mistake is named...) are in
test_exercises.py; here are the chapters' own numbers.
"""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import bp
from bp.autodiff import Value, graph_size
from bp.exercises import check, get
from bp.exercises import chapter06, chapter07, chapter08

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- chapter 6


def composed_sigmoid(v):
    """The chapter's five-operation sigmoid."""
    return 1 / (1 + (-v).exp())


def test_06_1_the_division_gate_at_3_and_minus_2():
    a, b = Value(3.0), Value(-2.0)
    (a / b).backward()
    assert a.grad == 1 / -2.0 == -0.5
    assert b.grad == -3.0 / (-2.0) ** 2 == -0.75
    assert chapter06.division_backward(3.0, -2.0, 1.0) == (-0.5, -0.75)


def test_06_1_the_reference_is_the_chain_rule_through_value_and_sympy():
    a_s, b_s = sp.symbols("a b", real=True)
    assert sp.diff(a_s / b_s, a_s) == 1 / b_s
    assert sp.simplify(sp.diff(a_s / b_s, b_s) + a_s / b_s ** 2) == 0
    rng = np.random.default_rng(3)
    for a, b, g in zip(rng.normal(size=6), rng.uniform(0.5, 2, size=6) * [-1, 1, -1, 1, 1, -1],
                       rng.normal(size=6)):
        va, vb = Value(a), Value(b)
        ((va / vb) * g).backward()           # the gradient g arrives at q
        grad_a, grad_b = chapter06.division_backward(a, b, g)
        assert abs(va.grad - grad_a) < 1e-12 and abs(vb.grad - grad_b) < 1e-12


def test_06_2_one_node_gives_the_five_operations_gradient_with_2_nodes_instead_of_9():
    v1, v2 = Value(0.8), Value(0.8)
    fused, composed = chapter06.sigmoid_gate(v1), composed_sigmoid(v2)
    fused.backward()
    composed.backward()
    assert abs(v1.grad - v2.grad) < 1e-15 and abs(fused.data - composed.data) < 1e-15
    assert graph_size(fused) == 2 and graph_size(composed) == 9
    assert f"{v1.grad:.6f}" == "0.213910"
    # the composed version is refused for its size, not for its numbers
    result = check("06.2", composed_sigmoid)
    assert not result.passed and "9 nodes" in result.message


def test_06_2_the_fork_in_the_checkers_graph_catches_an_overwriting_gate():
    def overwriting_gate(v):
        s = 1 / (1 + math.exp(-v.data))
        out = Value(s, (v,), "sigmoid")

        def _backward():
            v.grad = s * (1 - s) * out.grad        # = where += belongs
        out._backward = _backward
        return out
    result = check("06.2", overwriting_gate)
    assert not result.passed and "overwrites v.grad" in result.message
    assert check("06.2", chapter06.sigmoid_gate).passed


def test_06_3_the_input_gradient_of_the_2_3_1_network_of_values():
    W1 = [[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]]     # the chapter's network
    b1, W2, b2 = [0.1, 0.0, -0.2], [[1.0, -1.5, 0.7]], [0.3]
    x_in, target = [1.0, -2.0], 1.0
    xs = [Value(v) for v in x_in]
    hidden = [composed_sigmoid(sum((Value(w) * x for w, x in zip(row, xs)), Value(b)))
              for row, b in zip(W1, b1)]
    output = sum((Value(w) * h for w, h in zip(W2[0], hidden)), Value(b2[0]))
    ((output - target) ** 2).backward()

    net = bp.Sequential([bp.Dense(2, 3, init="zeros"), bp.Sigmoid(), bp.Dense(3, 1, init="zeros")])
    net.load_state_dict({"0.W": np.array(W1), "0.b": np.array(b1),
                         "2.W": np.array(W2), "2.b": np.array(b2)})
    loss = bp.MSELoss()
    loss.forward(net.forward(np.array([x_in])), np.array([[target]]))
    delta1 = net.layers[1].backward(net.layers[2].backward(loss.backward()))
    by_graph = np.array([[x.grad for x in xs]])
    assert abs(xs[0].grad - np.array(W1)[:, 0] @ delta1[0]) < 1e-12       # sum_j w1_j1 delta1_j
    assert bp.relative_error(chapter06.input_gradient(np.array(W1), delta1), by_graph) < 1e-12
    assert f"{xs[0].grad:.4f}" == "0.3409"


def my_train_values(W1, b1, W2, b2, x, target, lr, steps):
    """The solution of exercise 6.4 as the chapter writes it: new Values every step."""
    numbers = [np.array(a, dtype=float) for a in (W1, b1, W2, b2)]
    costs = []
    for _ in range(steps):
        W1v = [[Value(w) for w in row] for row in numbers[0]]
        b1v = [Value(b) for b in numbers[1]]
        W2v = [[Value(w) for w in row] for row in numbers[2]]
        b2v = [Value(b) for b in numbers[3]]
        hidden = [1 / (1 + (-(sum((w * a for w, a in zip(row, x)), bias))).exp())
                  for row, bias in zip(W1v, b1v)]
        output = sum((w * a for w, a in zip(W2v[0], hidden)), b2v[0])
        cost = (output - target) ** 2
        cost.backward()
        costs.append(cost.data)
        grads = [np.array([[v.grad for v in row] for row in W1v]), np.array([v.grad for v in b1v]),
                 np.array([[v.grad for v in row] for row in W2v]), np.array([v.grad for v in b2v])]
        numbers = [a - lr * g for a, g in zip(numbers, grads)]
    return np.array(costs), *numbers


def test_06_4_the_solution_in_the_chapter_passes_its_check():
    """The code in the folded solution, run with the chapter's own dense and sigmoid."""
    cells = json.loads((ROOT / "book" / "06_computational_graph.ipynb").read_text())["cells"]
    source = {c.get("id"): "".join(c["source"]) for c in cells}
    network_cell = next(s for s in source.values() if s.startswith("W1 = [[0.5, -0.3]"))
    helpers = "\n\n".join(re.findall(r"^def (?:dense|sigmoid)\(.*?(?=^\S)", network_cell + "\nEND",
                                       re.M | re.S))
    solution = re.search(r"```python\n(.*?)```", source["exercise-4-solution"], re.S).group(1)
    namespace = {"np": np, "Value": Value}
    exec(helpers + "\n\n" + solution, namespace)
    assert check("06.4", namespace["my_train_values"]).passed


def test_06_4_training_with_the_graph_is_training_with_bp_fit():
    assert check("06.4", my_train_values).passed
    book = ([[0.5, -0.3], [0.8, 0.2], [-0.4, 0.6]], [0.1, 0.0, -0.2], [[1.0, -1.5, 0.7]], [0.3])
    for lr in (0.1, 0.5):
        by_graph = my_train_values(*book, [1.0, -2.0], 1.0, lr, 50)
        by_fit = get("06.4").reference(*book, [1.0, -2.0], 1.0, lr, 50)
        for mine, theirs in zip(by_graph, by_fit):
            assert np.allclose(mine, theirs, rtol=1e-12, atol=1e-15)
    # the solution's claims: at 0.1 the cost falls at every step from 0.5332 (chapter 5's
    # worked pass) to below 0.001 after five steps; at 0.5 it first climbs above 3
    costs = my_train_values(*book, [1.0, -2.0], 1.0, 0.1, 20)[0]
    assert f"{costs[0]:.4f}" == "0.5332" and np.all(np.diff(costs[:10]) < 0) and costs[5] < 1e-3
    overshoot = my_train_values(*book, [1.0, -2.0], 1.0, 0.5, 50)[0]
    assert overshoot[:6].max() > 3 and overshoot[-1] < 1e-3


def test_06_4_keeping_the_values_between_steps_piles_the_gradients_up():
    """The mistake the check names: one set of Values reused, so .grad adds up."""
    def reused(W1, b1, W2, b2, x, target, lr, steps):
        W1v = [[Value(float(w)) for w in row] for row in W1]
        b1v = [Value(float(b)) for b in b1]
        W2v = [[Value(float(w)) for w in row] for row in W2]
        b2v = [Value(float(b)) for b in b2]
        leaves = [v for row in W1v for v in row] + b1v + [v for row in W2v for v in row] + b2v
        costs = []
        for _ in range(steps):
            hidden = [1 / (1 + (-(sum((w * a for w, a in zip(row, x)), bias))).exp())
                      for row, bias in zip(W1v, b1v)]
            cost = (sum((w * a for w, a in zip(W2v[0], hidden)), b2v[0]) - target) ** 2
            cost.backward()                  # no zeroing of the leaves' .grad
            costs.append(cost.data)
            for v in leaves:
                v.data -= lr * v.grad
        return (np.array(costs), np.array([[v.data for v in row] for row in W1v]),
                np.array([v.data for v in b1v]), np.array([[v.data for v in row] for row in W2v]),
                np.array([v.data for v in b2v]))
    result = check("06.4", reused)
    assert not result.passed and "pile up" in result.message


# ---------------------------------------------------------------- chapter 7


def test_07_1_one_step_at_a_sixth_divergence_above_a_third():
    w, eta = sp.symbols("w eta", real=True)
    step = w - eta * sp.diff(3 * w ** 2, w)
    assert sp.solve(step.subs(w, 1), eta) == [sp.Rational(1, 6)]
    assert sp.solve(sp.Eq(sp.Abs(sp.diff(step, w)), 1), eta) == [0, sp.Rational(1, 3)]
    assert get("07.1").reference == (1 / 6, 1 / 3)


def test_07_2_the_flat_direction_needs_361_steps_the_steep_one_66():
    def count(factor):
        w, steps = 1.0, 0
        while abs(w) > 1e-3:
            w, steps = w * factor, steps + 1
        return steps
    assert count(1 - 0.019 * 1) == 361 == get("07.2").reference
    assert 355 <= count(1 - 0.019 * 1) <= 365
    assert abs(math.log(1000) / -math.log(0.981) - 360) < 0.5            # "about 360"
    assert count(abs(1 - 0.019 * 100)) == 66                             # w1, a named mistake
    assert abs(1 - 0.019 * 100) ** 361 < 1e-16                           # |w1| by then: 3e-17
    assert round(1 / 0.019) == 53 and count(1 - 0.019 / 2) == 724         # the other mistakes


@pytest.fixture(scope="module")
def explorer_runs():
    """The final losses of the explorer's runs (full batch, seed 0), on the live slider's
    grid of twenty rates per decade up to 0.1, which holds the website's five."""
    from bpbook.widgets import CurveFitting, LearningRateExplorer, log_grid
    problem = CurveFitting()
    explorer_step = LearningRateExplorer.lr_step.default_value
    assert explorer_step == 0.05                                          # 20 rates per decade
    live = [float(r) for r in log_grid(1e-3, 0.1, per_decade=round(1 / explorer_step))]
    site = [float(r) for r in log_grid(1e-3, 10.0, per_decade=5) if r <= 0.1]
    assert set(site) <= set(live)
    losses = {}
    for epochs in (200, 1000):
        for lr in live:
            run = problem.train(lr, epochs=epochs, seed=0)
            losses[epochs, lr] = np.inf if run.diverged_at is not None else run.loss[-1]
    return losses, live, site


def test_07_4_the_smallest_rates_below_0_15_on_both_sliders(explorer_runs):
    losses, live, site = explorer_runs

    def smallest(grid, epochs):
        return next(lr for lr in grid if losses[epochs, lr] < 0.15)
    assert (smallest(site, 200), smallest(site, 1000)) == (chapter07.SITE_200, chapter07.SITE_1000)
    assert (smallest(live, 200), smallest(live, 1000)) == (chapter07.LIVE_200, chapter07.LIVE_1000)
    # the numbers the solution quotes
    assert f"{chapter07.SITE_200:.3g} {chapter07.SITE_1000:.3g}" == "0.0631 0.0158"
    assert f"{chapter07.LIVE_200:.3g} {chapter07.LIVE_1000:.3g}" == "0.0562 0.0112"
    assert f"{losses[200, chapter07.SITE_200]:.3f}" == "0.140"
    assert f"{losses[1000, chapter07.SITE_1000]:.3f}" == "0.130"
    below_200 = site[site.index(chapter07.SITE_200) - 1]
    below_1000 = site[site.index(chapter07.SITE_1000) - 1]
    assert f"{below_200:.3g} {losses[200, below_200]:.3f}" == "0.0398 0.177"
    assert f"{below_1000:.3g} {losses[1000, below_1000]:.3f}" == "0.01 0.154"
    assert round(chapter07.SITE_200 / chapter07.SITE_1000) == 4
    assert round(chapter07.LIVE_200 / chapter07.LIVE_1000) == 5
    # every rate between the two answers reaches the target too (check accepts them all)
    for epochs, low, high in ((200, chapter07.LIVE_200, chapter07.SITE_200),
                              (1000, chapter07.LIVE_1000, chapter07.SITE_1000)):
        assert all(losses[epochs, lr] < 0.15 for lr in live if low <= lr <= high)
    # the named mistakes: the 200-epoch rates kept at 1000 epochs, the rates just below
    assert losses[1000, chapter07.SITE_200] < 0.15 and losses[1000, chapter07.LIVE_200] < 0.15
    assert live[live.index(chapter07.LIVE_200) - 1] == 0.050118723363
    assert live[live.index(chapter07.LIVE_1000) - 1] == 0.01


def test_07_4_the_checker_takes_both_sliders_answers():
    for answer in [(0.0631, 0.0158), (0.0562, 0.0112), (chapter07.LIVE_200, chapter07.SITE_1000)]:
        assert check("07.4", answer).passed, answer
    assert not check("07.4", (0.0398, 0.0158)).passed


def test_07_5_the_best_rate_and_its_shrink_factor():
    lo, hi, kappa, rate = sp.symbols("lambda_min lambda_max kappa eta", positive=True)
    best = sp.solve(sp.Eq(1 - rate * lo, rate * hi - 1), rate)
    assert len(best) == 1 and sp.simplify(best[0] - 2 / (lo + hi)) == 0
    assert check("07.5", best[0]).passed
    shrink = sp.simplify((1 - best[0] * lo).subs(hi, kappa * lo))
    assert sp.simplify(shrink - (kappa - 1) / (kappa + 1)) == 0
    rates = np.linspace(0.001, 2 / 21, 200_001)       # every stable rate for curvatures 1 and 21
    slowest = np.maximum(np.abs(1 - rates * 1), np.abs(1 - rates * 21))
    assert abs(rates[np.argmin(slowest)] - 2 / 22) < 1e-6 and slowest.min() > 20 / 22 - 1e-6


def test_07_6_momentum_is_stable_exactly_below_2_1_plus_mu():
    s, z = sp.symbols("s z")                       # s = eta * lambda
    mu = sp.symbols("mu", nonnegative=True)
    p = z ** 2 - (1 + mu - s) * z + mu            # (eq-momentum-roots)
    assert sp.expand(p.subs(z, 1)) == s and sp.expand(p.subs(z, -1) - (2 * (1 + mu) - s)) == 0
    limit = sp.solve(p.subs(z, -1), s)
    assert len(limit) == 1 and check("07.6", limit[0]).passed
    for mu_value in (0.0, 0.5, 0.9):
        edge = 2 * (1 + mu_value)
        inside = [max(abs(np.roots([1, -(1 + mu_value - s_value), mu_value])))
                  for s_value in np.linspace(0.001, 0.999 * edge, 400)]
        beyond = max(abs(np.roots([1, -(1 + mu_value - 1.001 * edge), mu_value])))
        assert max(inside) < 1 < beyond


def standardised_regression():
    """The chapter's standardised regression: X_std, y_raw."""
    data_rng = np.random.default_rng(7)
    means, spreads = np.array([4.0, -2.0, 0.0]), np.array([2.0, 0.5, 0.1])
    X_raw = means + spreads * data_rng.normal(size=(100, 3))
    y_raw = X_raw @ np.array([[0.5], [-1.0], [3.0]]) + 1.0 + 0.1 * data_rng.normal(size=(100, 1))
    return (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0), y_raw


def test_07_7_the_reference_optimiser_follows_its_matrix_and_bps_nesterov():
    X_std, y_raw = standardised_regression()
    lr, mu, steps = 0.2, 0.5, 10

    def ten_steps(make_optimizer):
        model = bp.Sequential([bp.Dense(3, 1, init="zeros")])
        bp.fit(model, bp.MSELoss(), X_std, y_raw, make_optimizer(model), epochs=steps)
        return np.append(model.layers[0].params["W"], model.layers[0].params["b"])

    reference = get("07.7").optimizer
    theta = ten_steps(lambda model: reference(model, lr, momentum=mu))
    theta_bp = ten_steps(lambda model: bp.SGD(model, lr, momentum=mu, nesterov=True))
    assert bp.relative_error(theta, theta_bp) < 1e-14

    X1 = np.hstack([X_std, np.ones((len(X_std), 1))])
    lam, vec = np.linalg.eigh(2 / len(X1) * X1.T @ X1)
    star = np.linalg.lstsq(X1, y_raw, rcond=None)[0].ravel()

    def predicted_offset(matrix_of):
        c_start = vec.T @ (0 - star)
        return vec @ [(np.linalg.matrix_power(matrix_of(lam_i), steps) @ [c_i, 0.0])[0]
                      for lam_i, c_i in zip(lam, c_start)]

    def nesterov(lam_i):
        return np.array([[1 - lr * lam_i * (1 + mu), -lr * mu ** 2], [lam_i, mu]])

    def heavy_ball(lam_i):                            # (eq-momentum-matrix)
        return np.array([[1 - lr * lam_i, -lr * mu], [lam_i, mu]])

    assert bp.relative_error(theta - star, predicted_offset(nesterov)) < 1e-10
    assert bp.relative_error(theta - star, predicted_offset(heavy_ball)) > 1e-2


def test_07_7_the_checkers_runs_equal_bps_sgd_with_nesterov():
    exercise = get("07.7")
    for label, args in exercise.cases(np.random.default_rng(1)):
        def nesterov(net, lr, mu):
            return bp.SGD(net, lr, momentum=mu, nesterov=True)
        by_bp = chapter07.steps_with(nesterov, *args)
        for mine, theirs in zip(exercise.reference(*args), by_bp):
            assert bp.relative_error(mine, theirs) < 1e-13, label
    assert check("07.7", exercise.optimizer).passed
    # bp.SGD's heavy ball is the heavy-ball mistake
    class HeavyBall(bp.SGD):
        def __init__(self, net, lr, momentum):
            super().__init__(net, lr, momentum=momentum)
    heavy = check("07.7", HeavyBall)
    assert not heavy.passed and "heavy ball" in heavy.message


# ---------------------------------------------------------------- chapter 8


def count_multiply_adds(net):
    """The chapter's counter: wraps every Dense layer of net."""
    counter = {"multiply-adds": 0}
    for layer in net.layers:
        if not isinstance(layer, bp.Dense):
            continue
        forward, backward = layer.forward, layer.backward

        def counted_forward(A_prev, layer=layer, forward=forward):
            counter["multiply-adds"] += A_prev.shape[0] * layer.params["W"].size
            return forward(A_prev)

        def counted_backward(dZ, input_grad=True, layer=layer, backward=backward):
            counter["multiply-adds"] += (2 if input_grad else 1) * dZ.shape[0] * layer.params["W"].size
            return backward(dZ, input_grad)

        layer.forward, layer.backward = counted_forward, counted_backward
    return counter


def test_08_1_the_counts_for_h_64_and_n_32_and_the_ratio_2p_over_3():
    rng = np.random.default_rng(0)
    net = bp.Sequential([bp.Dense(10, 64, rng=rng), bp.Tanh(), bp.Dense(64, 5, rng=rng)])
    X, y = rng.normal(size=(32, 10)), rng.integers(0, 5, size=32)
    loss = bp.CrossEntropyLoss()
    counter = count_multiply_adds(net)
    net.forward(X)
    forward_count = counter["multiply-adds"]
    counter["multiply-adds"] = 0
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    backprop_count = counter["multiply-adds"]
    P, N = net.n_params, len(X)
    finite_count = 2 * P * forward_count
    assert P == 16 * 64 + 5 and forward_count == N * 15 * 64 and backprop_count == 3 * forward_count
    assert 0.9 < forward_count / (N * P) < 1
    assert finite_count / backprop_count == 2 * P / 3
    N_s, P_s = sp.symbols("N P", positive=True)
    assert check("08.1", (2 * N_s * P_s ** 2) / (3 * N_s * P_s)).passed    # 2 N P^2 / 3 N P


def test_08_3_eight_hidden_units_reach_about_0_92_against_0_96():
    data = bp.datasets.digits()
    accuracies = {}
    for hidden in (8, 32):
        rng = np.random.default_rng(0)
        net = bp.Sequential([bp.Dense(64, hidden, rng=rng), bp.ReLU(), bp.Dense(hidden, 10, rng=rng)])
        bp.fit(net, bp.CrossEntropyLoss(), data.X_train, data.y_train, bp.SGD(net, 0.1),
               epochs=30, batch_size=32, rng=rng, validation=(data.X_test, data.y_test))
        accuracies[hidden] = (bp.accuracy(net.forward(data.X_test), data.y_test),
                              bp.accuracy(net.forward(data.X_train), data.y_train))
    assert len(data.y_test) == 450
    assert abs(accuracies[8][0] - get("08.3").reference) <= 2 / 450      # 415 of 450
    assert f"{accuracies[8][0]:.2f} {accuracies[32][0]:.2f}" == "0.92 0.96"
    assert accuracies[8][0] < accuracies[32][0] - 0.01
    assert abs(accuracies[32][0] - 434 / 450) <= 2 / 450                  # the "32 units" mistake
    assert abs(accuracies[8][1] - 0.9562) < 0.003                         # the "training accuracy" one
    assert check("08.3", accuracies[8][0]).passed


def test_08_4_tanh_bumps_limits_and_the_identity():
    w, p, q = sp.symbols("w p q", positive=True)       # p, q > 0: distances from the edges
    z = sp.symbols("z", real=True)

    def sigma(t):
        return 1 / (1 + sp.exp(-t))

    def tanh_bump(left, right):
        return sp.tanh(w * left) - sp.tanh(w * right)
    assert sp.limit(tanh_bump(p, -q), w, sp.oo) == 2       # a < x < b
    assert sp.limit(tanh_bump(-p, -p - q), w, sp.oo) == 0  # x < a
    assert sp.limit(tanh_bump(p + q, p), w, sp.oo) == 0    # x > b
    assert sp.simplify((sp.tanh(z) - (2 * sigma(2 * z) - 1)).rewrite(sp.exp)) == 0
    reference = get("08.4").reference                  # in the exercise's own z (real)
    assert sp.simplify((sp.tanh(z) - reference).rewrite(sp.exp)) == 0
    assert not check("08.4", "tanh(z)").passed        # the identity must be written with sigma


def target(x):
    return np.sin(2 * np.pi * x) + 0.4 * np.sin(6 * np.pi * x)


def bump_network(edges, heights, steepness):
    k = len(heights)
    first = bp.Dense(1, 2 * k, init="zeros")
    first.params["W"][:, 0] = steepness
    first.params["b"][:] = -steepness * np.concatenate([edges[:-1], edges[1:]])
    second = bp.Dense(2 * k, 1, init="zeros")
    second.params["W"][0] = np.concatenate([heights, -heights])
    return bp.Sequential([first, bp.Sigmoid(), second])


def bumps_for(k):
    edges = np.linspace(0, 1, k + 1)
    heights = target((edges[:-1] + edges[1:]) / 2)
    edges[0], edges[-1] = -1 / k, 1 + 1 / k
    return edges, heights, 100 * k


def test_08_5_k_plus_1_units_compute_the_2k_unit_bump_network():
    edges, heights, w = bumps_for(10)
    first = bp.Dense(1, 11, init="zeros")
    first.params["W"][:, 0] = w
    first.params["b"][:] = -w * edges                  # one unit per edge
    second = bp.Dense(11, 1, init="zeros")
    second.params["W"][0] = chapter08.edge_weights(heights)
    shared = bp.Sequential([first, bp.Sigmoid(), second])
    x = np.linspace(0, 1, 2001)[:, None]
    assert np.abs(shared.forward(x) - bump_network(edges, heights, w).forward(x)).max() < 1e-12


def deep_sawtooth(k):
    layers = []
    for _ in range(k):
        first = bp.Dense(1, 2, init="zeros")
        first.params["W"][:, 0] = 1.0
        first.params["b"][:] = [0.0, -0.5]
        second = bp.Dense(2, 1, init="zeros")
        second.params["W"][0] = [2.0, -4.0]
        layers += [first, bp.ReLU(), second]
    return bp.Sequential(layers)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 6])
def test_08_6_one_layer_of_2_to_the_k_units_draws_the_sawtooth(k):
    n = 2 ** k
    first = bp.Dense(1, n, init="zeros")
    first.params["W"][:, 0] = 1.0
    first.params["b"][:] = -np.arange(n) / n              # kinks at j / 2^k
    second = bp.Dense(n, 1, init="zeros")
    second.params["W"][:] = chapter08.sawtooth_output_weights(k)
    shallow = bp.Sequential([first, bp.ReLU(), second])
    x_grid = np.arange(2 ** (k + 3) + 1)[:, None] / 2 ** (k + 3)
    assert np.array_equal(shallow.forward(x_grid), deep_sawtooth(k).forward(x_grid))
    if k == 5:
        assert shallow.n_params == 97 and deep_sawtooth(k).n_params == 35
