"""Reference implementation of the modelint-scenario/1 format in real PyTorch.

`run(scenario)` executes a scenario exactly as the equivalent training script would and returns
`(document, exit_code)`: `({"outputs", "losses", "state"}, 0)`, or `({"error": message}, 1)` where PyTorch
raises. It is the oracle for `modelint simulate`: torch_scenarios.py records its results as fixtures and
torch_bench.py times it. Requires torch; see docs/architecture.md (Executor).
"""
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

FORMAT = "modelint-scenario/1"


def _tensor(values):
    return torch.tensor(values, dtype=torch.float32)


def _has_bias(spec):
    bias = spec.get("bias", True)
    return bias is not None and bias is not False


def _load(parameter, values):
    if parameter is not None and isinstance(values, list):
        with torch.no_grad():
            parameter.copy_(_tensor(values))


def build_layer(spec):
    kind = spec["type"]
    if kind == "Linear":
        layer = nn.Linear(spec["in_features"], spec["out_features"], bias=_has_bias(spec))
        if spec.get("weight") is not None:
            _load(layer.weight, spec["weight"])
        _load(layer.bias, spec.get("bias"))
        return layer
    if kind in ("BatchNorm1d", "BatchNorm2d"):
        cls = nn.BatchNorm1d if kind == "BatchNorm1d" else nn.BatchNorm2d
        layer = cls(
            spec["num_features"],
            eps=spec.get("eps", 1e-5),
            momentum=spec.get("momentum", 0.1),
            affine=spec.get("affine", True),
            track_running_stats=spec.get("track_running_stats", True),
            bias=_has_bias(spec),
        )
        if spec.get("weight") is not None:
            _load(layer.weight, spec["weight"])
        _load(layer.bias, spec.get("bias"))
        _load(layer.running_mean, spec.get("running_mean"))
        _load(layer.running_var, spec.get("running_var"))
        if "num_batches_tracked" in spec:
            layer.num_batches_tracked.fill_(spec["num_batches_tracked"])
        return layer
    if kind == "Dropout":
        return nn.Dropout(spec.get("p", 0.5), inplace=spec.get("inplace", False))
    if kind == "ReLU":
        return nn.ReLU(inplace=spec.get("inplace", False))
    if kind == "Tanh":
        return nn.Tanh()
    if kind == "Flatten":
        return nn.Flatten(spec.get("start_dim", 1), spec.get("end_dim", -1))
    if kind == "LayerNorm":
        affine = spec.get("elementwise_affine", True)
        layer = nn.LayerNorm(
            spec["normalized_shape"], eps=spec.get("eps", 1e-5), elementwise_affine=affine,
            bias=_has_bias(spec) if affine else True)
        if spec.get("weight") is not None:
            _load(layer.weight, spec["weight"])
        _load(layer.bias, spec.get("bias"))
        return layer
    raise KeyError(f"unknown layer type {kind}")


def build_optimizer(spec, parameters):
    kind = spec["type"]
    if kind == "SGD":
        keys = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")
        return torch.optim.SGD(parameters, **{k: spec[k] for k in keys if k in spec})
    keys = ("lr", "eps", "weight_decay", "amsgrad", "maximize")
    options = {k: spec[k] for k in keys if k in spec}
    if "betas" in spec:
        options["betas"] = tuple(spec["betas"])
    cls = torch.optim.Adam if kind == "Adam" else torch.optim.AdamW
    return cls(parameters, **options)


def state_document(model):
    state = {}
    for name, value in model.state_dict().items():
        state[name] = value.item() if value.dtype == torch.long else value.tolist()
    return state


class Prepared:
    """A scenario with its tensors built up front, so timing can exclude JSON and tensor construction."""

    def __init__(self, scenario):
        self.scenario = scenario
        self.steps = []
        loss = scenario.get("loss")
        for step in scenario.get("steps", []):
            op = step["op"]
            if op == "forward":
                self.steps.append((op, step["name"], _tensor(step["input"])))
            elif op == "train_step":
                target = step["target"]
                target = torch.tensor(target, dtype=torch.long) if loss == "cross_entropy" else _tensor(target)
                self.steps.append((op, _tensor(step["input"]), target))
            else:
                self.steps.append((op,))


def execute(prepared):
    """Runs a prepared scenario; returns (document, exit_code)."""
    scenario = prepared.scenario
    torch.manual_seed(scenario.get("seed", 0))
    loss_fn = F.cross_entropy if scenario.get("loss") == "cross_entropy" else F.mse_loss
    try:
        model = nn.Sequential(*[build_layer(spec) for spec in scenario["model"]])
        optimizer = build_optimizer(scenario["optimizer"], model.parameters()) if "optimizer" in scenario else None
        outputs, losses = {}, []
        with warnings.catch_warnings():
            # mse_loss warns before broadcasting mismatched shapes; broadcasting is what is being reproduced.
            warnings.simplefilter("ignore")
            for step in prepared.steps:
                op = step[0]
                if op == "train":
                    model.train()
                elif op == "eval":
                    model.eval()
                elif op == "forward":
                    with torch.no_grad():
                        outputs[step[1]] = model(step[2]).tolist()
                else:
                    optimizer.zero_grad()
                    loss = loss_fn(model(step[1]), step[2])
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
        return {"outputs": outputs, "losses": losses, "state": state_document(model)}, 0
    except (ValueError, RuntimeError, IndexError) as error:
        return {"error": str(error)}, 1


def run(scenario):
    return execute(Prepared(scenario))
