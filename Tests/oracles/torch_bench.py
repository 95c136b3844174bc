"""Times PyTorch (CPU) running a modelint-scenario/1 document, for `modelint-bench simulate`.

Prints one JSON line: torch version, thread count, seconds to load the JSON and build the tensors, and the
wall and CPU (all threads) seconds of each timed run of the steps (fresh model each run, same seed). Timing excludes JSON parsing and
tensor construction, as the Swift side reports its decode time separately.

    /tmp/torchvenv/bin/python Tests/oracles/torch_bench.py SCENARIO.json [--repeats 5] [--threads N]
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_torch  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps the default")
    options = parser.parse_args()
    if options.threads:
        torch.set_num_threads(options.threads)

    start = time.perf_counter()
    with open(options.scenario) as handle:
        scenario = json.load(handle)
    prepared = scenario_torch.Prepared(scenario)
    load_seconds = time.perf_counter() - start

    runs, cpu = [], []
    final_losses = None
    for _ in range(options.repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result, code = scenario_torch.execute(prepared)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if code != 0:
            print(json.dumps({"error": result["error"]}))
            return 1
        final_losses = result["losses"][-3:]
    print(json.dumps({"torch_version": torch.__version__, "threads": torch.get_num_threads(),
                      "load_seconds": load_seconds, "run_seconds": runs,
                      "run_cpu_seconds": cpu, "last_losses": final_losses}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
