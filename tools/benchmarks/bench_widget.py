"""Benchmark: how long the learning-rate explorer takes to answer a key press.

    make bench-widget        (or: .venv/bin/python -m tools.benchmarks.bench_widget)

Three measurements, in one run:

1. In the kernel alone: the time from a new learning rate to the run that the view
   draws (training from the same initial weights with bp, and the numbers it sends).
2. In JupyterLab through headless Chromium, on a quiet machine: notebook 06 (Updating the weights) is run, the
   learning-rate slider's arrow key is pressed 20 times, and the explorer measures in
   the page the time from each key press to its redrawn figure (tools/lab_test.py).
3. The same with two CPU-bound processes running beside it (on this 2-core machine,
   every core busy).

Goals: a median of at most 50 ms quiet and at most 150 ms under load. A benchmark,
not a test: timings depend on the machine and its load.
"""
import multiprocessing
import os
import statistics
import time


from bpbook.widgets import LearningRateExplorer

QUIET_GOAL_MS, LOADED_GOAL_MS = 50.0, 150.0


def kernel_side(repeats=5):
    explorer = LearningRateExplorer()  # the chapter's default: 200 epochs, 1-16-1 tanh network
    rates = [0.003, 0.03, 0.1, 0.3, 1.0, 3.0, 0.01, 0.2]  # converging, slow and diverging runs
    timings = []
    for _ in range(repeats):
        for lr in rates:
            start = time.perf_counter()
            explorer.lr = lr  # the observer retrains and sets the run before this returns
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def busy():
    while True:
        pass


def describe(name, latencies, goal=None):
    median = statistics.median(latencies)
    verdict = "" if goal is None else f"; goal <= {goal:.0f} ms: {'met' if median <= goal else 'NOT met'}"
    return (f"{name}: median {median:.1f} ms, min {min(latencies):.1f}, max {max(latencies):.1f} "
            f"({len(latencies)} changes){verdict}")


def main():
    from tools.lab_test import measure_latency
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(describe("kernel only (retrain + the numbers sent)", kernel_side()))
    quiet = measure_latency()
    print(describe("JupyterLab, quiet: key press -> redrawn figure", quiet, QUIET_GOAL_MS))
    hogs = [multiprocessing.Process(target=busy, daemon=True) for _ in range(2)]
    for hog in hogs:
        hog.start()
    try:
        loaded = measure_latency()
    finally:
        for hog in hogs:
            hog.terminate()
    print(describe("JupyterLab, 2 CPU-bound processes beside it: key press -> redrawn figure",
                   loaded, LOADED_GOAL_MS))


if __name__ == "__main__":
    main()
