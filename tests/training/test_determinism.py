"""The same seed gives the same weights, history and predictions across processes, with and without the
compiled optimizer kernels (ROSENBLATT_KERNELS=numpy turns them off), in float32 and float64."""

import os
import subprocess
import sys

import pytest

CHILD = os.path.join(os.path.dirname(__file__), "determinism_child.py")


def digest(dtype, **env):
    out = subprocess.run([sys.executable, CHILD, dtype], capture_output=True, text=True, timeout=300,
                         env={**os.environ, **env})
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_seed_same_bits_across_processes_and_kernels(dtype):
    (first, how), (second, _) = digest(dtype), digest(dtype, PYTHONHASHSEED="123")
    without_kernels, how_without = digest(dtype, ROSENBLATT_KERNELS="numpy")
    assert how_without == "numpy" and how in ("kernels", "numpy")  # "kernels" where numba is installed
    assert len(first) == 64
    assert first == second == without_kernels
