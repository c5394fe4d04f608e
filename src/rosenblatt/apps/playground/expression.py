"""A safe parser for a cost landscape J(w1, w2) typed as a formula: never ``eval``.

The grammar is a whitelist (anything else is a :class:`FormulaError` naming the place):

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom ("^" unary)?                 (right-associative: w1^2^3 = w1^(2^3); -w1^2 = -(w1^2))
    atom   := number | "w1" | "w2" | "pi" | "e" | func "(" expr ")" | "(" expr ")"
    func   := exp | log | sin | cos | sqrt | abs

``**``, ``×``, ``·``, ``÷`` and ``−`` are accepted for ``^``, ``*``, ``*``, ``/`` and ``-``. The formula is
parsed into a tree of tuples once; :func:`compile_formula` turns the tree into a function of (w1, w2) built
of the library's ops, so that the gradient comes from :class:`~rosenblatt.GradientTape`.

>>> J = compile_formula("(1 - w1)^2 + 100 (w2 - w1^2)^2".replace(" (", " * ("))
>>> float(J(1.0, 1.0)), float(J(0.0, 0.0))
(0.0, 1.0)
>>> parse("w1^-1")
('^', ('var', 'w1'), ('neg', ('num', 1.0)))
>>> try:
...     parse("w1 + import_os")
... except FormulaError as error:
...     print(error)
unknown name 'import_os' at position 5; allowed: w1, w2, pi, e, exp, log, sin, cos, sqrt, abs
"""

from __future__ import annotations

import math
import re

import rosenblatt as rb

MAX_LENGTH = 300
MAX_NODES = 200
MAX_DEPTH = 40
FUNCTIONS = {"exp": rb.exp, "log": rb.log, "sin": rb.sin, "cos": rb.cos, "sqrt": rb.sqrt, "abs": rb.abs}
CONSTANTS = {"pi": math.pi, "e": math.e}
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"   # a number
                    r"|([A-Za-z_][A-Za-z_0-9]*)"                                 # a name
                    r"|(\*\*|[-+*/^()]))")                                       # an operator
_SYNONYMS = {"×": "*", "·": "*", "÷": "/", "−": "-"}


class FormulaError(ValueError):
    """A formula outside the grammar; the message names the position and what was expected."""


def _tokens(text):
    for old, new in _SYNONYMS.items():
        text = text.replace(old, new)
    position, out = 0, []
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            where = len(text) - len(text[position:].lstrip())
            raise FormulaError(f"unexpected character {text[where]!r} at position {where}; allowed: numbers, w1, w2, "
                               f"+ - * / ^ ( ) and {', '.join(FUNCTIONS)}")
        number, name, op = match.groups()
        start = match.start(match.lastindex)
        if number is not None:
            value = float(number)
            if not math.isfinite(value):
                raise FormulaError(f"the number {number} at position {start} is not finite")
            out.append(("num", value, start))
        elif name is not None:
            out.append(("name", name, start))
        else:
            out.append(("op", "^" if op == "**" else op, start))
        position = match.end()
    out.append(("end", None, len(text)))
    return out


class _Parser:
    def __init__(self, text):
        self.tokens = _tokens(text)
        self.i = 0
        self.nodes = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def node(self, *parts):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"the formula is too long: more than {MAX_NODES} operations")
        return parts

    def expect(self, op):
        kind, value, at = self.take()
        if (kind, value) != ("op", op):
            found = "the end" if kind == "end" else repr(value)
            raise FormulaError(f"expected {op!r} at position {at}, found {found}")

    def expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
        left = self.term()
        while self.peek()[:2] in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            left = self.node(op, left, self.term())
        self.depth -= 1
        return left

    def term(self):
        left = self.unary()
        while self.peek()[:2] in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            left = self.node(op, left, self.unary())
        return left

    def unary(self):
        if self.peek()[:2] in (("op", "-"), ("op", "+")):
            op = self.take()[1]
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
            inner = self.unary()
            self.depth -= 1
            return self.node("neg", inner) if op == "-" else inner
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[:2] == ("op", "^"):
            self.take()
            return self.node("^", base, self.unary())
        return base

    def atom(self):
        kind, value, at = self.take()
        if kind == "num":
            return self.node("num", value)
        if kind == "name":
            if value in ("w1", "w2"):
                return self.node("var", value)
            if value in CONSTANTS:
                return self.node("num", CONSTANTS[value])
            if value in FUNCTIONS:
                self.expect("(")
                inner = self.expr()
                self.expect(")")
                return self.node("call", value, inner)
            raise FormulaError(f"unknown name {value!r} at position {at}; allowed: w1, w2, pi, e, "
                               f"{', '.join(FUNCTIONS)}")
        if (kind, value) == ("op", "("):
            inner = self.expr()
            self.expect(")")
            return inner
        found = "the end of the formula" if kind == "end" else repr(value)
        raise FormulaError(f"expected a number, w1, w2, a function or '(' at position {at}, found {found}")


def parse(text: str) -> tuple:
    """The formula's tree: ``("num", x)``, ``("var", "w1")``, ``("call", f, a)``, ``("neg", a)``, ``(op, a, b)``."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty; write J in w1 and w2, e.g. w1^2 + 10*w2^2")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula has {len(text)} characters; at most {MAX_LENGTH}")
    parser = _Parser(text)
    tree = parser.expr()
    kind, value, at = parser.peek()
    if kind != "end":
        raise FormulaError(f"unexpected {value!r} at position {at}; expected an operator or the end")
    if "w1" not in repr(tree) and "w2" not in repr(tree):
        raise FormulaError("the formula uses neither w1 nor w2")
    return tree


_BINARY = {"+": rb.add, "-": rb.subtract, "*": rb.multiply, "/": rb.divide, "^": rb.pow}


def _build(tree):
    kind = tree[0]
    if kind == "num":
        value = tree[1]
        return lambda w1, w2: value
    if kind == "var":
        return (lambda w1, w2: w1) if tree[1] == "w1" else (lambda w1, w2: w2)
    if kind == "neg":
        inner = _build(tree[1])
        return lambda w1, w2: rb.negative(inner(w1, w2))
    if kind == "call":
        f, inner = FUNCTIONS[tree[1]], _build(tree[2])
        return lambda w1, w2: f(inner(w1, w2))
    op, left, right = _BINARY[kind], _build(tree[1]), _build(tree[2])
    if kind == "^" and tree[2][0] == "num" and tree[2][1] == 2.0:
        return lambda w1, w2: rb.square(left(w1, w2))  # x² also for x < 0, with the exact derivative 2x
    return lambda w1, w2: op(left(w1, w2), right(w1, w2))


def compile_formula(text: str):
    """J as a function of (w1, w2) made of the library's ops: numbers, arrays or tensors in, a Tensor out."""
    body = _build(parse(text))

    def J(w1, w2):
        out = body(w1, w2)
        return out if rb.is_tensor(out) else rb.constant(out)

    return J
