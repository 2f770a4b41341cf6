"""Write bp's numbers for every explorable's test cases to
_build/explorables-reference.json (run by `make book`, read by `make browser-test`).

Each explorable's reference() (bpbook/explorables/<name>.py) lists what the browser test
does to its controls and what bp computes for the setting that makes; the test then
checks that the page computed the same numbers (tools/explorable_driver.py).
"""
import json
import time
from pathlib import Path

from bpbook.explorables import NAMES, reference_cases

OUT = Path("_build") / "explorables-reference.json"


def main():
    started = time.perf_counter()
    references = {name: reference_cases(name) for name in NAMES}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(references, indent=1), encoding="utf-8")
    cases = sum(len(c) for c in references.values())
    print(f"explorable reference: bp's numbers for {cases} cases of {len(references)} explorables "
          f"written to {OUT} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
