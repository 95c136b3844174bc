"""Generates the executor's golden fixtures from real PyTorch.

For every scenario below this writes fixtures/executor/<name>.scenario.json (a modelint-scenario/1 document,
runnable with `modelint simulate --scenario`) and fixtures/executor/<name>.expected.json (PyTorch's result,
its exit code, the torch version and how the Swift tests compare: "exact" within rtol 1e-4 / atol 1e-5,
"dropout" structurally, or "initialization" by distribution). CI has no torch and reads the committed files.

Regenerate (needs a python with torch; see docs/architecture.md (Executor)):
    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy
    /tmp/torchvenv/bin/python Tests/oracles/torch_scenarios.py
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_torch  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "executor")

SCENARIOS = []


def scenario(check="exact"):
    def register(function):
        SCENARIOS.append((function.__name__, function, check))
        return function
    return register


# ---- building blocks: weights come from PyTorch's own initialisation under a per-scenario seed ----

def randn(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).tolist()


def classes(n, count):
    return torch.randint(0, count, (n,)).tolist()


def linear(i, o, bias=True):
    layer = nn.Linear(i, o, bias=bias)
    return {"type": "Linear", "in_features": i, "out_features": o, "weight": layer.weight.tolist(),
            "bias": layer.bias.tolist() if bias else None}


def batchnorm(c, kind="BatchNorm1d", **options):
    spec = {"type": kind, "num_features": c}
    if options.get("affine", True):
        spec["weight"] = (1 + 0.2 * torch.randn(c)).tolist()
        if options.get("bias", True) is not False:
            spec["bias"] = (0.1 * torch.randn(c)).tolist()
    spec.update({k: v for k, v in options.items() if k != "bias" or v is False})
    return spec


def document(model, steps, loss="mse", optimizer=None, seed=7):
    doc = {"format": scenario_torch.FORMAT, "seed": seed, "model": model, "loss": loss, "steps": steps}
    if optimizer is not None:
        doc["optimizer"] = optimizer
    return doc


def sgd(lr=0.1, **options):
    return {"type": "SGD", "lr": lr, **options}


def train_steps(count, n, features, outputs, loss="mse", shape=None):
    steps = []
    for _ in range(count):
        x = randn(n, *(shape or (features,)))
        y = classes(n, outputs) if loss == "cross_entropy" else randn(n, outputs)
        steps.append({"op": "train_step", "input": x, "target": y})
    return steps


def forward(name, n, *shape):
    return {"op": "forward", "name": name, "input": randn(n, *shape)}


TRAIN, EVAL = {"op": "train"}, {"op": "eval"}


# ---- every layer, both modes, with backward ----

@scenario()
def linear_mse_sgd():
    return document([linear(4, 3)], [forward("before", 2, 4)] + train_steps(3, 5, 4, 3)
                    + [EVAL, forward("eval", 2, 4)], optimizer=sgd())


@scenario()
def linear_without_bias():
    return document([linear(4, 3, bias=False)], train_steps(3, 5, 4, 3) + [forward("out", 2, 4)], optimizer=sgd())


@scenario()
def mlp_relu_sgd_momentum():
    return document([linear(6, 8), {"type": "ReLU"}, linear(8, 3)],
                    train_steps(4, 8, 6, 3) + [EVAL, forward("val", 4, 6)], optimizer=sgd(0.05, momentum=0.9))


@scenario()
def sgd_dampening():
    return document([linear(6, 8), {"type": "ReLU"}, linear(8, 3)], train_steps(4, 8, 6, 3),
                    optimizer=sgd(0.05, momentum=0.9, dampening=0.3))


@scenario()
def sgd_nesterov_weight_decay():
    return document([linear(6, 8), {"type": "Tanh"}, linear(8, 3)], train_steps(4, 8, 6, 3),
                    optimizer=sgd(0.05, momentum=0.8, nesterov=True, weight_decay=0.01))


@scenario()
def sgd_maximize():
    return document([linear(5, 2)], train_steps(3, 6, 5, 2), optimizer=sgd(0.01, maximize=True, momentum=0.5))


@scenario()
def tanh_cross_entropy_adam():
    return document([linear(5, 8), {"type": "Tanh"}, linear(8, 4)],
                    train_steps(5, 10, 5, 4, loss="cross_entropy") + [forward("logits", 3, 5)],
                    loss="cross_entropy", optimizer={"type": "Adam", "lr": 0.01})


@scenario()
def adam_weight_decay_amsgrad():
    return document([linear(5, 8), {"type": "ReLU"}, linear(8, 2)], train_steps(5, 10, 5, 2),
                    optimizer={"type": "Adam", "lr": 0.02, "weight_decay": 0.05, "amsgrad": True})


@scenario()
def adamw_defaults():
    return document([linear(5, 8), {"type": "ReLU"}, linear(8, 2)], train_steps(5, 10, 5, 2),
                    optimizer={"type": "AdamW", "lr": 0.01})


@scenario()
def adamw_custom():
    return document([linear(5, 8), {"type": "Tanh"}, linear(8, 3)],
                    train_steps(5, 10, 5, 3, loss="cross_entropy"), loss="cross_entropy",
                    optimizer={"type": "AdamW", "lr": 0.005, "betas": [0.8, 0.99], "eps": 1e-6,
                               "weight_decay": 0.1})


@scenario()
def layernorm_train_and_eval():
    ln = {"type": "LayerNorm", "normalized_shape": 6, "weight": (1 + 0.3 * torch.randn(6)).tolist(),
          "bias": (0.2 * torch.randn(6)).tolist()}
    probe = randn(3, 4)
    model = [linear(4, 6), ln, {"type": "ReLU"}, linear(6, 2)]
    steps = [{"op": "forward", "name": "train_mode", "input": probe}, EVAL,
             {"op": "forward", "name": "eval_mode", "input": probe}, TRAIN] + train_steps(3, 6, 4, 2)
    return document(model, steps, optimizer=sgd(0.1, momentum=0.9))


@scenario()
def layernorm_without_affine_3d():
    model = [{"type": "LayerNorm", "normalized_shape": [2, 3], "elementwise_affine": False, "eps": 1e-3},
             {"type": "Flatten"}, linear(6, 2)]
    return document(model, train_steps(3, 4, None, 2, shape=(2, 3)) + [EVAL, forward("out", 2, 2, 3)],
                    optimizer=sgd(0.1))


@scenario()
def flatten_ranges():
    model = [{"type": "Flatten", "start_dim": 2, "end_dim": 3}, {"type": "Flatten", "start_dim": -2},
             linear(12, 3)]
    return document(model, train_steps(3, 4, None, 3, shape=(2, 3, 2)) + [forward("out", 2, 2, 3, 2)],
                    optimizer=sgd(0.1))


@scenario()
def batchnorm1d_train_mode():
    model = [linear(5, 4), batchnorm(4), {"type": "ReLU"}, linear(4, 2)]
    steps = [TRAIN] + train_steps(4, 8, 5, 2) + [forward("train_forward_updates_stats", 6, 5), EVAL,
                                                  forward("eval", 3, 5)]
    return document(model, steps, optimizer=sgd(0.1, momentum=0.9))


@scenario()
def batchnorm1d_eval_training_frozen():
    # A "pretrained" network fine-tuned in eval mode: BatchNorm uses and keeps its running statistics,
    # and backward treats them as constants.
    bn = batchnorm(4, running_mean=(0.5 * torch.randn(4)).tolist(),
                   running_var=(0.5 + torch.rand(4)).tolist(), num_batches_tracked=100)
    model = [linear(5, 4), bn, {"type": "Tanh"}, linear(4, 3)]
    return document(model, [EVAL] + train_steps(4, 6, 5, 3) + [forward("out", 3, 5)],
                    optimizer={"type": "Adam", "lr": 0.01})


@scenario()
def batchnorm1d_momentum_none():
    model = [linear(5, 4), batchnorm(4, momentum=None), {"type": "ReLU"}, linear(4, 2)]
    return document(model, train_steps(5, 8, 5, 2) + [EVAL, forward("eval", 3, 5)], optimizer=sgd(0.05))


@scenario()
def batchnorm1d_custom_momentum_eps():
    model = [linear(5, 4), batchnorm(4, momentum=0.3, eps=1e-3), {"type": "ReLU"}, linear(4, 2)]
    return document(model, train_steps(3, 8, 5, 2) + [EVAL, forward("eval", 3, 5)], optimizer=sgd(0.05))


@scenario()
def batchnorm1d_no_running_stats():
    model = [linear(5, 4), batchnorm(4, track_running_stats=False), {"type": "ReLU"}, linear(4, 2)]
    steps = train_steps(2, 8, 5, 2) + [EVAL, forward("eval_uses_batch_stats", 4, 5)] + train_steps(2, 8, 5, 2)
    return document(model, steps, optimizer=sgd(0.05, momentum=0.9))


@scenario()
def batchnorm1d_affine_false():
    model = [linear(5, 4), batchnorm(4, affine=False), {"type": "ReLU"}, linear(4, 2)]
    return document(model, train_steps(3, 8, 5, 2) + [EVAL, forward("eval", 3, 5)] + train_steps(2, 8, 5, 2),
                    optimizer=sgd(0.05))


@scenario()
def batchnorm1d_bias_false():
    model = [linear(5, 4), batchnorm(4, bias=False), {"type": "ReLU"}, linear(4, 2)]
    return document(model, train_steps(3, 8, 5, 2) + [EVAL, forward("eval", 3, 5)], optimizer=sgd(0.05))


@scenario()
def batchnorm1d_3d_input():
    model = [batchnorm(3), {"type": "ReLU"}, {"type": "Flatten"}, linear(12, 2)]
    steps = train_steps(3, 5, None, 2, shape=(3, 4)) + [EVAL, forward("eval", 2, 3, 4)] \
        + train_steps(2, 5, None, 2, shape=(3, 4))
    return document(model, steps, optimizer=sgd(0.05, momentum=0.9))


@scenario()
def batchnorm2d_4d_input():
    model = [batchnorm(2, "BatchNorm2d"), {"type": "ReLU"}, {"type": "Flatten"}, linear(18, 3)]
    steps = train_steps(3, 4, None, 3, shape=(2, 3, 3), loss="cross_entropy") + [EVAL, forward("eval", 2, 2, 3, 3)]
    return document(model, steps, loss="cross_entropy", optimizer={"type": "Adam", "lr": 0.01})


@scenario()
def batchnorm2d_no_running_stats():
    model = [batchnorm(2, "BatchNorm2d", track_running_stats=False, momentum=None), {"type": "Flatten"},
             linear(8, 2)]
    steps = train_steps(2, 3, None, 2, shape=(2, 2, 2)) + [EVAL, forward("eval", 3, 2, 2, 2)] \
        + train_steps(2, 3, None, 2, shape=(2, 2, 2))
    return document(model, steps, optimizer=sgd(0.1))


@scenario()
def batchnorm_batch_of_one_eval_is_fine():
    model = [linear(3, 4), batchnorm(4), linear(4, 1)]
    return document(model, train_steps(2, 4, 3, 1) + [EVAL, forward("single", 1, 3)] + train_steps(1, 1, 3, 1),
                    optimizer=sgd(0.1))


@scenario()
def batchnorm_single_sample_with_length_two():
    # (1, C, 2) has two values per channel: legal in train mode.
    model = [batchnorm(3), {"type": "Flatten"}, linear(6, 1)]
    return document(model, train_steps(2, 1, None, 1, shape=(3, 2)), optimizer=sgd(0.1))


# ---- the seed bug: train() once before the loop, eval() inside it ----

def seed_bug_document(fixed):
    # Both variants share weights and data (one seed), so they agree until the second epoch, where the buggy
    # schedule keeps training in eval mode: BatchNorm stops normalising by the batch and stops tracking.
    torch.manual_seed(77)
    model = [linear(6, 5), batchnorm(5), {"type": "ReLU"}, linear(5, 2)]
    steps = [TRAIN]
    probe = randn(4, 6)
    for epoch in range(3):
        if fixed and epoch > 0:
            steps.append(TRAIN)
        steps += train_steps(2, 8, 6, 2)
        steps += [EVAL, {"op": "forward", "name": f"val_epoch{epoch}", "input": probe}]
    return document(model, steps, optimizer=sgd(0.1, momentum=0.9))


@scenario()
def seed_bug_eval_inside_epoch_loop():
    return seed_bug_document(fixed=False)


@scenario()
def seed_bug_fixed_train_every_epoch():
    return seed_bug_document(fixed=True)


# ---- Dropout ----

@scenario()
def dropout_eval_is_identity():
    model = [linear(6, 8), {"type": "ReLU"}, {"type": "Dropout", "p": 0.5}, linear(8, 2)]
    return document(model, [EVAL] + train_steps(3, 6, 6, 2) + [forward("out", 3, 6)], optimizer=sgd(0.1))


@scenario()
def dropout_p0_train_is_identity():
    model = [linear(6, 8), {"type": "Dropout", "p": 0}, {"type": "ReLU"}, linear(8, 2)]
    return document(model, train_steps(3, 6, 6, 2) + [forward("out", 3, 6)], optimizer=sgd(0.1))


@scenario()
def dropout_p1_train_zeroes():
    model = [linear(6, 8), {"type": "ReLU"}, {"type": "Dropout", "p": 1.0}, linear(8, 2)]
    return document(model, train_steps(3, 6, 6, 2) + [forward("zeros_then_bias", 3, 6)], optimizer=sgd(0.1))


@scenario(check="dropout")
def dropout_train_structure_p03():
    x = (torch.rand(64, 48) + 0.5).tolist()
    steps = [{"op": "forward", "name": f"draw{i}", "input": x} for i in range(3)]
    return document([{"type": "Dropout", "p": 0.3}], steps)


@scenario(check="dropout")
def dropout_train_structure_p07():
    x = (-torch.rand(40, 50) - 0.25).tolist()
    steps = [{"op": "forward", "name": f"draw{i}", "input": x} for i in range(3)] + [EVAL, 
             {"op": "forward", "name": "eval_identity", "input": x}]
    return document([{"type": "Dropout", "p": 0.7}], steps)


# ---- initialisation from the seed ----

@scenario(check="initialization")
def initialization_from_seed():
    model = [{"type": "Linear", "in_features": 256, "out_features": 128}, {"type": "BatchNorm1d", "num_features": 128},
             {"type": "Linear", "in_features": 128, "out_features": 10, "bias": False},
             {"type": "LayerNorm", "normalized_shape": 10}]
    return document(model, [])


# ---- larger runs: accumulated error stays within tolerance ----

@scenario()
def mlp_batchnorm_adam_twenty_steps():
    # No Linear bias directly before a train-mode BatchNorm: the batch mean cancels it, so its gradient is pure
    # rounding noise, and Adam normalises that noise into lr-sized steps in a random direction (in PyTorch too,
    # differently per BLAS and thread count). That drift would reach the running means and the eval outputs.
    model = [linear(16, 32, bias=False), batchnorm(32), {"type": "ReLU"}, {"type": "Dropout", "p": 0.0},
             linear(32, 32, bias=False), batchnorm(32), {"type": "Tanh"}, linear(32, 5)]
    steps = train_steps(20, 32, 16, 5, loss="cross_entropy") + [EVAL, forward("val", 8, 16)]
    return document(model, steps, loss="cross_entropy", optimizer={"type": "Adam", "lr": 0.003})


@scenario()
def cross_entropy_spatial_targets():
    model = [batchnorm(4), {"type": "Tanh"}]
    steps = []
    for _ in range(3):
        steps.append({"op": "train_step", "input": randn(3, 4, 5),
                      "target": torch.randint(0, 4, (3, 5)).tolist()})
    return document(model, steps + [EVAL, forward("out", 2, 4, 5)], loss="cross_entropy", optimizer=sgd(0.1))


@scenario()
def cross_entropy_ignore_index():
    targets = [[0, -100, 2, 1], [-100, 1, 1, 0]]
    steps = [{"op": "train_step", "input": randn(4, 5), "target": t} for t in targets]
    return document([linear(5, 3)], steps, loss="cross_entropy", optimizer=sgd(0.1))


@scenario()
def mse_broadcast_column_against_vector():
    # (N, 1) output against an (N,) target broadcasts to N x N: PyTorch only warns.
    steps = [{"op": "train_step", "input": randn(4, 3), "target": randn(4)} for _ in range(3)]
    return document([linear(3, 1)], steps, optimizer=sgd(0.1))


@scenario()
def nan_propagates():
    x = randn(2, 3)
    x[0][1] = float("nan")
    return document([linear(3, 4), {"type": "ReLU"}, linear(4, 2)], [{"op": "forward", "name": "out", "input": x}])


# ---- where PyTorch raises ----

@scenario()
def error_batchnorm_batch_of_one_train_step():
    model = [linear(3, 4), batchnorm(4), linear(4, 1)]
    return document(model, train_steps(1, 4, 3, 1) + train_steps(1, 1, 3, 1), optimizer=sgd(0.1))


@scenario()
def error_batchnorm_batch_of_one_forward():
    return document([linear(3, 4), batchnorm(4)], [forward("one", 1, 3)])


@scenario()
def error_batchnorm_batch_of_one_3d():
    return document([batchnorm(3)], [forward("one", 1, 3, 1)])


@scenario()
def error_batchnorm2d_rank():
    return document([batchnorm(3, "BatchNorm2d")], [forward("flat", 2, 3)])


@scenario()
def error_batchnorm1d_rank():
    return document([batchnorm(3)], [forward("image", 2, 3, 2, 2)])


@scenario()
def error_batchnorm_channel_mismatch():
    return document([batchnorm(3)], [forward("wide", 4, 5)])


@scenario()
def error_batchnorm_zero_eps_training():
    return document([batchnorm(3, eps=0.0)], [forward("x", 4, 3)])


@scenario()
def error_linear_shape_mismatch():
    return document([linear(4, 3)], [forward("wide", 2, 5)])


@scenario()
def error_linear_shape_mismatch_without_bias_3d():
    return document([linear(4, 3, bias=False)], [forward("wide", 2, 7, 5)])


@scenario()
def error_negative_in_features():
    return document([{"type": "Linear", "in_features": -1, "out_features": 3}], [])


@scenario()
def error_dropout_probability_float():
    return document([{"type": "Dropout", "p": 1.5}], [])


@scenario()
def error_dropout_probability_int():
    return document([{"type": "Dropout", "p": 2}], [])


@scenario()
def error_cross_entropy_target_out_of_bounds():
    steps = [{"op": "train_step", "input": randn(4, 5), "target": [0, 1, 3, 1]}]
    return document([linear(5, 3)], steps, loss="cross_entropy", optimizer=sgd(0.1))


@scenario()
def error_cross_entropy_batch_mismatch():
    steps = [{"op": "train_step", "input": randn(4, 5), "target": [0, 1, 2]}]
    return document([linear(5, 3)], steps, loss="cross_entropy", optimizer=sgd(0.1))


@scenario()
def error_mse_not_broadcastable():
    steps = [{"op": "train_step", "input": randn(4, 5), "target": randn(4, 2)}]
    return document([linear(5, 3)], steps, optimizer=sgd(0.1))


@scenario()
def error_layernorm_shape():
    return document([{"type": "LayerNorm", "normalized_shape": 6}], [forward("x", 2, 5)])


@scenario()
def error_flatten_dimension():
    return document([{"type": "Flatten", "start_dim": 3}], [forward("x", 2, 5)])


@scenario()
def error_sgd_negative_lr():
    return document([linear(2, 1)], [], optimizer=sgd(-0.1))


@scenario()
def error_sgd_nesterov_without_momentum():
    return document([linear(2, 1)], [], optimizer=sgd(0.1, nesterov=True))


@scenario()
def error_adam_beta_out_of_range():
    return document([linear(2, 1)], [], optimizer={"type": "Adam", "betas": [0.9, 1.0]})


@scenario()
def error_adam_integer_betas():
    return document([linear(2, 1)], [], optimizer={"type": "Adam", "betas": [0, 0.9]})


@scenario()
def error_empty_parameter_list():
    return document([{"type": "ReLU"}], [], optimizer=sgd())


# ---- structural checks, shared with the Swift tests' logic ----

def check_dropout(doc, result):
    p = doc["model"][0]["p"]
    scale = 1 / (1 - p)
    masks = []
    training = True
    for step in doc["steps"]:
        if step["op"] in ("train", "eval"):
            training = step["op"] == "train"
            continue
        x = torch.tensor(step["input"])
        y = torch.tensor(result["outputs"][step["name"]])
        if not training:
            assert torch.equal(x, y)
            continue
        kept = y != 0
        assert torch.allclose(y[kept], x[kept] * scale, rtol=1e-6, atol=0), "kept values are not x/(1-p)"
        n = x.numel()
        fraction = 1 - kept.float().mean().item()
        assert abs(fraction - p) <= 5 * math.sqrt(p * (1 - p) / n), f"zero fraction {fraction} far from {p}"
        masks.append(kept)
    assert all(not torch.equal(masks[0], m) for m in masks[1:]), "dropout reused a mask"


def check_initialization(doc, result):
    for index, spec in enumerate(doc["model"]):
        if spec["type"] == "Linear":
            bound = 1 / math.sqrt(spec["in_features"])
            weight = torch.tensor(result["state"][f"{index}.weight"])
            n = weight.numel()
            assert weight.abs().max().item() <= bound
            # Five standard deviations of the sample mean and variance of U(-bound, bound).
            assert abs(weight.mean().item()) <= 5 * bound / math.sqrt(3 * n)
            assert abs(weight.var().item() - bound * bound / 3) <= 5 * bound * bound * math.sqrt(4 / 45 / n)


def main():
    os.makedirs(OUT, exist_ok=True)
    for stale in os.listdir(OUT):
        if stale.endswith(".scenario.json") or stale.endswith(".expected.json"):
            os.remove(os.path.join(OUT, stale))
    torch.set_num_threads(1)
    for index, (name, build, check) in enumerate(SCENARIOS):
        torch.manual_seed(1000 + index)
        doc = build()
        result, code = scenario_torch.run(doc)
        if check == "dropout":
            check_dropout(doc, result)
        elif check == "initialization":
            check_initialization(doc, result)
        expected = {"generator": "Tests/oracles/torch_scenarios.py", "torch_version": torch.__version__,
                    "check": check, "exit_code": code, "result": result}
        with open(os.path.join(OUT, f"{name}.scenario.json"), "w") as handle:
            json.dump(doc, handle)
            handle.write("\n")
        with open(os.path.join(OUT, f"{name}.expected.json"), "w") as handle:
            json.dump(expected, handle)
            handle.write("\n")
        status = result["error"] if code else f"{len(result['losses'])} losses"
        print(f"{name}: exit {code}: {status}")
    print(f"{len(SCENARIOS)} scenarios written to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
