#!/usr/bin/env python3
"""Side-by-side benchmark: `modelint check` vs TorchFix on the same PyTorch source trees.

Usage:
    python3 Tests/oracles/torchfix_bench.py --modelint .build/release/modelint \
        --torchfix /tmp/torchfixvenv/bin/torchfix --runs 5 DIR [DIR ...]

Runs each tool `--runs` times over the same directories (each walks them for `*.py` itself), prints the best
wall time of each, the CPU time (user + system of the child) of that run, the ratio, the file and line
counts, and how many findings each tool reports per rule. Mode findings (train/eval, no_grad) are what
modelint exists for; TorchFix has no such rule, which the per-rule counts show.
"""
import argparse
import collections
import os
import re
import resource
import subprocess
import sys
import time


def python_files(directories):
    for directory in directories:
        for root, _, names in os.walk(directory):
            for name in names:
                if name.endswith(".py"):
                    yield os.path.join(root, name)


def count_lines(paths):
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += handle.read().count(b"\n")
    return total


def timed(command, cwd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def best_of(command, cwd, runs):
    best = None
    for _ in range(runs):
        wall, cpu, result = timed(command, cwd)
        print(f"  {os.path.basename(command[0])}: {wall:.3f} s wall, {cpu:.3f} s cpu", file=sys.stderr)
        if best is None or wall < best[0]:
            best = (wall, cpu, result)
    return best


CODE = re.compile(r":\d+:\d+: ((?:ML|TOR)\d+)\b")


def rule_counts(output):
    counts = collections.Counter()
    for line in output.splitlines():
        match = CODE.search(line)
        if match:
            counts[match.group(1)] += 1
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelint", required=True)
    parser.add_argument("--torchfix", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cwd", default=".")
    parser.add_argument("directories", nargs="+")
    args = parser.parse_args()

    cwd = os.path.abspath(args.cwd)
    files = list(python_files(os.path.join(cwd, d) for d in args.directories))
    print(f"{len(files)} files, {count_lines(files)} lines")
    version = subprocess.run([args.torchfix, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"torchfix {version}")

    modelint = best_of([os.path.abspath(args.modelint), "check", *args.directories, "--format", "concise",
                        "--exit-zero"], cwd, args.runs)
    torchfix = best_of([args.torchfix, *args.directories], cwd, args.runs)

    print(f"modelint check: best {modelint[0]:.3f} s wall ({modelint[1]:.3f} s cpu)")
    print(f"torchfix:       best {torchfix[0]:.3f} s wall ({torchfix[1]:.3f} s cpu)")
    print(f"ratio modelint/torchfix: {modelint[0] / torchfix[0]:.4f} wall, {modelint[1] / torchfix[1]:.4f} cpu")
    for name, result in (("modelint", modelint[2]), ("torchfix", torchfix[2])):
        counts = rule_counts(result.stdout)
        listed = ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) or "none"
        print(f"{name} findings: {sum(counts.values())} ({listed})")


if __name__ == "__main__":
    main()
