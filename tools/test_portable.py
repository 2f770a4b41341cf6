"""nbval over every notebook under other BLAS set-ups: what another reader's CPU may pick.

    python -m tools.test_portable            (what `make test-portable` runs)

numpy's OpenBLAS chooses its matrix-product kernels for the CPU it finds, and
numpy picks its own SIMD loops too; another kernel sums in another order, so the
last digits of a result differ from one machine to the next. The outputs saved
in the notebooks must not depend on those digits: a number is printed only to
the digits that every CPU reproduces (see the book's notation page). `make test`
checks that on this machine's own choice; this checks it under several others,
one fresh pytest process per set-up, with the environment variables that force
it (OPENBLAS_L2_SIZE and OPENBLAS_CORETYPE unset unless the set-up sets them).
It asks threadpoolctl which kernel OpenBLAS really runs, and skips a set-up
whose instructions this CPU lacks (forcing it would crash).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# (name, environment, CPU flags the set-up needs). Haswell is a typical laptop of the
# last ten years; SkylakeX a server with AVX-512; Sandybridge an older CPU without FMA.
SETUPS = [
    ("Haswell kernels (AVX2), numpy without AVX-512", {"OPENBLAS_CORETYPE": "Haswell"}, {"avx2", "fma"}),
    ("SkylakeX kernels (AVX-512)", {"OPENBLAS_CORETYPE": "SkylakeX"}, {"avx512f", "avx512bw", "avx512vl"}),
    ("Sandybridge kernels (AVX, no FMA)", {"OPENBLAS_CORETYPE": "Sandybridge"}, {"avx"}),
    ("the CPU's own kernels, 1 BLAS thread", {"OPENBLAS_NUM_THREADS": "1"}, set()),
    ("the CPU's own kernels, 2 BLAS threads", {"OPENBLAS_NUM_THREADS": "2"}, set()),
]

PROBE = """
import json, numpy, threadpoolctl
from numpy._core._multiarray_umath import __cpu_features__
blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
print(json.dumps({"blas": blas[0] if blas else {},
                  "numpy_avx512": bool(__cpu_features__.get("X86_V4"))}))
"""


def cpu_flags():
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None                      # not Linux: run every set-up, trust the probe
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def environment(settings):
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_L2_SIZE", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS")}
    env.update(settings)
    if settings.get("OPENBLAS_CORETYPE") == "Haswell":
        # numpy's own loops (exp, tanh, sums) as on a CPU without AVX-512.
        env["NPY_DISABLE_CPU_FEATURES"] = "X86_V4"
    return env


def probe(env):
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"the probe failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main(notebooks):
    flags = cpu_flags()
    passed, failed, skipped = [], [], []
    for name, settings, needs in SETUPS:
        if flags is not None and not needs <= flags:
            print(f"== {name}: skipped, this CPU lacks {', '.join(sorted(needs - flags))}")
            skipped.append(name)
            continue
        env = environment(settings)
        found = probe(env)
        kernel = found["blas"].get("architecture", "?")
        threads = found["blas"].get("num_threads", "?")
        shown = " ".join(f"{k}={v}" for k, v in settings.items())
        print(f"== {name} ({shown}): OpenBLAS runs {kernel} with {threads} thread(s); "
              f"numpy {'with' if found['numpy_avx512'] else 'without'} AVX-512 loops", flush=True)
        wanted = settings.get("OPENBLAS_CORETYPE")
        if wanted and kernel.lower() != wanted.lower():
            print(f"   OpenBLAS did not take OPENBLAS_CORETYPE={wanted}: this set-up is not tested")
            failed.append(name)
            continue
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile",
             "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tools/nbval_sanitize.cfg",
             *notebooks], cwd=PROJECT, env=env)
        (passed if result.returncode == 0 else failed).append(name)
    print()
    for name in failed:
        print(f"FAILED under: {name}")
    print(f"test-portable: {len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    chosen = sys.argv[1:] or sorted(str(p.relative_to(PROJECT)) for p in (PROJECT / "book").glob("*.ipynb"))
    sys.exit(main(chosen))
