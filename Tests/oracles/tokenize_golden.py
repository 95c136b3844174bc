#!/usr/bin/env python3
"""Golden data for the lexer tests, taken from CPython itself (run with python3.11).

Writes, under fixtures/lexer/:
  <name>.tokens.json  for every <name>.py: the tokens of Python's `tokenize` module (NL, COMMENT and
                      ENCODING dropped; comments listed separately), positions as 1-based line and
                      0-based UTF-8 byte column.
  literals.json       values of string, bytes, number and (simple) f-string literals per `ast.parse`,
                      and the (NFKC-normalised) identifiers of names.
  errors.json         message and position of the SyntaxError `ast.parse` raises for bad input.
  codecs.json         what Python's cp1252 codec makes of each byte 0x80-0xFF (null where undefined).

Python 3.11's tokenizer emits an f-string as one STRING token, so the token fixtures contain no
f-strings; PEP 701 token sequences are unit-tested by hand.

Usage: python3 Tests/oracles/tokenize_golden.py
"""
import ast
import glob
import io
import json
import os
import sys
import tokenize
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "fixtures", "lexer")


def universal_text(raw):
    """Decode as CPython reads a source file: declared encoding, BOM dropped, newlines translated."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    text = raw.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def byte_position(lines, line, col):
    """(line, character column) -> [line, UTF-8 byte column]; translation never moves a column."""
    if 1 <= line <= len(lines):
        return [line, len(lines[line - 1][:col].encode("utf-8"))]
    return [line, col]


def token_fixture(path):
    raw = open(path, "rb").read()
    text = universal_text(raw)
    lines = text.split("\n")  # not splitlines(): that also breaks at form feeds and U+2028
    tokens, comments = [], []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.NL, tokenize.ENCODING):
            continue
        start = byte_position(lines, *tok.start)
        end = byte_position(lines, *tok.end)
        if tok.type == tokenize.COMMENT:
            comments.append({"start": start, "end": end})
            continue
        if tok.type == tokenize.ERRORTOKEN:
            sys.exit("%s: fixture must tokenize cleanly, got ERRORTOKEN %r at %s" % (path, tok.string, tok.start))
        tokens.append({
            "type": tokenize.tok_name[tok.exact_type],
            "string": tok.string,
            "start": start,
            "end": end,
        })
    return {
        "source": os.path.basename(path),
        "endsWithNewline": raw.endswith(b"\n") or raw.endswith(b"\r"),
        "tokens": tokens,
        "comments": comments,
    }


# Each case is the source text of one literal expression.
LITERAL_CASES = [
    # str: plain, quotes, prefixes
    "'abc'", '"abc"', "''", '""', "''''''", "'''a'b\"c'''", '"""x"""', "u'x'", "U'x'",
    "r'\\n'", "R'\\''", "r'\\\\'", "r'a\\\nb'", "'\\''", '"\\""', "'\\\\'",
    # simple escapes
    "'\\a\\b\\f\\n\\r\\t\\v'", "'a\\\nb'", "'a\\\r\nb'", "'''a\r\nb\rc'''", "r'''a\r\nb\rc'''",
    # octal, hex, unicode escapes
    "'\\0'", "'\\7'", "'\\07'", "'\\101'", "'\\1011'", "'\\377'", "'\\400'", "'\\777'", "'\\8'", "'\\9'",
    "'\\x41'", "'\\xff'", "'\\xFF'", "'\\u00e9'", "'\\u20AC'", "'\\U0001F600'", "'\\U0010FFFF'",
    "'\\ud800'", "'\\udfff'", "'a\\ud83d\\ude00b'", "'\\U0000d800'",
    # \N{...}
    "'\\N{BULLET}'", "'\\N{bullet}'", "'\\N{LATIN SMALL LETTER E WITH ACUTE}'", "'\\N{NBSP}'",
    "'\\N{LINE FEED}'", "'\\N{LATIN CAPITAL LETTER GHA}'", "'\\N{CJK UNIFIED IDEOGRAPH-4E00}'",
    "'\\N{HANGUL SYLLABLE GAG}'", "'\\N{GRINNING FACE}'",
    "'\\N{EM DASH}\\N{EM DASH}'", "'\\N{CJK COMPATIBILITY IDEOGRAPH-F900}'", "'\\N{SPACE}'",
    # unknown escapes stay
    "'\\d'", "'\\q\\w'", "'\\é'", "'\\{'", "'\\%'",
    # non-ASCII text
    "'é'", "'漢字'", "'😀'", "'é\\x41'",
    # bytes
    "b'abc'", "B'abc'", "b''", "b'\\x00\\xff'", "b'\\n\\t\\\\'", "b'\\101'", "b'\\400'", "b'\\777'",
    "b'\\u0041'", "b'\\U00000041'", "b'\\N{BULLET}'", "br'\\x00'", "rb'\\n'", "Rb'\\''", "b'a\\\nb'",
    "b'''a\r\nb'''",
    # ints
    "0", "00", "0_0", "7", "1_000", "123456789", "9223372036854775807", "9223372036854775808",
    "18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
    "0x0", "0xff", "0XFF", "0x_f_f", "0x7FFFFFFFFFFFFFFF", "0x8000000000000000", "0xFFFFFFFFFFFFFFFF",
    "0x10000000000000000", "0xDEADBEEFCAFEBABEDEADBEEFCAFEBABE", "0o0", "0o17", "0O777", "0o_1_7",
    "0o1777777777777777777777", "0o2000000000000000000000", "0b0", "0b1010", "0B_1_0",
    "0b" + "1" * 64, "0b1" + "0" * 64, "000000000000000000000000000",
    # floats
    "1.", ".5", "1.5", "0.1", "1e3", "1E-3", "1e+3", "1_0.0_1e1_0", "0.0", "00.5", "0e0", "09.5",
    "1.e5", "1e400", "1e-400", "1.7976931348623157e308", "2.2250738585072014e-308", "5e-324",
    "3.141592653589793238462643383279", "0.30000000000000004", "123456789012345678901234567890.0",
    "1e22", "1e23", "9007199254740993.0",
    # imaginary
    "1j", "1.5J", "0j", "1e3j", ".5j", "1_0j", "09j", "1e400j",
]

# f-strings whose pieces Python 3.11 can already parse: each case lists the str constants of the
# JoinedStr (format specs included) in source order.
FSTRING_CASES = [
    "f'abc'", "f'a{x}b'", "f'{x}{y}'", "f'{{'", "f'}}'", "f'a{{b}}c{x}'", "f'\\n{x}\\t'",
    "rf'\\n{x}'", "fR'\\d{x}'", "f'\\N{BULLET}{x}'", "f'{x:>10}'", "f'{x:{w}.{p}f}'", "f'{x!r:^{w}}'",
    "f'''a\nb{x}c\r\nd'''", "f'é{x}漢'", "f'\\x41{x}'", "F'a'", "f'{x:%Y-%m-%d}'", "f'a\\\nb{x}'",
]

# Names whose identifier CPython NFKC-normalises (PEP 3131), and plain ones.
IDENTIFIER_CASES = [
    "x", "_private", "été", "e\u0301t\u00e9", "\ufb01le", "\U0001d518\U0001d52b", "\u210c", "\u2126",
    "\uff58", "\ufb00", "\u00aa", "\u00b5", "\u017f", "\u1e9b\u0323", "\u03d2",
]

# Sources that CPython rejects while tokenizing or decoding literals (Python 3.11 and 3.12 agree).
ERROR_CASES = [
    "1abc", "0x", "0x_", "0xg", "1__0", "1_", "0b2", "0b1_2", "0o8", "0o", "0b", "012", "0_7", "0777",
    "1e", "1e+", "1.e", "1.__class__", "0x1z", "1.5abc", "1jk", "0_", "1_000_",
    "x = 'abc\n", "x = 'abc", "x = '''abc\n", "x = '''abc", "x = \"\"\"a\nb\nc\n", "'a\\\n", "x = '\\'\n", "x = 'a\\'\n",
    "x = \\ y\n", "x = 1 \\", "x = \\\n", "x = 1\n\\",
    "x = (1,\n", "x = (1, [2,\n", "f(\n  a,\n", "x = )\n", "x = (]\n", "x = (\n]\n", "x = [1, 2}\n",
    "if x:\n  y\n z\n", "if x:\n\ty\n        z\n", "if x:\n        y\n\tz\n",
    "x = €\n", "x = a€b\n", "x\u00b2 = 1\n", "\u00b2 = 1\n", "€ = 1\n", "x = a\u00a0b\n", "x = \x01\n", "x = 1 \x7f\n",
    "x = a$b\n", "x = `a`\n", "x = a?b\n", "x = 1 <> 2\n", "x = !a\n",
    "'\\x4'", "'\\x'", "'\\xg0'", "'é\\x4'", "'\\u12'", "'\\U1234567'", "'\\U00110000'", "'\\UFFFFFFFF'",
    "'\\N{foo}'", "'\\N{}'", "'\\N'", "'\\Nx'", "'\\N{BULLET'", "'é\\N{bad}'", "'\\N{CJK UNIFIED IDEOGRAPH-4e00}'",
    "'\\N{HANGUL SYLLABLE gag}'", "'\\N{cjk unified ideograph-4E00}'", "'\\N{hangul syllable GAG}'",
    "b'é'", "b'\\xzz'", "b'ab\\x4'", "b'\\x'",
    "(" * 201 + ")" * 201,
    # After a failed parse CPython tokenizes the rest of the file and reports a tokenizer error it
    # finds there instead (but not indentation or end-of-file errors, and an unclosed bracket only
    # when the parser's error comes on a later line than the bracket).
    "x = $\ny = 0x\n", "x = a ? b\ny = 'abc\n", "x = `a`\ny = (]\n", "x = !a\ny = 1_\n",
    "x = 1 <> 2\ny = €\n", "x = $\nif x:\n  y\n z\n", "x = $\ny = (\n", "x = (a,\n$\n",
    "x = (a,\n$ \\ b\n", "x = $\ny = 1 \\ z\n", "x = $ $\ny = 012\n", "x = $\n" + "(" * 201,
    "x = $\ny = '\\N{foo}'\n", "x = [1,\n  2 \\\n", "x = (1 \\", "x = (1 \\ 2)\n",
]


def encode_value(value):
    if isinstance(value, bool) or value is None:
        raise ValueError("not a literal: %r" % (value,))
    if isinstance(value, int):
        return {"type": "int", "value": str(value)}
    if isinstance(value, float):
        return {"type": "float", "value": value.hex()}
    if isinstance(value, complex):
        return {"type": "complex", "imag": value.imag.hex()}
    if isinstance(value, str):
        return {"type": "str", "codePoints": [ord(c) for c in value]}
    if isinstance(value, bytes):
        return {"type": "bytes", "bytes": list(value)}
    raise ValueError("unexpected literal %r" % (value,))


def fstring_constants(node, out):
    for part in node.values:
        if isinstance(part, ast.Constant):
            out.append([ord(c) for c in part.value])
        elif isinstance(part, ast.FormattedValue) and part.format_spec is not None:
            fstring_constants(part.format_spec, out)
    return out


def syntax_error(source):
    try:
        ast.parse(source)
    except SyntaxError as e:
        lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        line = e.lineno
        column = None
        if e.offset is not None and 1 <= line <= len(lines):
            column = len(lines[line - 1][: max(e.offset - 1, 0)].encode("utf-8"))
        return {"message": e.msg, "line": line, "column": column}
    return None


def main():
    warnings.simplefilter("ignore")
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.py"))):
        fixture = token_fixture(path)
        out = path[:-3] + ".tokens.json"
        with open(out, "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=True, indent=1)
            f.write("\n")
        print("wrote %s (%d tokens)" % (os.path.relpath(out, ROOT), len(fixture["tokens"])))

    literals = []
    for source in LITERAL_CASES:
        error = syntax_error(source)
        if error:
            sys.exit("literal case %r does not parse: %s" % (source, error["message"]))
        node = ast.parse(source, mode="eval").body
        assert isinstance(node, ast.Constant), source
        literals.append({"source": source, "value": encode_value(node.value)})
    for source in FSTRING_CASES:
        node = ast.parse(source, mode="eval").body
        assert isinstance(node, ast.JoinedStr), source
        literals.append({"source": source, "fstringConstants": fstring_constants(node, [])})
    for source in IDENTIFIER_CASES:
        node = ast.parse(source, mode="eval").body
        assert isinstance(node, ast.Name), source
        literals.append({"source": source, "identifier": [ord(c) for c in node.id]})
    errors = []
    for source in ERROR_CASES:
        error = syntax_error(source)
        if error is None:
            sys.exit("error case %r parses" % (source,))
        errors.append(dict(source=source, **error))
    cp1252 = []
    for b in range(0x80, 0x100):
        try:
            cp1252.append(ord(bytes([b]).decode("cp1252")))
        except UnicodeDecodeError:
            cp1252.append(None)
    codecs = {"cp1252High": cp1252}
    for name, data in (("literals.json", literals), ("errors.json", errors), ("codecs.json", codecs)):
        with open(os.path.join(FIXTURES, name), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=True, indent=1)
            f.write("\n")
        print("wrote fixtures/lexer/%s (%d cases)" % (name, len(data)))


if __name__ == "__main__":
    main()
