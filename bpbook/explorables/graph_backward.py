"""The backward pass through a small computational graph, one node at a time.

Chapter "Backpropagation on a computational graph": the expression
f = max(x y + z, 0) * y, built from bp.autodiff.Value gates. It has a multiply
(q = x y), an add (s = q + z), a max (m = max(s, 0), Value.relu), a second multiply
(f = m y), and a fan-out: y is used twice, so its gradient is the sum of two shares.
The page (graph_backward.js) visits f, m, s, q in reverse topological order, one per
"Next", and applies each gate's local derivatives; bp does the same here, calling the
Values' own backward steps in that order, and checks the end result against
Value.backward().
"""
from bp.autodiff import Value

TITLE = "Explorable: gradients flowing back through a graph, node by node"
START = {"x": 3.0, "y": -2.0, "z": 8.0}
LEAF_RANGE = {"x": {"min": -4.0, "max": 4.0, "step": 0.1},
              "y": {"min": -4.0, "max": 4.0, "step": 0.1},
              "z": {"min": -10.0, "max": 10.0, "step": 0.1}}
ORDER = ["x", "y", "z", "q", "s", "m", "f"]        # a topological order: inputs before uses
VISITS = ["f", "m", "s", "q"]                      # the backward pass: the gates, output first
LAST_STEP = 1 + len(VISITS)                        # step 1 seeds df/df = 1; steps 2-5 visit a gate
# the nodes whose gradient is known (at least in part) after each step
REACHED = {0: set(), 1: {"f"}, 2: {"f", "m", "y"}, 3: {"f", "m", "y", "s"},
           4: {"f", "m", "y", "s", "q", "z"}, 5: set(ORDER)}


def graph(x, y, z):
    """The expression as bp.autodiff Values: name -> Value."""
    nodes = {"x": Value(x), "y": Value(y), "z": Value(z)}
    nodes["q"] = nodes["x"] * nodes["y"]           # multiply
    nodes["s"] = nodes["q"] + nodes["z"]           # add
    nodes["m"] = nodes["s"].relu()                 # max(s, 0)
    nodes["f"] = nodes["m"] * nodes["y"]           # multiply; y is used a second time here
    return nodes


def stepped(x, y, z, step):
    """bp's numbers after `step` steps: values, and gradients (None where not reached)."""
    step = max(0, min(LAST_STEP, step))
    nodes = graph(x, y, z)
    if step >= 1:
        nodes["f"].grad = 1.0                      # df/df = 1
    for name in VISITS[:max(0, step - 1)]:
        nodes[name]._backward()                    # the gate passes its gradient on (+=)
    if step == LAST_STEP:                          # the same as one call of backward()
        full = graph(x, y, z)
        full["f"].backward()
        assert all(full[n].grad == nodes[n].grad for n in ORDER)
    return {"step": step, "nodes": ORDER, "value": [nodes[n].data for n in ORDER],
            "grad": [nodes[n].grad if n in REACHED[step] else None for n in ORDER]}


def page_data():
    return {"start": START, "range": LEAF_RANGE, "order": ORDER, "last": LAST_STEP}


def describe():
    r = stepped(**START, step=LAST_STEP)
    v, g = dict(zip(ORDER, r["value"])), dict(zip(ORDER, r["grad"]))
    share_f, share_q = v["m"], v["x"] * g["q"]
    return (f"f = max(x y + z, 0) y at x = {START['x']:g}, y = {START['y']:g}, z = {START['z']:g}: "
            f"forward q = x y = {v['q']:g}, s = q + z = {v['s']:g}, m = max(s, 0) = {v['m']:g}, "
            f"f = m y = {v['f']:g}. Backward from df/df = 1: multiply swaps (df/dm = y = {g['m']:g}), "
            f"max routes (s > 0, df/ds = {g['s']:g}), add distributes (df/dq = df/dz = {g['q']:g}), "
            f"multiply swaps again (df/dx = {g['x']:g}); y is used twice, so its two shares add: "
            f"df/dy = {share_f:g} + ({share_q:g}) = {g['y']:g}.")


# where the nodes sit, as fractions of the drawing's width and height (the page uses the same)
LAYOUT = {"y": (0.07, 0.22), "x": (0.07, 0.55), "z": (0.07, 0.86), "q": (0.3, 0.42),
          "s": (0.5, 0.7), "m": (0.7, 0.42), "f": (0.91, 0.7)}
LABEL = {"x": "x", "y": "y", "z": "z", "q": "×", "s": "+", "m": "max", "f": "×"}
EDGES = [("x", "q"), ("y", "q"), ("q", "s"), ("z", "s"), ("s", "m"), ("m", "f"), ("y", "f")]


def static_figure():
    import matplotlib.pyplot as plt
    r = stepped(**START, step=LAST_STEP)
    v, g = dict(zip(ORDER, r["value"])), dict(zip(ORDER, r["grad"]))
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    W, H = 5.2, 3.4
    pos = {n: (fx * W, (1 - fy) * H) for n, (fx, fy) in LAYOUT.items()}
    for a, b in EDGES:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        if (a, b) == ("y", "f"):                   # the fan-out's second edge, along the top
            ax.plot([x0, x1, x1], [y0 + 0.0, y0, y1], color="0.5", lw=1, zorder=1)
        else:
            ax.plot([x0, x1], [y0, y1], color="0.5", lw=1, zorder=1)
    for n, (x0, y0) in pos.items():
        leaf = n in "xyz"
        ax.text(x0, y0, LABEL[n], ha="center", va="center", fontsize=10, zorder=3,
                bbox=dict(fc="white", ec="black", boxstyle="round,pad=0.3" if leaf else "circle,pad=0.2"))
        ax.text(x0, y0 + 0.3, f"{n} = {v[n]:g}", color="#1e7b34", ha="center", fontsize=9)
        ax.text(x0, y0 - 0.33, f"g = {g[n]:g}", color="#b03a2e", ha="center", va="top", fontsize=9)
    ax.set(xlim=(-0.1, W + 0.1), ylim=(0, H))
    ax.axis("off")
    ax.set_title("f = max(xy + z, 0) y: values (green), gradients df/d· (red)", fontsize=10)
    return fig


def reference():
    """The browser test's cases (run one after another on the same page)."""
    def case(actions, step, x, y, z):
        return {"actions": actions, "result": stepped(x, y, z, step)}
    fill = lambda name, v: ["fill", name, f"{v:g}"]      # noqa: E731
    return [
        case([["click", "reset", 1], fill("x", 3), fill("y", -2), fill("z", 8), ["click", "next", 2]],
             2, 3.0, -2.0, 8.0),
        case([["click", "next", 3]], 5, 3.0, -2.0, 8.0),
        case([fill("z", -7)], 5, 3.0, -2.0, -7.0),
        case([["click", "back", 2], fill("y", 1.5), fill("z", 1)], 3, 3.0, 1.5, 1.0),
        case([["click", "reset", 1], ["click", "next", 4], fill("x", 1.2)], 4, 1.2, 1.5, 1.0),
        case([["click", "next", 7], fill("y", 2.6)], 5, 1.2, 2.6, 1.0),
    ]
