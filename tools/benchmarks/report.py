"""The benchmark's report: the table of goals, printed, and results.json.

bench.py writes results.json only; the book page "How fast is bp?"
(book/A_how_fast.ipynb) reads it. Nothing here edits a README: the method is
described once, in tools/benchmarks/README.md, and the figures live in one place.
"""
import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"

EPOCH_NETWORKS = {"digits_32": "64-32-10, batch 32, digits",
                  "digits_128": "64-128-10, batch 32, digits",
                  "synthetic_784": "784-256-10, batch 128, 60000 synthetic"}
TORCH_EPOCH_GOAL = {"digits_32": 0.5, "digits_128": 0.5, "synthetic_784": 1.2}
SKLEARN_EPOCH_GOAL = 0.8
CONV2D_GOAL = 1.5   # bp / PyTorch, Conv2D forward + backward
RNN_AIM = 2


def goal_row(key, figure, value, op, target, kind="goal", shown=None, goal=None):
    """One line of the table. op is "<=" or ">="; kind "goal" or "aim"; value None if aborted."""
    if value is None:
        met, shown = False, "aborted"
    else:
        met = value <= target if op == "<=" else value >= target
        shown = shown or f"{value:.2f}"
    return {"key": key, "figure": figure, "value": value, "shown": shown, "op": op, "target": target,
            "goal": goal or f"{op} {target:g}" + (" (aim)" if kind == "aim" else ""), "kind": kind,
            "met": bool(met)}


def goal_rows(results):
    """Every figure with its goal, from the measurements in `results`."""
    epochs, matmul, fd = results["epochs"], results["matmul"], results["finite_differences"]
    rows = []
    for key, label in EPOCH_NETWORKS.items():
        rows.append(goal_row(f"torch_{key}", f"bp / PyTorch epoch, {label}",
                             epochs[key].get("ratio_bp_torch"), "<=", TORCH_EPOCH_GOAL[key]))
    for key, label in EPOCH_NETWORKS.items():
        rows.append(goal_row(f"sklearn_{key}", f"bp / scikit-learn epoch, {label}",
                             epochs[key].get("ratio_bp_sklearn"), "<=", SKLEARN_EPOCH_GOAL))
    rows.append(goal_row("matmul", "bp matmul throughput (784-256-10) / numpy 1024x1024 matmul",
                         matmul.get("ratio"), ">=", 0.5))
    for key, g in results["gradient_vs_forward"].items():
        rows.append(goal_row(f"grad_forward_{key}", f"backprop gradient / forward pass, {key}, "
                             f"batch {g['batch_size']}", g["ratio"], "<=", 3))
    rows.append(goal_row("finite_differences", f"finite-difference gradient / backprop, "
                         f"{'-'.join(map(str, fd['sizes']))} (P = {fd['n_params']})", fd["ratio"], ">=",
                         fd["goal"], shown=f"{fd['ratio']:.0f}", goal=f">= {fd['goal']:g} (0.5 P)"))
    rows.append(goal_row("import", "import bp / import numpy (whole process)",
                         results["imports"]["ratio"], "<=", 2))
    rows.append(goal_row("conv2d", "bp / PyTorch Conv2D forward+backward",
                         results["conv2d"].get("ratio"), "<=", CONV2D_GOAL))
    rows.append(goal_row("rnn", "bp / PyTorch RNN forward+backward",
                         results["rnn"].get("ratio"), "<=", RNN_AIM, kind="aim"))
    return rows


def print_table(rows, info, total):
    width = max(len(r["figure"]) for r in rows)
    print(f"\n{'figure':<{width}}  {'measured':>9}  {'goal':<20} met")
    print("-" * (width + 38))
    for r in rows:
        print(f"{r['figure']:<{width}}  {r['shown']:>9}  {r['goal']:<20} {'yes' if r['met'] else 'NO'}")
    print(f"\n{sum(r['met'] for r in rows)} of {len(rows)} goals and aims met; total time {total:.0f} s; "
          f"load average at start {info['load_average_start'][0]:.2f}, at end {info['load_average_end'][0]:.2f}")


def write_results(results):
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {RESULTS}")
