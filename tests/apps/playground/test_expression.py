"""The custom-landscape formula parser: the lecture's notation in, the library's ops out, nothing else."""

import math
from pathlib import Path

import numpy as np
import pytest

from rosenblatt.apps.playground import expression
from rosenblatt.apps.playground.expression import FormulaError, compile_formula, parse


def value(text, w1=0.7, w2=-1.3):
    return float(compile_formula(text)(np.float64(w1), np.float64(w2)).numpy())


@pytest.mark.parametrize("text, expected", [
    ("-w1^2", -(0.7 ** 2)),                 # the power binds tighter than the sign
    ("2^3^2 + 0*w1", 512.0),                       # right-associative
    ("2**-1 + w1*0", 0.5),
    ("w1 - w2 - 1", 0.7 + 1.3 - 1),         # left-associative
    ("8/2/2 + 0*w1", 2.0),
    ("2*w1 + 3*w2", 2 * 0.7 - 3 * 1.3),
    ("w1 × w2 ÷ 2 − 1", 0.7 * -1.3 / 2 - 1),
    ("sqrt(abs(w2)) + exp(w1) - log(2) + sin(pi*w1) * cos(e*w2)",
     math.sqrt(1.3) + math.exp(0.7) - math.log(2) + math.sin(math.pi * 0.7) * math.cos(math.e * -1.3)),
    ("1.5e-1*w1 + .5", 0.15 * 0.7 + 0.5),
    ("(w1 + w2)^2", (0.7 - 1.3) ** 2),
    ("w2^2", 1.69),                          # a negative base squared
    ("w2^3", (-1.3) ** 3),
])
def test_formulas_mean_what_they_say(text, expected):
    assert value(text) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("3 + 4", "neither w1 nor w2"),
    ("w1 + x", "unknown name 'x'"),
    ("__import__('os')", "unexpected character"),
    ("w1.__class__", "unexpected character '.'"),
    ("w1; w2", "unexpected character ';'"),
    ("w1 +", "found the end"),
    ("(w1", "expected ')'"),
    ("w1 w2", "unexpected 'w2'"),
    ("exp w1", "expected '('"),
    ("w1 + 1e999", "not finite"),
    ("lambda w1", "unknown name 'lambda'"),
    ("eval(w1)", "unknown name 'eval'"),
    ("w1" + "+w1" * 200, "at most 300"),
    ("(" * 60 + "w1" + ")" * 60, "nested too deeply"),
    ("-" * 100 + "w1", "nested too deeply"),
    ("+".join(["1"] * 140) + "+w1", "more than 200 operations"),
])
def test_anything_else_is_a_clear_error(text, message):
    with pytest.raises(FormulaError, match=None) as info:
        parse(text)
    assert message in str(info.value)


def test_the_parser_never_evaluates_python():
    source = Path(expression.__file__).read_text()
    for forbidden in ("eval(", "exec(", "compile(", "__import__", "getattr("):
        assert forbidden not in source.replace("compile_formula(", "").replace("re.compile(", "")


def test_a_compiled_formula_is_differentiated_by_the_tape():
    import rosenblatt as rb

    J = compile_formula("w1^2 * sin(w2)")
    w1, w2 = rb.Variable(np.array([1.5])), rb.Variable(np.array([0.3]))
    with rb.GradientTape() as tape:
        out = J(w1, w2)
    g1, g2 = tape.gradient(out, [w1, w2])
    np.testing.assert_allclose([g1.numpy()[0], g2.numpy()[0]], [2 * 1.5 * math.sin(0.3), 1.5 ** 2 * math.cos(0.3)],
                               rtol=1e-15)
