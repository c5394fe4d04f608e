"""Adam: Momentum and RMSprop together, with the lecture's bias correction."""

from __future__ import annotations

import math

import numpy as np

from . import kernels
from .averages import average, average_of_squares
from .checks import DOT_MAX, check_in
from .optimizer import Optimizer


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), as the lecture writes it. On iteration t, for each W with gradient dW:

        v_dW = β1 v_dW + (1 − β1) dW
        s_dW = β2 s_dW + (1 − β2) dW²
        v_dW^corr = v_dW / (1 − β1^t)          s_dW^corr = s_dW / (1 − β2^t)
        W = W − η v_dW^corr / (√s_dW^corr + ε)

    with v and s starting at 0 and t counting from 1. With ``amsgrad`` the denominator uses the running
    maximum ŝ_dW = max(ŝ_dW, s_dW) in place of s_dW (Reddi et al., 2018; PyTorch's form).

    Where frameworks disagree: ε is added *after* the bias-corrected root, as the lecture and PyTorch
    do; Keras folds the correction into η (η √(1 − β2^t) / (1 − β1^t)) and adds ε to the uncorrected
    √s, so in the lecture's form its ε becomes ε / √(1 − β2^t), larger in the first steps — the two
    agree when ε is negligible. Defaults follow
    the lecture (ε = 1e-8, PyTorch's too; Keras's is 1e-7).
    PyTorch: ``torch.optim.Adam(lr=η, betas=(β1, β2), eps=ε, amsgrad=…)`` is this update.
    Keras: ``Adam(learning_rate=η, beta_1=β1, beta_2=β2, epsilon=ε, amsgrad=…)`` up to ε's place.

    Args:
        learning_rate: η > 0, or a schedule. Default 0.001.
        beta_1: β1 in [0, 1), the decay of v_dW (the momentum). Default 0.9.
        beta_2: β2 in [0, 1), the decay of s_dW (the RMS). Default 0.999.
        epsilon: ε > 0. Default 1e-8.
        amsgrad: use the running maximum of s_dW. Default False.
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``v``, ``s`` (and ``s_max`` with amsgrad).

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> opt = Adam(learning_rate=0.1)
    >>> opt.apply_gradients([(2 * W, W)])          # one step on J = ‖W‖²: each weight moves by η
    >>> W
    array([ 0.9, -1.9])
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, amsgrad=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = check_in("beta_1", beta_1, 0, 1)
        self.beta_2 = check_in("beta_2", beta_2, 0, 1)
        self.epsilon = check_in("epsilon", epsilon, 0, math.inf, low_open=True)
        self.amsgrad = bool(amsgrad)
        self.slot_names = ("v", "s", "s_max") if self.amsgrad else ("v", "s")

    def _constants(self, t, η):
        β1, β2, c2 = self.beta_1, self.beta_2, math.sqrt(1 - self.beta_2**t)
        # η v^corr / (√s^corr + ε) = [η √(1 − β2^t) / (1 − β1^t)] · v / (√s + ε √(1 − β2^t)): the same
        # update with √(1 − β2^t) multiplied through, which saves a pass over s
        return β1, 1 - β1, β2, 1 - β2, self.epsilon * c2, η * c2 / (1 - β1**t)

    def _loop(self, W, dW):
        """The compiled loop (:mod:`~rosenblatt.optimizers.kernels`) for this chunk, or None."""
        if not self.amsgrad and W.size >= kernels.MIN_SIZE and dW.dtype == W.dtype:
            return kernels.get("adam")
        return None

    def _guards_itself(self, W, dW):
        return W.size >= kernels.MIN_SIZE and self.check_finite and self._loop(W, dW) is not None

    def _update(self, k, dW, W, tmp, v, s, s_max=None):
        loop = self._loop(W, dW)
        if loop is not None:  # the same update in one pass (numba), which writes no inf or NaN when guarded
            return loop(W, dW, v, s, *self._typed_constants(k, W.dtype), self.check_finite)
        β1, one_β1, β2, one_β2, ε_c, η_c = self._constant_arrays(k, W.dtype)
        average(v, dW, β1, one_β1, tmp)             # v_dW = β1 v_dW + (1 − β1) dW
        average_of_squares(s, dW, β2, one_β2, tmp)  # s_dW = β2 s_dW + (1 − β2) dW²
        if s_max is not None:                       # ŝ_dW = max(ŝ_dW, s_dW)
            np.maximum(s_max, s, out=s_max)
            s = s_max
        np.sqrt(s, tmp)                             # W = W − η v^corr / (√s^corr + ε)
        np.add(tmp, ε_c, tmp)
        np.divide(v, tmp, tmp)
        np.multiply(tmp, η_c, tmp)
        np.subtract(W, tmp, W)
        if self.check_finite and not _finite_both(W, s):  # s overflows alone (float32, |dW| > ~1.8e19)
            return int(np.flatnonzero(~(np.isfinite(W) & np.isfinite(s)))[0])
        return -1  # W and s are checked: the base need not check W

    def _typed_constants(self, k, dtype):
        """``k`` as numbers of ``dtype``, as NumPy casts them in the calls above (computed once a step)."""
        cached = getattr(self, "_typed", None)
        if cached is None or cached[0] is not k or cached[1] != dtype:
            cached = self._typed = (k, dtype, tuple(map(dtype.type, k)))
        return cached[2]

    def _constant_arrays(self, k, dtype):
        """``k`` as 0-d arrays of ``dtype``, which NumPy takes faster than Python floats, with the same result
        (a Python float meets an array as a number of the array's dtype): views of one buffer per dtype,
        refilled once a step (the 12 calls on the tiny network's 105 weights: ~15 % faster, counted)."""
        cached = self.__dict__.setdefault("_arrays", {}).get(dtype)
        if cached is None:
            buffer = np.empty(len(k), dtype)
            cached = self._arrays[dtype] = [None, buffer, tuple(buffer[i:i + 1].reshape(()) for i in range(len(k)))]
        if cached[0] is not k:  # held, so a later step's k is another object
            cached[1][:] = k
            cached[0] = k
        return cached[2]

    def _rule(self, k, dW, W, v, s, s_max=None):
        β1, one_β1, β2, one_β2, ε_c, η_c = k
        v = β1 * v + one_β1 * dW
        s = β2 * s + one_β2 * (dW * dW)
        if s_max is None:
            return W - η_c * (v / (math.sqrt(s) + ε_c)), v, s
        s_max = max(s_max, s)
        return W - η_c * (v / (math.sqrt(s_max) + ε_c)), v, s, s_max

    def _hyperparameters(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon, "amsgrad": self.amsgrad}


def _finite_both(W, s) -> bool:
    """Whether W and s (≥ 0) are both finite, in the one pass that checking W alone takes.

    W · s is finite when both are (inf · 0 is NaN), unless finite numbers overflow it: that is confirmed
    element by element. A v that is not finite makes W so. s overflows alone to inf in float32 for
    |dW| > ~1.8e19, while W stays finite (v / √s is then 0). Float64 arrays above ``DOT_MAX`` are summed
    instead, as in :func:`~rosenblatt.optimizers.checks.finite`.

    >>> with np.errstate(invalid="ignore"):  # 0 · inf (the optimizer runs it under errstate too)
    ...     _finite_both(np.zeros(3, np.float32), np.array([1, 2, np.inf], np.float32))
    False
    """
    if W.size <= DOT_MAX or W.dtype != np.float64:
        total = np.dot(W, s)
    else:
        total = np.add.reduce(W) + np.add.reduce(s)
    return math.isfinite(total) or bool(np.isfinite(W).all() and np.isfinite(s).all())
