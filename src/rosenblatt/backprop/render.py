"""``Explanation``: the steps of :func:`rosenblatt.explain` as text, as Markdown/LaTeX, as a worksheet."""

from __future__ import annotations

import numpy as np

from rosenblatt.backprop.steps import shape_of, tex

BLANK, TEX_BLANK = "____", r"\square"
HEADER = ('Shapes as on the "Matrix Dimension" slide: X (m × n), W1 (n × k), b1 (1 × k), z1 and a1 (m × k), '
          "W2 (k × j), …; the slide calls the biases b0, b1.")
BACKWARD = "dz stands for ∂J/∂z, dW for ∂J/∂W and so on: the chain rule, from the loss back to the inputs."
TOLERANCE = {"float64": 1e-12}  # hand against tape; other dtypes: 1e-5


class Explanation:
    """What :func:`rosenblatt.explain` found; ``str()`` is the text, :meth:`to_markdown` the notes' form.

    Attributes: ``forward`` and ``backward`` (lists of :class:`~rosenblatt.backprop.Step`), ``hand``,
    ``tape``, ``finite_differences`` (gradients ``[dW1, db1, …]``, db as (k,)), ``J`` (the hand loss),
    ``J_model`` (the library's), ``max_tape_difference``, ``max_fd_relative_error``, ``blank`` (a worksheet).
    """

    def __init__(self, title, forward, backward, hand, tape, finite_differences, J, J_model, output_difference,
                 digits=4, dtype="float64", blank=False):
        if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or not 0 <= digits <= 17:
            raise ValueError(f"explain: digits must be an int from 0 to 17, got {digits!r}")
        self.title, self.forward, self.backward = title, forward, backward
        self.hand, self.tape, self.finite_differences = hand, tape, finite_differences
        self.J, self.J_model, self.output_difference = J, J_model, output_difference
        self.digits, self.dtype, self.blank = int(digits), dtype, blank
        self.max_tape_difference = max(float(np.max(np.abs(h - t))) for h, t in zip(hand, tape))
        self.max_fd_relative_error = max(s.check["relative_error"] for s in backward if s.check)

    @property
    def equal(self) -> bool:
        """Whether the hand-derived gradients equal the tape's to :attr:`tolerance`, relative to their size."""
        tol = self.tolerance
        return all(np.allclose(h, t, rtol=tol, atol=tol * max(1.0, float(np.max(np.abs(h)))))
                   for h, t in zip(self.hand, self.tape))

    @property
    def tolerance(self) -> float:
        """1e-12 for a float64 model; 1e-5 otherwise (the tape then rounds to float32, the hand pass does not)."""
        return TOLERANCE.get(self.dtype, 1e-5)

    def worksheet(self) -> "Explanation":
        """The same derivation with every computed number blanked (X, y and the weights stay)."""
        sheet = Explanation.__new__(Explanation)
        sheet.__dict__.update(self.__dict__, blank=True, _key=self)
        return sheet

    def answer_key(self) -> "Explanation":
        """The full derivation (of a worksheet: the answers)."""
        return self.__dict__.get("_key", self)

    # -- text ------------------------------------------------------------------------------------
    def __str__(self):
        return self.to_text()

    def __repr__(self):  # the whole derivation: what a REPL shows for rb.explain(...)
        return self.to_text()

    def to_text(self) -> str:
        """Plain text (Unicode), one step per line, each value below it."""
        sheet = " (worksheet: fill in the blanks; the answer key is the full explanation)" if self.blank else ""
        lines = [f"Backpropagation with pencil and paper: {self.title}{sheet}", HEADER,
                 f"Numbers rounded to {self.digits} decimals ({self.dtype}).", "", "Forward pass"]
        for step in self.forward:
            lines += self._text_step(step)
        lines += ["", "Backward pass", f"  ({BACKWARD})"]
        for step in self.backward:
            lines += self._text_step(step)
        if not self.blank:
            lines += ["", self._summary()]
        return "\n".join(lines)

    def _text_step(self, step):
        head = f"  {step.symbol}: {step.formula}" if step.given else f"  {step.symbol} = {step.formula}"
        shape = shape_of(step.value) + (f" = {step.shapes}" if step.shapes else "")
        out = [f"{head}    {shape}"] + ["      " + row for row in self._array(step).splitlines()]
        if step.note.strip():
            out.append(f"      {step.note.strip()}")
        if step.check:
            fd = BLANK if self.blank else self._format(step.check["fd"]).replace("\n", "\n" + " " * 26)
            error = BLANK if self.blank else f"{step.check['relative_error']:.1e}"
            out.append(f"      finite differences: {fd}")
            out.append(f"      largest relative error |hand − fd| / max(|hand|, |fd|): {error}")
        return out

    def _array(self, step):
        if self.blank and not step.given:
            return _blanks(step.value)
        return self._format(step.value)

    def _format(self, value):
        with np.printoptions(precision=self.digits, suppress=True, linewidth=100, threshold=120, edgeitems=3):
            return np.array2string(np.asarray(value), separator=" ")

    def _summary(self):
        verdict = ("equal" if self.equal else "NOT equal") + f" to {self.tolerance:.0e}"
        return (f"Check against the GradientTape: J = {self.J:.{max(self.digits, 6)}g} by hand, "
                f"{self.J_model:.{max(self.digits, 6)}g} from the model; ŷ differs by at most {self.output_difference:.1e}.\n"
                f"  Largest |hand − tape| over every dW and db: {self.max_tape_difference:.1e} ({verdict}); "
                f"largest finite-difference relative error: {self.max_fd_relative_error:.1e}.")

    # -- Markdown / LaTeX ----------------------------------------------------------------------------
    def to_markdown(self) -> str:
        """Markdown with LaTeX (``$$ … $$``) for notes; the rich display of a notebook."""
        sheet = " — worksheet" if self.blank else ""
        lines = [f"### Backpropagation with pencil and paper{sheet}", "", f"*{self.title}.* {HEADER} "
                 f"Numbers rounded to {self.digits} decimals.", "", "**Forward pass**", ""]
        for step in self.forward:
            lines += self._markdown_step(step)
        lines += ["**Backward pass**", "", BACKWARD, ""]
        for step in self.backward:
            lines += self._markdown_step(step)
        if not self.blank:
            lines += [self._summary().replace("\n  ", " "), ""]
        return "\n".join(lines)

    def _repr_markdown_(self):
        return self.to_markdown()

    def _markdown_step(self, step):
        value = self._latex(step.value, blank=self.blank and not step.given)
        shape = _tex_shape(shape_of(step.value)) + (f" = {_tex_shape(step.shapes)}" if step.shapes else "")
        formula = "" if step.given else f" = {step.latex}"
        out = [f"$${tex(step.symbol)}{formula} = {value} \\quad {shape}$$", ""]
        if step.given and step.formula != "given":
            out[0:0] = [f"{step.symbol}: {step.formula}", ""]
        if step.note.strip():
            out += [f"*{step.note.strip()}*", ""]
        if step.check:
            fd = self._latex(step.check["fd"], blank=self.blank)
            error = TEX_BLANK if self.blank else f"{step.check['relative_error']:.1e}"
            out += [f"finite differences: $${fd}$$ largest relative error: ${error}$", ""]
        return out

    def _latex(self, value, blank=False):
        value = np.asarray(value)
        if value.ndim == 0:
            return TEX_BLANK if blank else _number(value, self.digits)
        rows = value.reshape(-1, value.shape[-1]) if value.ndim > 1 else value[None, :]
        width = len(_cut(rows[0]))
        cells = [[r"\vdots"] * width if isinstance(row, str) else
                 [v if isinstance(v, str) else TEX_BLANK if blank else _number(v, self.digits) for v in _cut(row)]
                 for row in _cut(rows)]
        body = r" \\ ".join(" & ".join(row) for row in cells)
        return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def _cut(items, keep=8):
    """At most ``keep`` items: the first ones, ⋮ or …, the last one."""
    items = list(items)
    if len(items) <= keep:
        return items
    dots = r"\vdots" if isinstance(items[0], np.ndarray) else r"\cdots"  # rows, or the numbers of a row
    return items[:keep - 2] + [dots] + items[-1:]


def _number(v, digits):
    return np.format_float_positional(float(v), precision=digits, trim="-")


def _blanks(value):
    value = np.asarray(value)
    if value.ndim == 0:
        return BLANK
    rows = value.reshape(-1, value.shape[-1]) if value.ndim > 1 else value[None, :]
    text = [("[" if i else "[[") + "  ".join([BLANK] * rows.shape[1]) + "]" for i in range(len(rows))]
    return "\n ".join(text) + "]"


def _tex_shape(text):
    return text.replace("×", r"\times").replace("·", " ").replace("a number", r"\text{a number}")
