"""Measures how far `modelint simulate` is from PyTorch on the committed "exact" fixtures.

The Swift tests only assert the rtol 1e-4 / atol 1e-5 bound; this reports how much of that budget is used:
the largest |modelint - torch| relative to the bound, the largest absolute difference, and the share of values
that are bit-identical once both are rounded to float32. Needs no torch (it reads fixtures/executor).

    swift build && python3 Tests/oracles/fixture_deviation.py .build/debug/modelint
"""
import glob
import json
import math
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RTOL, ATOL = 1e-4, 1e-5


def float32(value):
    return struct.unpack("f", struct.pack("f", value))[0]


def flatten(value):
    return [leaf for item in value for leaf in flatten(item)] if isinstance(value, list) else [value]


def pairs(actual, expected):
    for name in expected["outputs"]:
        yield from zip(flatten(actual["outputs"][name]), flatten(expected["outputs"][name]))
    yield from zip(actual["losses"], expected["losses"])
    for name in expected["state"]:
        yield from zip(flatten(actual["state"][name]), flatten(expected["state"][name]))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "modelint")
    rows, identical, total = [], 0, 0
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures", "executor", "*.expected.json"))):
        name = os.path.basename(path)[: -len(".expected.json")]
        with open(path) as handle:
            expected = json.load(handle)
        if expected["check"] != "exact" or expected["exit_code"] != 0:
            continue
        scenario = os.path.join(ROOT, "fixtures", "executor", f"{name}.scenario.json")
        run = subprocess.run([binary, "simulate", "--scenario", scenario], capture_output=True, text=True, check=True)
        actual = json.loads(run.stdout)
        worst_scaled = worst_absolute = 0.0
        for a, e in pairs(actual, expected["result"]):
            if isinstance(e, float) and math.isnan(e):
                continue
            a, e = float32(a), float32(e)
            worst_absolute = max(worst_absolute, abs(a - e))
            worst_scaled = max(worst_scaled, abs(a - e) / (ATOL + RTOL * abs(e)))
            identical += a == e
            total += 1
        rows.append((worst_scaled, worst_absolute, name))
    rows.sort(reverse=True)
    for scaled, absolute, name in rows[:5]:
        print(f"{name:48s} {100 * scaled:6.2f}% of the tolerance, max |diff| {absolute:.2e}")
    print(f"{len(rows)} exact scenarios, {total} values: worst {100 * rows[0][0]:.2f}% of the tolerance, "
          f"{100 * identical / total:.1f}% bit-identical in float32")


if __name__ == "__main__":
    main()
