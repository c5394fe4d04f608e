"""Keep freed big arrays in the process's heap, so that the next training step reuses their pages.

A conv net's step allocates and frees the same few tens of megabytes every time (the windows P of each
convolution, their gradients, the activations).  glibc's ``malloc`` gives every block over
``M_MMAP_THRESHOLD`` its own mapping, returned to the system when freed, and gives the top of the heap back
past ``M_TRIM_THRESHOLD``; its own adjustment of both (up to the largest block freed, and twice that) does
not hold a step's working set.  Each step then pays the kernel to map and zero fresh pages: measured on the
cat conv net (batch 32), 4,400 page faults and 18 ms of system time a step, against none for PyTorch.

:func:`keep_freed_memory` sets the two thresholds once (blocks under 32 MiB come from the heap, and up to
512 MiB of free heap is kept): the step then faults no page.  The cost is that memory freed by a step stays
with the process (as PyTorch's and TensorFlow's allocators keep theirs) rather than going back to the
system.  It is called when the first ``Conv2D`` layer is built; ``ROSENBLATT_KEEP_FREED_MEMORY=0`` in the
environment turns it off.  Elsewhere than glibc (macOS, Windows, musl) it does nothing.

>>> MMAP_THRESHOLD >> 20, TRIM_THRESHOLD >> 20   # MiB
(32, 512)
"""

from __future__ import annotations

import ctypes
import os
import sys

MMAP_THRESHOLD = 32 << 20  # glibc's largest allowed: blocks under it come from the heap
TRIM_THRESHOLD = 512 << 20  # free memory kept at the top of the heap
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)
_done: bool | None = None


def keep_freed_memory() -> bool:
    """Set glibc's two thresholds (once per process); True if they are set, False where not (see the module)."""
    global _done
    if _done is None:
        _done = False
        if sys.platform.startswith("linux") and os.environ.get("ROSENBLATT_KEEP_FREED_MEMORY", "1") != "0":
            try:
                libc = ctypes.CDLL(None)
                libc.gnu_get_libc_version  # glibc only (musl's mallopt does nothing)
                _done = bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
                    libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
            except (OSError, AttributeError):
                _done = False
    return _done
