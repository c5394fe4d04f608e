"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter, 2019): shrink W, then take the :class:`Adam` step.

        W = W − η λ W                     (computed as W · (1 − η λ))
        then Adam's update of W with dW, unchanged.

    The decay is decoupled: λ W never enters v_dW or s_dW, unlike an L2 term added to the loss.

    Where frameworks disagree: only the default λ — Keras's 0.004 here; PyTorch's is 0.01. The decay
    is scaled by η (the schedule's current value), as in both. ε defaults to 1e-8 (PyTorch; Keras 1e-7).
    PyTorch: ``torch.optim.AdamW(lr=η, betas=(β1, β2), eps=ε, weight_decay=λ)`` is this update.
    Keras: ``AdamW(learning_rate=η, weight_decay=λ, beta_1=β1, beta_2=β2, epsilon=ε)`` up to ε's place.

    Args:
        learning_rate: η > 0, or a schedule. Default 0.001.
        weight_decay: λ ≥ 0. Default 0.004.
        beta_1, beta_2, epsilon, amsgrad: as in :class:`Adam`.
        **kwargs: ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``, ``name``.

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> AdamW(learning_rate=0.1, weight_decay=0.5).apply_gradients([(np.zeros(2), W)])  # decay alone
    >>> W
    array([ 0.95, -1.9 ])
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay=weight_decay, **kwargs)
