#!/usr/bin/env python3
"""Differential test of `modelint ast` against CPython's `ast` module.

For every .py file of this Python's standard library (site-packages excluded), or the given paths,
builds CPython's tree as JSON in the shape `modelint ast` prints (see ASTJSON.swift), runs
`modelint ast FILE`, and compares the two trees.

Comparison rules:
  * Every field and every position must be equal, with Python types respected (1 != 1.0, True != 1).
  * Inside a JoinedStr (its descendants, not the JoinedStr itself) positions are not compared, only
    structure and values: Python 3.11 computes f-string part positions differently from 3.12+, whose
    positions modelint follows.
  * A field modelint prints that the oracle's classes lack (`type_params` when the oracle is 3.11) is
    dropped from modelint's tree only when it is empty; a non-empty one is a difference.
  * A file CPython rejects must be rejected by modelint: exit 1, empty stdout, and a
    `FILE:LINE:COL: syntax error: MESSAGE` line on stderr. Whether the line matches CPython's is
    reported for information only.

Usage:
  ast_differential.py --modelint .build/release/modelint [--jobs N] [PATH ...]
  ast_differential.py --modelint .build/release/modelint --snippet 'CODE'
  ast_differential.py --modelint .build/release/modelint --python python3.12 --snippet 'type X = int'

Exit status 0 only when every file agrees.

With --python python3.12 the oracle is CPython 3.12 (for PEP 695/701 snippets). CPython 3.12.1 leaves an
empty Constant in some nested format specs (`f"{x:{a}{b}}"`) that 3.11 and 3.13 do not; modelint
follows 3.11/3.13 there, so that one difference is expected under 3.12.1.
"""

import argparse
import ast
import json
import math
import multiprocessing
import os
import re
import subprocess
import sys
import sysconfig
import tempfile

POSITION_KEYS = ("lineno", "col_offset", "end_lineno", "end_col_offset")
MODELINT = None  # set in each worker by init_worker
TIMEOUT_SECONDS = 120


# --- CPython tree -> JSON value (the encoding ASTJSON.swift documents) ---------------------------

def encode_float(value):
    if math.isnan(value):
        return {"float": "nan"}
    if math.isinf(value):
        return {"float": "inf" if value > 0 else "-inf"}
    return value


def encode_constant(value):
    # bool before int: bool is a subclass of int.
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2 ** 53 else {"int": str(value)}
    if isinstance(value, float):
        return encode_float(value)
    if isinstance(value, complex):
        return {"complex": [encode_float(value.real), encode_float(value.imag)]}
    if isinstance(value, str):
        # JSON reads an escaped surrogate pair ("\ud834\udd1e") as one astral character, so a Python str
        # holding the two surrogates as separate code points cannot be told apart from that character
        # once printed; give the oracle's value the same reading.
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            return json.loads(json.dumps(value))
        return value
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if value is Ellipsis:
        return {"ellipsis": True}
    raise TypeError(f"unexpected constant {value!r}")


def to_json(node):
    """Iterative, so deeply nested snippets do not hit Python's recursion limit."""
    root = {}
    stack = [(node, root, "value")]
    while stack:
        item, parent, slot = stack.pop()
        if isinstance(item, ast.AST):
            out = {"_type": type(item).__name__}
            parent[slot] = out
            constant_field = isinstance(item, (ast.Constant, ast.MatchSingleton))
            for field in item._fields:
                value = getattr(item, field, None)
                if constant_field and field == "value":
                    out[field] = encode_constant(value)
                else:
                    out[field] = None  # keeps _fields order; the stack fills it in
                    stack.append((value, out, field))
            for attribute in POSITION_KEYS:
                if attribute in item._attributes:
                    out[attribute] = getattr(item, attribute, None)
        elif isinstance(item, list):
            out = [None] * len(item)
            parent[slot] = out
            for index, element in enumerate(item):
                stack.append((element, out, index))
        else:
            parent[slot] = item
    return root["value"]


