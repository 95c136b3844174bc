#!/usr/bin/env python3
"""Expected trees for fixtures/syntax/*.py, from a real CPython >= 3.12 `ast` (never from modelint).

The fixtures cover PEP 695 and PEP 701 syntax that the stdlib differential (Python 3.11) cannot parse
or compares only loosely (positions inside f-strings). Run with a 3.12+ interpreter:

  python3.12 Tests/oracles/gen_syntax_fixtures.py            # (re)write fixtures/syntax/*.json
  python3.13 Tests/oracles/gen_syntax_fixtures.py --check    # compare another version with them

The JSON shape is the one `modelint ast` prints (see ast_differential.to_json). Two normalisations
keep the data to what the 3.12 grammar defines, independent of the interpreter's patch level:
  * `default_value` (PEP 696, Python 3.13+) is dropped from TypeVar/ParamSpec/TypeVarTuple when null.
  * An empty-string Constant among a JoinedStr's values is dropped: CPython 3.12.1 leaves one in some
    nested format specs (`f"{x:{a}{b}}"`), which 3.11 and 3.13 do not produce.
Each generated file was then reviewed by hand; fixtures/syntax/README.md says what was checked.
"""

import argparse
import ast
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ast_differential import to_json  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "syntax")


def normalise(node):
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("_type") in ("TypeVar", "ParamSpec", "TypeVarTuple") and item.get("default_value", 0) is None:
                del item["default_value"]
            if item.get("_type") == "JoinedStr":
                item["values"] = [v for v in item["values"] if not (v.get("_type") == "Constant" and v.get("value") == "")]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return node


def expected_json(path):
    with open(path, "rb") as handle:
        tree = normalise(to_json(ast.parse(handle.read(), filename=path)))
    return json.dumps(tree, indent=1, ensure_ascii=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    options = parser.parse_args()
    if sys.version_info < (3, 12):
        sys.exit(f"gen_syntax_fixtures: needs Python 3.12+ (this is {sys.version.split()[0]})")
    sources = sorted(f for f in os.listdir(FIXTURES) if f.endswith(".py"))
    mismatched = 0
    for name in sources:
        path = os.path.join(FIXTURES, name)
        text = expected_json(path)
        target = path[:-3] + ".json"
        if options.check:
            with open(target, encoding="utf-8") as handle:
                if handle.read() != text:
                    mismatched += 1
                    print(f"differs: {target}")
        else:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
    print(f"{len(sources)} fixtures, {mismatched} differ" if options.check else f"wrote {len(sources)} fixtures")
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
