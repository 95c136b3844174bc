#!/usr/bin/env python3
"""Mutation differential of the parser against CPython's `ast.parse` on broken-ish code.

Takes statements from the standard library, applies one to three token-level mutations to each
(delete, duplicate, insert or replace a token with one from a fixed list of troublemakers), writes
the mutants to a temporary directory and runs ast_differential.py on them: CPython (this python3)
and `modelint ast` must agree on every verdict, and on the tree when both accept.

Python 3.11 cannot judge 3.12-only syntax, so mutants with f-strings or that start with `type` are
skipped. Deterministic for a given --seed.

Usage:
  parser_mutation_differential.py --modelint .build/release/modelint [--seed N] [--count N] [--jobs N]
"""

import argparse
import ast
import io
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import tokenize

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ast_differential import stdlib_files  # noqa: E402

TROUBLEMAKERS = [
    ",", "*", "**", "(", ")", ":", "=", "lambda", "if", "else", "not", "in", "is", "await", "yield", ":=", ".",
    "[", "]", "for", "async", "as", "from", "@", "->", ";", "/", "x", "1", "'s'", "{", "}", "match", "case", "_",
    "del", "return", "global", "with", "try", "except", "|", "-", "+", "~", "and", "or", "...", "None",
]


def statements(rng, files):
    """Source of small statements (at most 8 lines) from a sample of the stdlib, dedented."""
    for path in rng.sample(files, min(400, len(files))):
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            tree = ast.parse(text)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        lines = text.splitlines(keepends=True)
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt) and node.end_lineno - node.lineno < 8:
                yield textwrap.dedent("".join(lines[node.lineno - 1:node.end_lineno]))


def mutate(rng, text):
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    skipped = (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE)
    significant = [t for t in tokens if t.type not in skipped]
    if not significant:
        return None
    lines = text.splitlines(keepends=True)

    def offset(position):
        row, column = position
        return sum(len(line) for line in lines[:row - 1]) + column

    picks = sorted(rng.sample(range(len(significant)), min(len(significant), rng.choice([1, 1, 2, 3]))), reverse=True)
    for index in picks:  # from the end, so earlier offsets stay valid
        token = significant[index]
        start, end = offset(token.start), offset(token.end)
        operation = rng.randrange(4)
        if operation == 0:
            text = text[:start] + text[end:]
        elif operation == 1:
            text = text[:start] + text[start:end] + " " + text[start:end] + text[end:]
        elif operation == 2:
            text = text[:start] + rng.choice(TROUBLEMAKERS) + " " + text[start:]
        else:
            text = text[:start] + rng.choice(TROUBLEMAKERS) + text[end:]
    return text


def is_312_only_risk(text):
    lowered = text.replace(" ", "")
    return any(quote in text for quote in ("f'", 'f"', "F'", 'F"')) or lowered.startswith("type") or "\\N{" in text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modelint", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    files = stdlib_files()
    with tempfile.TemporaryDirectory(prefix="modelint-mutants-") as directory:
        written = 0
        for source in statements(rng, files):
            if written >= options.count:
                break
            mutant = mutate(rng, source)
            if mutant is None or is_312_only_risk(source) or is_312_only_risk(mutant):
                continue
            with open(os.path.join(directory, f"m{written:06d}.py"), "w", encoding="utf-8") as handle:
                handle.write(mutant)
            written += 1
        differential = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ast_differential.py")
        result = subprocess.run([sys.executable, "-W", "ignore::SyntaxWarning", differential, "--modelint", options.modelint,
                                 "--jobs", str(options.jobs), directory], capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:  # show the differing mutants before the directory goes
            for line in result.stdout.splitlines():
                if line.startswith("DIFFER "):
                    with open(line.split(" ", 1)[1], encoding="utf-8") as handle:
                        print(f"--- {line.split(' ', 1)[1]}\n{handle.read()}---")
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
