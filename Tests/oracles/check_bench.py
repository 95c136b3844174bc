#!/usr/bin/env python3
"""Side-by-side benchmark: `modelint check` vs ruff's syntax check over the CPython standard library.

Usage:
    python3 Tests/oracles/check_bench.py --modelint .build/release/modelint --ruff /tmp/ruffvenv/bin/ruff \
        [--runs 10] [DIR]

DIR defaults to python3's stdlib (`sysconfig.get_paths()["stdlib"]`); modelint walks it itself (skipping
site-packages and the other folders `check` skips), ruff gets the same file list modelint checks. The two
commands run alternately, `--runs` times each, as child processes, so both see the same machine load; the
script prints each tool's best and median wall time, the CPU time (user + system) of the best run, and the
ratios. On a shared machine the medians of alternating runs are the fair comparison.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import time

SKIPPED = {".git", ".venv", "venv", "__pycache__", "build", "dist", "site-packages", "node_modules"}


def python_files(directory):
    found = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        found.extend(os.path.join(root, name) for name in sorted(names) if name.endswith(".py"))
    return found


def timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modelint", required=True)
    parser.add_argument("--ruff", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("directory", nargs="?", default=sysconfig.get_paths()["stdlib"])
    args = parser.parse_args()

    files = python_files(args.directory)
    size = sum(os.path.getsize(path) for path in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB under {args.directory}; load average "
          f"{os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")
    commands = {
        "modelint": [args.modelint, "check", "--exit-zero", "--format", "concise", args.directory],
        "ruff": [args.ruff, "check", "--select", "E9", "--no-cache", "--isolated", "--quiet", "--exit-zero"] + files,
    }
    runs = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            wall, cpu, status = timed(command)
            if status != 0:
                sys.exit(f"{name} exited with {status}: {' '.join(command[:6])} ...")
            runs[name].append((wall, cpu))
    summary = {}
    for name, samples in runs.items():
        best = min(samples)
        median = statistics.median(wall for wall, _ in samples)
        summary[name] = (best[0], median, best[1])
        print(f"{name:9} best {best[0]:.3f} s wall ({best[1]:.3f} s cpu), median {median:.3f} s wall, "
              f"{args.runs} runs")
    m, r = summary["modelint"], summary["ruff"]
    print(f"ratio modelint / ruff: best {m[0] / r[0]:.2f}x wall, median {m[1] / r[1]:.2f}x wall, "
          f"cpu of best runs {m[2] / r[2]:.2f}x")


if __name__ == "__main__":
    main()
