"""Side-by-side speed runs: rosenblatt (``fit`` and a ``GradientTape`` loop), PyTorch (default and fused
Adam), a hand-written NumPy loop (the practical ceiling) and, when installed, Keras ``fit``, interleaved in
one process, with medians, ratios, targets and peak memory.

Run ``python -m benchmarks`` (or ``rosenblatt bench``) from the repository root; ``--quick`` runs each
workload once, ``--help`` lists the options.
"""
