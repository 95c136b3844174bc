#!/usr/bin/env python3
"""Writes fixtures/parser/cases.json: parser test cases with CPython's verdict and tree.

Each case is a snippet; CPython's `ast.parse` (the oracle) decides whether it is accepted and, if so,
gives the expected tree in the JSON shape of `modelint ast` (`to_json` from ast_differential.py).
ParserGoldenTests.swift parses every snippet and compares: same verdict, same tree, same positions
(positions inside a JoinedStr are not compared: Python 3.11 places f-string parts differently from
3.12, which modelint follows).

Only syntax that Python 3.11 and 3.12 treat alike belongs here; PEP 695 / PEP 701 syntax is tested
by hand in the Swift tests and by fixtures/syntax. Run with the Python the differential uses:

    python3 Tests/oracles/gen_parser_cases.py
"""

import ast
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ast_differential import to_json  # noqa: E402

# (name, source). Grouped by what they exercise; each group's names share a prefix.
CASES = [
    # --- simple statements ---
    ("stmt-pass-break-continue", "pass\nbreak\ncontinue\n"),
    ("stmt-semicolons", "a = 1; b = 2;\nc;d\n"),
    ("stmt-return", "return\nreturn 1\nreturn 1, *a\nreturn *a, b,\n"),
    ("stmt-raise", "raise\nraise E\nraise E(1) from None\n"),
    ("stmt-global-nonlocal", "global a\nglobal a, b\nnonlocal c, d\n"),
    ("stmt-del", "del a\ndel a, b.c, d[0]\ndel (a, b), [c, (d)]\ndel a,\ndel ()\ndel []\ndel (a)[0]\n"),
    ("stmt-assert", "assert x\nassert x, 'message'\nassert (x, y)\n"),
    ("stmt-import", "import a\nimport a.b.c\nimport a.b as c, d as e\nimport  a . b\n"),
    ("stmt-from-import", "from a import b\nfrom a.b import c as d, e\nfrom . import x\nfrom .. import y\n"
     "from ...a import b\nfrom .... import c\nfrom .a.b import (c, d as e,)\nfrom a import *\nfrom . import (x)\n"),
    ("stmt-expr", "x\n(x)\n((x))\nf(x)\n-x\nawait x\nyield\nyield x\nyield from x\n1, 2\n*a, b\n*a\n"),
    ("stmt-assign", "a = 1\na = b = c\na, b = c\n(a, b) = c\n[a, b] = c\na.b = c\na[0] = c\na[1:2] = c\n"
     "a, *b = c\n*a, = b\n[*a] = b\n(a) = 1\n((a)) = 1\na = *b,\na = *b\na = yield\na = yield b\n"
     "a = b = yield\n() = x\n[] = x\nf().a = 1\nf()[0] = 1\n(a.b) = 1\n(a, [b, *c]) = d\n"),
    ("stmt-augassign", "a += 1\na -= 1\na *= 1\na @= 1\na /= 1\na %= 1\na &= 1\na |= 1\na ^= 1\n"
     "a <<= 1\na >>= 1\na **= 1\na //= 1\na.b += 1\na[0] += 1\n(a) += 1\n((a.b)) += 1\na += yield\na += 1, 2\n"),
    ("stmt-annassign", "a: int\na: int = 1\na.b: int\na[0]: int = 1\n(a): int\n((a)): int = 2\n"
     "(a.b): int\na: int = yield\na: int = 1, 2\na: 'x' = *b,\n"),
    ("stmt-soft-keywords-as-names", "match = 1\nmatch(x)\nmatch[1]: int = 3\nprint(match, type)\n"
     "type = 3\ncase[1]\nmatch.x = 1\nmatch, case = 1, 2\n_ = 1\ntype(x)\ntype.x\nmatch -x\nmatch * x\n"),
    ("stmt-print-chevron", "print >>f, x\n"),
    # --- compound statements ---
    ("if-else", "if a:\n    b\nelif c:\n    d\nelif e:\n    pass\nelse:\n    f\n"),
    ("if-one-line", "if a: b; c\nelse: d\n"),
    ("if-walrus", "if (n := len(a)) > 10: pass\nif n := 10: pass\n"),
    ("while", "while a:\n    b\nelse:\n    c\nwhile x := f(): pass\n"),
    ("for", "for a in b:\n    c\nelse:\n    d\nfor a, b in c: pass\nfor (a, b) in c: pass\n"
     "for [a, *b] in c: pass\nfor a, in b: pass\nfor a.b in c: pass\nfor a[0] in c: pass\n"
     "for x in *a, *b: pass\nfor x in a, b: pass\nfor *a, b in c: pass\nfor x in y if z else w: pass\n"),
    ("async", "async def f():\n    async for a in b:\n        pass\n    async with a as b, c:\n        pass\n"
     "    await x\n    [x async for x in y]\n    await (yield)\n"),
    ("try", "try:\n    a\nexcept:\n    b\n"
     "try:\n    a\nexcept E:\n    b\nexcept (E, F) as e:\n    c\nelse:\n    d\nfinally:\n    e\n"
     "try:\n    a\nfinally:\n    b\n"
     "try: a\nexcept E as e: pass\n"),
    ("try-star", "try:\n    a\nexcept* E:\n    b\nexcept *(E, F) as e:\n    c\nelse:\n    d\nfinally:\n    e\n"),
    ("with", "with a: pass\nwith a as b: pass\nwith a as b, c as d: pass\nwith a, b: pass\n"
     "with (a, b): pass\nwith (a, b) as c: pass\nwith (a as b, c): pass\nwith (a as b, c as d,): pass\n"
     "with (a): pass\nwith (a) as b: pass\nwith (yield): pass\nwith (a, *b): pass\nwith (): pass\n"
     "with a as (b, c): pass\nwith a as [b, *c]: pass\nwith a as b.c, d as e[0]: pass\n"
     "with (open(f)) as f, (open(g)) as g: pass\nwith (a for a in b): pass\nwith (a := b): pass\n"
     "with (a, b as c): pass\nwith a as *b: pass\nwith (\n  a as b,\n  c as d,\n):\n    pass\n"),
    ("def", "def f(): pass\ndef f(a, b=1, *args, c, d=2, **kw): pass\ndef f(a, /, b): pass\n"
     "def f(a=1, /, b=2, *, c): pass\ndef f(*, a): pass\ndef f(a: int, *b: str, c: 'x' = 1, **d: float) -> None: pass\n"
     "def f(a,): pass\ndef f(*a,): pass\ndef f(**a,): pass\ndef f(a, /,): pass\ndef f(*, a,): pass\n"
     "def f(a, a): pass\ndef f(*args: *Ts): pass\ndef f(a=(yield)): pass\ndef f(a=lambda x: x): pass\n"),
    ("def-decorated", "@d\ndef f(): pass\n@a.b(c)\n@d\nasync def g(): pass\n@x[0]\n@(yield)\n@a if b else c\n"
     "@(lambda f: f)\nclass C: pass\n@x := y\ndef f(): pass\n"),
    ("class", "class A: pass\nclass A(): pass\nclass A(B, C): pass\nclass A(B, metaclass=M, **kw): pass\n"
     "class A(*bases): pass\nclass A:\n    x = 1\n    def f(self): pass\n"),
    ("nested-blocks", "def f():\n    if a:\n        for b in c:\n            while d:\n                pass\n"
     "    return\nclass C:\n    def g(self):\n        try:\n            pass\n        finally:\n            pass\n"),
    ("blank-and-comment-lines", "if a:\n\n    # comment\n    b  # trailing\n\n        # odd indent comment\n    c\n"),
    ("backslash-continuation", "x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\n"),
    # --- match ---
    ("match-literals", "match x:\n case 1: pass\n case -1: pass\n case 1.5: pass\n case -1+2j: pass\n"
     " case 1-2j: pass\n case -0j: pass\n case 'a': pass\n case 'a' 'b': pass\n case b'x': pass\n"
     " case None: pass\n case True: pass\n case False: pass\n case 0x1F: pass\n"),
    ("match-captures", "match x:\n case a: pass\n case _: pass\n case a.b: pass\n case a.b.c: pass\n"
     " case a as b: pass\n case (a as b) as c: pass\n case _ as x: pass\n case 1 | 2 | a.b: pass\n"
     " case 1 | 2 as y if y > 0: pass\n case a if (b := 1): pass\n case a if b := 1: pass\n"),
    ("match-sequences", "match x:\n case []: pass\n case (): pass\n case [a]: pass\n case (a): pass\n"
     " case (a,): pass\n case a, b: pass\n case a, *b: pass\n case *a,: pass\n case [a, *_, b]: pass\n"
     " case [*a]: pass\n case (a, [b, (c, *d)]): pass\n case a, b,: pass\n case [a, b,]: pass\n"),
    ("match-mappings", "match x:\n case {}: pass\n case {'a': 1}: pass\n case {'a': 1, **rest}: pass\n"
     " case {**rest}: pass\n case {a.b: 1, -1: x, 1+2j: y, None: z, True: t}: pass\n"
     " case {'a': 1, **rest,}: pass\n case {'a': [b, c], 'd': {'e': f}}: pass\n"),
    ("match-classes", "match x:\n case A(): pass\n case A(a): pass\n case A(a, b=1): pass\n"
     " case a.B(c, d=[e], f=G()): pass\n case A(b=1,): pass\n case A(a, b,): pass\n case A(x=_): pass\n"),
    ("match-subjects", "match a, b:\n case c: pass\nmatch *a, b:\n case c: pass\nmatch *a,:\n case c: pass\n"
     "match (a):\n case c: pass\nmatch [a]:\n case c: pass\nmatch -x:\n case c: pass\n"
     "match a := b:\n case c: pass\nmatch f(x):\n case c: pass\nmatch x,:\n case c: pass\n"),
    ("match-nested-body", "match x:\n    case 1:\n        match y:\n            case 2:\n                pass\n"
     "    case _:\n        pass\n"),
    # --- expressions ---
    ("expr-constants", "1\n1.5\n1j\n0x10\n0o7\n0b1\n1_000\n10**100\n1e10\n'a'\n\"a\"\nb'a'\nu'a'\nU'a'\n"
     "r'a\\n'\nR'a'\nbr'a'\nRb'a'\n'''a\nb'''\nNone\nTrue\nFalse\n...\n0.0\n-0.0\n"),
    ("expr-string-concat", "'a' 'b'\n'a' u'b'\nu'a' 'b'\nb'a' b'b'\n('a'\n 'b')\n'' ''\n"),
    ("expr-boolops", "a or b\na and b\na or b or c\na and b or c and d\nnot a\nnot not a\nnot a and b\n"),
    ("expr-compare", "a < b\na < b < c\na == b != c\na in b\na not in b\na is b\na is not b\na <= b >= c > d\n"
     "not a in b\n"),
    ("expr-binops", "a + b\na - b - c\na * b + c\na + b * c\na ** b ** c\n-a ** b\n(-a) ** b\na | b ^ c & d\n"
     "a << b >> c\na @ b\na / b // c % d\n~a\n+a\n-a\n- - a\n2 ** -1\nawait a ** b\n(a + b) * c\n"),
    ("expr-ifexp", "a if b else c\na if b else c if d else e\n(a if b else c) if d else e\nlambda: a if b else c\n"),
    ("expr-lambda", "lambda: 0\nlambda a: a\nlambda a, b=1, *c, d, e=2, **f: 0\nlambda a, /: 0\nlambda *, a: 0\n"
     "lambda *a: 0\nlambda **a: 0\nlambda a=1, /, b=2: 0\nlambda: (yield)\nlambda a,: 0\nlambda: lambda: 0\n"),
    ("expr-walrus", "(a := 1)\nf(a := 1)\n[a := 1, b]\n{a := 1}\n(a := 1, b := 2)\nx[a := 1]\n"
     "[y := f(x) for x in z]\nif (a := 1) and (b := 2): pass\n"),
    ("expr-calls", "f()\nf(a)\nf(a, b)\nf(a,)\nf(*a)\nf(**a)\nf(a=1)\nf(a, *b, c=1, *d, **e)\nf(a=1, *b)\n"
     "f(**a, b=1)\nf(*a, *b)\nf(x for x in y)\nf(x for x in y)(z)\nf(a)(b)(c)\nf.g(a).h[0]\n"
     "f(**a, **b)\nf(a, b=1, **c)\nf(\n  a,\n  b,\n)\nf(*a or b)\nf(*a if b else c)\nf(a=1, a=2)\n"),
    ("expr-attribute-subscript", "a.b\na.b.c\na[0]\na[0][1]\na[1:2]\na[::]\na[:]\na[1:]\na[:2]\na[::3]\n"
     "a[1:2:3]\na[1:2, ::3]\na[1, 2]\na[1,]\na[*b]\na[*b, c]\na[b:c, *d]\n(a).b\n(a)[0]\n(a)(b)\n"
     "a[lambda: 0]\na[b if c else d:e]\na[()]\n"),
    ("expr-displays", "[]\n[1]\n[1, 2,]\n[*a, *b]\n()\n(1,)\n(1, 2)\n(*a,)\n(*a, b)\n{}\n{1: 2}\n{1: 2, **a}\n"
     "{**a, 1: 2}\n{**a}\n{1}\n{1, 2,}\n{*a}\n{*a, b}\n{(a := 1): 2}\n{lambda: 1: 2}\n"),
    ("expr-comprehensions", "[x for x in y]\n[x for x in y if a if b]\n[x for x in y for z in w]\n"
     "{x for x in y}\n{x: y for x, y in z}\n(x for x in y)\n[x async for x in y]\n"
     "[(a, b) for a, b in c]\n[x for (x) in y]\n[x for x, in y]\n[x for *a, b in c]\n"
     ),
    ("err-comprehension-lambda-iter", "[x for x in lambda: y]\n"),
    ("expr-yield-await", "def f():\n    x = yield\n    y = yield a, b\n    z = yield from c\n"
     "    f((yield))\n    await a.b()\n    await a[0]\n    return (yield)\n"),
    ("expr-starred", "*a, b = c\na = *b, c\nprint(*a, *b)\n[*a]\n{*a}\nf(*[1])\nx = *a,\n"),
    ("expr-multiline", "x = (\n    1 +\n    2\n)\ny = [\n    a,\n    b,\n]\nz = f(\n    a,\n)(b)\n"),
    ("expr-implicit-concat-multiline", "x = ('a'\n     'b'\n     'c')\n"),
    # --- positions of tricky cases ---
    ("pos-parens", "(a) + b\n((a)).b\n(a)(b)\n(a)[b]\n(-a)\n((a, b))\n(((yield)))\n"),
    ("pos-tuple-trailing-comma", "x = 1, 2,\nfor a, in b: pass\na[1, 2,]\n"),
    ("pos-decorated", "@dec\ndef f():\n    pass\n\n@dec\nclass C:\n    pass\n@dec\nasync def g():\n    pass\n"),
    ("pos-block-end", "if a:\n    b\n\n\n# comment\nx = 1\nwhile a:\n    pass  # c\n    \n"),
    ("pos-genexp", "f(x for x in y)\nf((x for x in y))\nf (x for x in y)\n"),
    ("pos-unicode", "é = 'ü'\nx = ('é', 'ü')\nnamé.attr = 1\nf('日本', x)\n"),
    ("pos-nfkc", "ﬁ = 1\nℌ = 2\n"),
    ("pos-lambda-no-args", "f(lambda: 0)\n"),
    ("pos-slices", "a[:]\na[::]\na[1:2:]\na[:,:]\n"),
    ("pos-keywords-args", "f(a, *b, c=d, **e)\nclass A(B, c=d): pass\n"),
    ("pos-alias", "import a.b.c as d\nfrom x import (y as z)\nfrom . import *\n"),
    ("pos-except-handler", "try:\n    pass\nexcept E as e:\n    pass\n    pass\n"),
    ("pos-with-items", "with a as b, c as (d, e): pass\n"),
    ("pos-fstring-expressions", "f'{a}'\nf'{a!r}'\nf'{a:>{w}}'\nf'{a=}'\nx = f'a{b}c' 'd' f'{e}'\n"),
    ("fstring-values", "f''\n'a' f''\nf'{x}' ''\nf'{x:}'\nf'{x!r:}'\nf'{x=:>3}'\nf'{x = !s}'\nf'a{{b}}c'\n"
     "f'{x:{y}{z}a}'\nf'{ x = }'\nf'{x:{y}=}'\nf'{a}{b}'\nf'{a!s}{b!a}'\nu'a' f'{b}'\nf'{(yield)}'\n"
     "rf'\\d{x}'\nf'{x:\\t}'\nf'{a, b}'\nf'{*a,}'\nf'''{\na\n}'''\n"),
    # --- accepted by ast.parse although compile() rejects them ---
    ("ast-only", "return 1\nyield 2\nawait 3\nbreak\ncontinue\nnonlocal x\nfrom __future__ import braces\n"
     "def f(a, a): pass\nf(a=1, a=2)\n*a = b\nTrue.x = 1\n"),
    # --- rejected ---
    ("err-assign-literal", "1 = a\n"),
    ("err-assign-call", "f() = 1\n"),
    ("err-assign-op", "a + 1 = 2\n"),
    ("err-augassign-op", "a + 1 += 2\n"),
    ("err-augassign-tuple", "a, b += 1\n"),
    ("err-augassign-list", "[a] += 1\n"),
    ("err-augassign-paren-tuple", "(a, b) += 1\n"),
    ("err-tuple-literal-target", "(a, 1) = x\n"),
    ("err-assign-yield", "a = yield = 1\n"),
    ("err-assign-walrus", "(a := 1) = 2\n"),
    ("err-assign-lambda", "lambda: 1 = 1\n"),
    ("err-assign-compare", "a < b = 1\n"),
    ("err-assign-starred-paren", "(*a) = 1\n"),
    ("err-assign-dict", "{a: b} = c\n"),
    ("err-annassign-tuple", "a, b: int\n"),
    ("err-annassign-list", "[a]: int\n"),
    ("err-annassign-starred", "*a: int\n"),
    ("err-annassign-call", "f(): int\n"),
    ("err-del-call", "del f()\n"),
    ("err-del-starred", "del *a\n"),
    ("err-del-starred-tuple", "del (a, *b)\n"),
    ("err-del-op", "del a + b\n"),
    ("err-del-empty", "del\n"),
    ("err-for-call-target", "for f() in x: pass\n"),
    ("err-for-literal-target", "for 1 in x: pass\n"),
    ("err-for-no-in", "for x y: pass\n"),
    ("err-with-call-target", "with a as f(): pass\n"),
    ("err-with-tuple-target", "with a as b, c as 1: pass\n"),
    ("err-comprehension-target", "[x for f() in y]\n"),
    ("err-comprehension-ifexp-iter", "[x for x in a if b else c]\n"),
    ("err-comprehension-starred", "[*a for a in b]\n"),
    ("err-genexp-starred", "(*a for a in b)\n"),
    ("err-dictcomp-unpack", "{**a for a in b}\n"),
    ("err-starred-group", "x = (*a)\n"),
    ("err-starred-alone-in-group", "print((*a))\n"),
    ("err-starred-subscript-slice", "a[*b:1]\n"),
    ("err-double-starred-list", "[**a]\n"),
    ("err-starred-dict-key", "{*a: 1}\n"),
    ("err-starred-dict-value", "{1: *a}\n"),
    ("err-call-keyword-then-positional", "f(a=1, b)\n"),
    ("err-call-kwunpack-then-positional", "f(**a, b)\n"),
    ("err-call-kwunpack-then-star", "f(**a, *b)\n"),
    ("err-call-keyword-expression", "f(a.b=1)\n"),
    ("err-call-keyword-literal", "f(1=2)\n"),
    ("err-call-keyword-true", "f(True=1)\n"),
    ("err-call-genexp-not-alone", "f(x for x in y, 1)\n"),
    ("err-call-genexp-second", "f(1, x for x in y)\n"),
    ("err-call-genexp-trailing-comma", "f(x for x in y,)\n"),
    ("err-call-starred-keyword", "f(*a=1)\n"),
    ("err-class-genexp", "class A(x for x in y): pass\n"),
    ("err-walrus-attribute", "(a.b := 1)\n"),
    ("err-walrus-subscript", "(a[0] := 1)\n"),
    ("err-walrus-parenthesized-name", "((a) := 1)\n"),
    ("err-walrus-statement", "a := 1\n"),
    ("err-walrus-assign-rhs", "x = a := 1\n"),
    ("err-walrus-comprehension-if", "[x for x in y if z := 1]\n"),
    ("err-walrus-lambda-body", "lambda: x := 1\n"),
    ("err-walrus-dict-key", "{a := 1: 2}\n"),
    ("err-walrus-slice", "a[b := 1:2]\n"),
    ("err-walrus-default", "def f(a=b:=1): pass\n"),
    ("err-lambda-default-order", "lambda a=1, b: 0\n"),
    ("err-lambda-parenthesized", "lambda (a): 0\n"),
    ("err-lambda-star-default", "lambda *a=1: 0\n"),
    ("err-lambda-bare-star", "lambda *: 0\n"),
    ("err-lambda-annotation", "lambda a: int: 0\n"),
    ("err-def-default-order", "def f(a=1, b): pass\n"),
    ("err-def-default-order-slash", "def f(a=1, /, b): pass\n"),
    ("err-def-double-star", "def f(*a, *b): pass\n"),
    ("err-def-double-bare-star", "def f(*, a, *): pass\n"),
    ("err-def-bare-star", "def f(*): pass\n"),
    ("err-def-bare-star-comma", "def f(*,): pass\n"),
    ("err-def-bare-star-kwargs", "def f(*, **k): pass\n"),
    ("err-def-slash-first", "def f(/): pass\n"),
    ("err-def-slash-twice", "def f(a, /, b, /): pass\n"),
    ("err-def-slash-after-star", "def f(*a, /): pass\n"),
    ("err-def-after-kwargs", "def f(**k, a): pass\n"),
    ("err-def-kwargs-default", "def f(**k=1): pass\n"),
    ("err-def-star-default", "def f(*a=1): pass\n"),
    ("err-def-parenthesized-param", "def f((a)): pass\n"),
    ("err-def-no-parens", "def f: pass\n"),
    ("err-def-missing-default", "def f(a=): pass\n"),
    ("err-def-double-comma", "def f(a,,b): pass\n"),
    ("err-except-star-mixed", "try:\n    pass\nexcept E:\n    pass\nexcept* F:\n    pass\n"),
    ("err-except-star-mixed2", "try:\n    pass\nexcept* E:\n    pass\nexcept F:\n    pass\n"),
    ("err-except-star-no-type", "try:\n    pass\nexcept*:\n    pass\n"),
    ("err-except-unparenthesized", "try:\n    pass\nexcept A, B:\n    pass\n"),
    ("err-try-alone", "try:\n    pass\n"),
    ("err-try-else-only", "try:\n    pass\nelse:\n    pass\n"),
    ("err-except-as-attr", "try:\n    pass\nexcept E as a.b:\n    pass\n"),
    ("err-print-py2", "print \"x\"\n"),
    ("err-exec-py2", "exec \"x\"\n"),
    ("err-ifexp-no-else", "1 if x\n"),
    ("err-ifexp-starred", "x = a if b else *c\n"),
    ("err-not-equal-barry", "1 <> 2\n"),
    ("err-missing-colon", "if x\n    pass\n"),
    ("err-missing-indent", "if x:\npass\n"),
    ("err-unexpected-indent", "a\n    b\n"),
    ("err-unindent-mismatch", "if a:\n        b\n    c\n"),
    ("err-empty-block-eof", "if x:\n"),
    ("err-else-without-if", "else:\n    pass\n"),
    ("err-elif-after-else", "if a:\n    pass\nelse:\n    pass\nelif b:\n    pass\n"),
    ("err-async-alone", "async x\n"),
    ("err-decorator-no-def", "@d\nx = 1\n"),
    ("err-import-trailing-comma", "from a import b,\n"),
    ("err-import-star-parens", "from a import (*)\n"),
    ("err-import-dotted-from", "from a import b.c\n"),
    ("err-import-relative", "import .a\n"),
    ("err-import-as-dotted", "import a as b.c\n"),
    ("err-from-no-names", "from a import\n"),
    ("err-from-empty-parens", "from a import ()\n"),
    ("err-global-dotted", "global a.b\n"),
    ("err-return-yield", "return yield x\n"),
    ("err-raise-from-nothing", "raise from x\n"),
    ("err-assert-walrus", "assert a := 1\n"),
    ("err-await-unary", "await -x\n"),
    ("err-double-await", "await await x\n"),
    ("err-keyword-as-name", "class = 1\n"),
    ("err-none-assign", "None = 1\n"),
    ("err-lambda-in-or", "a or lambda: b\n"),
    ("err-not-after-op", "a + not b\n"),
    ("err-chained-not", "a not b\n"),
    ("err-is-not-in", "a is in b\n"),
    ("err-empty-subscript", "a[]\n"),
    ("err-subscript-double-star", "a[**b]\n"),
    ("err-tuple-unclosed-eof", "(a, b\n"),
    ("err-trailing-operator", "a +\n"),
    ("err-dangling-comma", ",\n"),
    ("err-semicolon-alone", ";\n"),
    ("err-double-semicolon", "a;;b\n"),
    ("err-set-dict-mix", "{1: 2, 3}\n"),
    ("err-dict-set-mix", "{1, 2: 3}\n"),
    ("err-bytes-str-mix", "b'a' 'b'\n"),
    ("err-str-bytes-mix", "'a' b'b'\n"),
    ("err-fstring-bytes-mix", "f'a' b'b'\n"),
    ("err-match-star-alone", "match x:\n case *a: pass\n"),
    ("err-match-star-group", "match x:\n case (*a): pass\n"),
    ("err-match-wildcard-attr", "match x:\n case _.a: pass\n"),
    ("err-match-wildcard-class", "match x:\n case _(): pass\n"),
    ("err-match-plus-number", "match x:\n case +1: pass\n"),
    ("err-match-real-plus-real", "match x:\n case 1+2: pass\n"),
    ("err-match-imag-plus-imag", "match x:\n case 1j+2j: pass\n"),
    ("err-match-double-star-wildcard", "match x:\n case {**_}: pass\n"),
    ("err-match-name-key", "match x:\n case {a: 1}: pass\n"),
    ("err-match-double-star-not-last", "match x:\n case {**r, 'a': 1}: pass\n"),
    ("err-match-positional-after-keyword", "match x:\n case A(x=1, 2): pass\n"),
    ("err-match-as-wildcard", "match x:\n case a as _: pass\n"),
    ("err-match-as-attr", "match x:\n case a as b.c: pass\n"),
    ("err-match-subject-star", "match *a:\n case 1: pass\n"),
    ("err-match-no-cases", "match x:\n  pass\n"),
    ("err-match-empty-class-kw", "match x:\n case A(b=): pass\n"),
    ("err-match-expression-pattern", "match x:\n case a + b: pass\n"),
    ("err-match-call-in-key", "match x:\n case {f(): 1}: pass\n"),
    ("err-match-capture-keyword-eq", "match x:\n case a=1: pass\n"),
    ("err-case-outside-match", "case 1:\n    pass\n"),
    ("err-fstring-conversion", "f'{x!z}'\n"),
    ("err-fstring-conversion-long", "f'{x!rr}'\n"),
    ("err-fstring-empty-expression", "f'{}'\n"),
    ("err-fstring-conversion-space", "f'{x! r}'\n"),
    ("err-fstring-debug-after-conversion", "f'{x!s=}'\n"),
    ("err-fstring-unclosed-field", "f'{x'\n"),
    ("fstring-colon-equal-is-format-spec", "f'{a := 1}'\n"),
    ("err-bad-number", "1_\n"),
    ("err-octal-leading-zero", "0777\n"),
    ("err-unterminated-string", "'abc\n"),
    ("err-invalid-character", "a = 1 $ 2\n"),
    ("err-unmatched-paren", "a)\n"),
]


def case(name, source):
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        return {"name": name, "source": source, "tree": None,
                "error": {"message": error.msg, "line": error.lineno, "column": error.offset}}
    return {"name": name, "source": source, "tree": to_json(tree), "error": None}


def main():
    names = [name for name, _ in CASES]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        sys.exit(f"duplicate case names: {sorted(duplicates)}")
    out = [case(name, source) for name, source in CASES]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, "fixtures", "parser", "cases.json")
    # One case per line keeps the file small and its diffs readable.
    lines = ",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in out)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f'{{"python":"{sys.version.split()[0]}","cases":[\n{lines}\n]}}\n')
    rejected = sum(1 for c in out if c["error"])
    print(f"wrote {path}: {len(out)} cases ({rejected} rejected by CPython)")
    # A case named err-* must be rejected and every other case accepted, so the list stays honest.
    wrong = [c["name"] for c in out if (c["error"] is not None) != c["name"].startswith("err-")]
    if wrong:
        for c in out:
            if c["name"] in wrong:
                print("  verdict does not match the name:", c["name"], c["error"])
        sys.exit(1)


if __name__ == "__main__":
    main()
