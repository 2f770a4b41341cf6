"""Benchmark: how long one change of the learning-rate slider takes (retrain + redraw).

    make bench-widget        (or: .venv/bin/python tools/benchmarks/bench_widget.py)

Sets the explorer's slider to a sequence of learning rates, as a reader dragging it
would, and prints the median and spread of the time from the value change to the new
picture being ready (training from the same initial weights, then rendering the PNG
that the widget shows). The goal for the chapter's default setting is a median of at
most 150 ms. A benchmark, not a test: timings depend on the machine and its load.
"""
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from bp.widgets import LearningRateExplorer  # noqa: E402

GOAL_MS = 150.0


def main(repeats=5):
    explorer = LearningRateExplorer()  # the chapter's default: 200 epochs, 1-16-1 tanh network
    rates = [0.003, 0.03, 0.1, 0.3, 1.0, 3.0, 0.01, 0.2]  # converging, slow and diverging runs
    explorer.lr.value = rates[-1]  # warm up: first render loads fonts
    timings = []
    for _ in range(repeats):
        for lr in rates:
            start = time.perf_counter()
            explorer.lr.value = lr  # the observer retrains and redraws before this returns
            timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    print(f"slider changes timed: {len(timings)} (learning rates {rates}, "
          f"{explorer.epochs.value} epochs each)")
    print(f"latency per change: median {median:.1f} ms, min {min(timings):.1f} ms, "
          f"max {max(timings):.1f} ms")
    print(f"goal: median <= {GOAL_MS:.0f} ms -> {'met' if median <= GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