# --- Comparison ----------------------------------------------------------------------------------

def same_scalar(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)  # distinguishes 0.0 from -0.0
    return a == b


def show(value):
    # Lone surrogates cannot be printed as UTF-8; show them as escapes.
    text = json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 120 else text[:117] + "..."


def first_difference(expected, actual):
    """Returns (path, cpython value, modelint value) of the first difference, or None."""
    stack = [(expected, actual, "", False)]
    while stack:
        exp, act, path, in_fstring = stack.pop()
        if isinstance(exp, dict) and isinstance(act, dict):
            if exp.get("_type") != act.get("_type"):
                return (path + "._type" if path else "_type", exp.get("_type"), act.get("_type"))
            inner = in_fstring or exp.get("_type") == "JoinedStr"
            children = []
            for key in exp:
                if key not in act:
                    return (join(path, key), exp[key], "<missing>")
                if in_fstring and key in POSITION_KEYS:
                    continue
                children.append((exp[key], act[key], join(path, key), inner))
            for key in act:
                if key not in exp and act[key] != []:
                    return (join(path, key), "<missing>", act[key])
            order = [key for key in act if key in exp]
            if order != list(exp):
                return (join(path, "<field order>"), list(exp), order)
            stack.extend(reversed(children))
        elif isinstance(exp, list) and isinstance(act, list):
            if len(exp) != len(act):
                return (path + ".length" if path else "length", len(exp), len(act))
            stack.extend(reversed([(e, a, f"{path}[{i}]", in_fstring) for i, (e, a) in enumerate(zip(exp, act))]))
        elif isinstance(exp, (dict, list)) or isinstance(act, (dict, list)):
            return (path, exp, act)
        elif not same_scalar(exp, act):
            return (path, exp, act)
    return None


def join(path, key):
    return f"{path}.{key}" if path else key


# --- One file ------------------------------------------------------------------------------------

ERROR_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): syntax error: .+")


def init_worker(modelint):
    global MODELINT
    MODELINT = modelint
    sys.setrecursionlimit(100_000)


