"""keep_freed_memory: a loop that frees and allocates the same big arrays faults no fresh page once it is on."""

import os
import subprocess
import sys

import pytest

from rosenblatt.autodiff import heap

PROGRAM = """
import resource, sys
import numpy as np
from rosenblatt.autodiff import heap
if sys.argv[1] == "on":
    assert heap.keep_freed_memory()
def step():  # a step's working set: a dozen arrays of 4 MiB and more, allocated, written and freed
    arrays = [np.ones((1 << 20) + 4096 * k, np.float32) for k in range(12)]
    return sum(float(a[-1]) for a in arrays)
step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def run(code, *args, switch="1"):
    env = {**os.environ, "ROSENBLATT_KEEP_FREED_MEMORY": switch}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


@pytest.mark.skipif(not heap.keep_freed_memory(), reason="glibc's malloc only")
def test_freed_arrays_pages_are_reused():
    off, on = int(run(PROGRAM, "off")), int(run(PROGRAM, "on"))
    assert off > 5 * 12 * 100, off  # without it every array's pages are mapped afresh (1,024 pages of 4 KiB each)
    assert on < 100, (off, on)


def test_it_can_be_turned_off():
    assert run("from rosenblatt.autodiff import heap; print(heap.keep_freed_memory())", switch="0") == "False"
