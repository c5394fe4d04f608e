"""What ``fit`` shows while it works: a tqdm progress bar per epoch (``verbose=1``), one line
per epoch (``verbose=2``), or nothing (``verbose=0``).  Without tqdm installed, ``verbose=1``
falls back to one line per epoch.
"""

from __future__ import annotations

import sys


def _format(logs: dict) -> str:
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


class Progress:
    """One epoch's display.  ``update(step_logs)`` after each batch; ``close(epoch_logs)`` at the end."""

    def __init__(self, verbose, epoch, epochs, steps, stream=None):
        self.verbose, self.epoch, self.epochs, self.steps = verbose, epoch, epochs, steps
        self.stream = stream or sys.stdout
        self.bar = None
        self._n = 0
        if verbose == 1:
            try:
                from tqdm.auto import tqdm
            except ImportError:  # pragma: no cover - tqdm is an optional extra
                self.verbose = 2
            else:
                self.bar = tqdm(total=steps, desc=f"Epoch {epoch + 1}/{epochs}", unit="batch",
                                leave=True, file=self.stream, dynamic_ncols=True, mininterval=0.2)

    def update(self, logs_fn):
        if self.bar is None:
            return
        self._n += 1
        self.bar.update(1)
        if self._n == self.steps or self._n % max(1, self.steps // 10) == 0:
            self.bar.set_postfix_str(_format(logs_fn()), refresh=False)

    def close(self, logs):
        if self.bar is not None:
            self.bar.set_postfix_str(_format(logs), refresh=True)
            self.bar.close()
        elif self.verbose == 2:
            print(f"Epoch {self.epoch + 1}/{self.epochs} - {_format(logs)}", file=self.stream, flush=True)
