"""The benchmark's harness: one thread per library, timing, agreement, the machine.

Imported by bench.py before anything else. Setting the thread counts must
happen before numpy (OpenBLAS) or torch (MKL, OpenMP) is imported, because the
libraries read these variables when they load; this module sets them at its top.
"""
import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import gc  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402

import bp  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

AGREE_RTOL = 1e-10  # bp and the other library must agree this well before anything is timed
SEED = 2024


def timed(run):
    """Seconds taken by run(), with the garbage collector off during the run."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def alternate(contenders, repeats, prepare=None):
    """Time each contender `repeats` times, in turn: a, b, c, a, b, c, ...

    Alternating spreads a change of machine load over every contender alike.
    contenders: {name: callable(r)} (r = repeat number); prepare: optional
    {name: callable(r)} run, untimed, just before. Returns {name: [seconds, ...]}.
    """
    times = {name: [] for name in contenders}
    for r in range(repeats):
        for name, run in contenders.items():
            if prepare is not None:
                prepare[name](r)
            times[name].append(timed(lambda: run(r)))
    return times


def per_call(run, number):
    """A callable that runs `run` `number` times (to time something short as a block)."""
    def block(_r=None):
        for _ in range(number):
            run()
    return block


def relative(a, b):
    """max|a - b| / max(|a|, |b|) over all entries (0 when both are 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))))
    return float(np.max(np.abs(a - b))) / scale if scale > 0 else 0.0


def machine():
    """What the figures were measured on: CPU, libraries, their BLAS and thread pools."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info
        pools = [{"library": p.get("internal_api"), "file": Path(p.get("filepath", "")).name,
                  "num_threads": p.get("num_threads")} for p in threadpool_info()]
    except ImportError:  # pragma: no cover - scikit-learn depends on threadpoolctl
        pools = []
    torch_blas = re.findall(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return {
        "cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
        "sklearn": sklearn.__version__, "bp": bp.__version__,
        "numpy_blas": np.__config__.CONFIG["Build Dependencies"]["blas"]["name"],
        "torch_blas": torch_blas[0] if torch_blas else "unknown",
        "torch_threads": torch.get_num_threads(), "threadpools": pools,
        "load_average_start": list(os.getloadavg()),
    }