def run_modelint(path):
    try:
        proc = subprocess.run([MODELINT, "ast", path], capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return None, f"modelint timed out after {TIMEOUT_SECONDS}s"
    if proc.returncode < 0:
        return None, f"modelint crashed (signal {-proc.returncode})"
    return proc, None


def check_file(path):
    """Returns (path, status, detail): status is 'agree', 'differ' or 'rejected' (both rejected)."""
    with open(path, "rb") as handle:
        source = handle.read()
    try:
        expected = to_json(ast.parse(source, filename=path))
        cpython_error = None
    except (SyntaxError, ValueError) as error:
        expected = None
        cpython_error = error
    except (RecursionError, MemoryError) as error:  # CPython: "too many nested parentheses" etc.
        expected = None
        cpython_error = error

    proc, failure = run_modelint(path)
    if failure:
        return path, "differ", failure
    stderr = proc.stderr.decode("utf-8", "replace").strip()

    if expected is None:
        first_line = stderr.splitlines()[0] if stderr else ""
        match = ERROR_LINE.match(first_line)
        if proc.returncode != 1 or proc.stdout or not match:
            return path, "differ", (f"cpython rejects ({cpython_error.__class__.__name__}: {cpython_error}); "
                                    f"modelint exit {proc.returncode}, stdout {len(proc.stdout)} bytes, "
                                    f"stderr {first_line!r}")
        cpython_line = getattr(cpython_error, "lineno", None)
        same_line = cpython_line is not None and int(match.group("line")) == cpython_line
        offset = getattr(cpython_error, "offset", None)
        detail = f"cpython line {cpython_line} col {offset}: {getattr(cpython_error, 'msg', cpython_error)}; modelint {first_line}"
        return path, "rejected", (same_line, detail)

    if proc.returncode != 0:
        return path, "differ", f"cpython accepts; modelint exit {proc.returncode}: {stderr[:300]}"
    if proc.stderr:
        return path, "differ", f"cpython accepts; modelint wrote to stderr: {stderr[:300]}"
    try:
        actual = json.loads(proc.stdout)
    except ValueError as error:
        return path, "differ", f"modelint printed invalid JSON: {error}"
    difference = first_difference(expected, actual)
    if difference is None:
        return path, "agree", None
    where, cpython_value, modelint_value = difference
    return path, "differ", f"{where}: cpython {show(cpython_value)}, modelint {show(modelint_value)}"


# --- Driver --------------------------------------------------------------------------------------

def stdlib_files():
    """Every .py file under the stdlib directory, site-packages excluded, sorted."""
    root = sysconfig.get_paths()["stdlib"]
    files = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "site-packages")
        files.extend(os.path.join(directory, name) for name in names if name.endswith(".py"))
    return sorted(files)


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for directory, subdirectories, names in os.walk(path):
                subdirectories.sort()
                files.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith(".py"))
        else:
            files.append(path)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modelint", required=True, help="path to the modelint executable")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--snippet", help="diff one piece of code instead of files")
    parser.add_argument("--verbose", action="store_true", help="also print the JSON of both trees (snippet)")
    parser.add_argument("--python", help="run the oracle under this interpreter instead (e.g. python3.12, "
                                         "to diff 3.12-only syntax; the default stdlib is then that version's)")
    parser.add_argument("paths", nargs="*", help="files or directories (default: the stdlib)")
    options = parser.parse_args()
    if options.python:
        arguments = [a for i, a in enumerate(sys.argv[1:])
                     if a != "--python" and not a.startswith("--python=") and sys.argv[i] != "--python"]
        os.execvp(options.python, [options.python, os.path.abspath(__file__)] + arguments)
    modelint = os.path.abspath(options.modelint)
    if not os.access(modelint, os.X_OK):
        sys.exit(f"ast_differential: {options.modelint} is not an executable (build it first)")

    temporary = None
    if options.snippet is not None:
        temporary = tempfile.NamedTemporaryFile("wb", suffix=".py", delete=False)
        temporary.write(options.snippet.encode("utf-8", "surrogatepass"))
        temporary.close()
        files = [temporary.name]
    else:
        files = collect(options.paths) if options.paths else stdlib_files()

    try:
        if options.jobs <= 1 or len(files) == 1:
            init_worker(modelint)
            results = [check_file(f) for f in files]
        else:
            with multiprocessing.Pool(options.jobs, initializer=init_worker, initargs=(modelint,)) as pool:
                results = list(pool.imap_unordered(check_file, files, chunksize=4))
        if temporary and options.verbose:
            init_worker(modelint)
            with open(temporary.name, "rb") as handle:
                try:
                    print("cpython:", json.dumps(to_json(ast.parse(handle.read())), ensure_ascii=False))
                except SyntaxError as error:
                    print("cpython: SyntaxError:", error)
            proc, failure = run_modelint(temporary.name)
            print("modelint:", failure or (proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")))
    finally:
        if temporary:
            os.unlink(temporary.name)

    results.sort()
    differ = [(path, detail) for path, status, detail in results if status == "differ"]
    rejected = [(path, detail) for path, status, detail in results if status == "rejected"]
    agree = len(results) - len(differ)
    for path, detail in differ:
        print(f"DIFFER {path}\n    {detail}")
    if rejected:
        same = sum(1 for _, (same_line, _) in rejected if same_line)
        print(f"rejected by both: {len(rejected)} (modelint reports CPython's line for {same})")
        if options.snippet is not None:
            print("    " + rejected[0][1][1])
    print(f"{len(results)} files: {agree} agree, {len(differ)} differ")
    return 0 if not differ and results else 1


if __name__ == "__main__":
    sys.exit(main())
