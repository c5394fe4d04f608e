"""Optional extras: how to install one, said the same way in every message, and whether numba is there.

rosenblatt is not on the public package index: an extra is installed from the checkout, quoted so that
zsh does not read the brackets as a pattern.

>>> install_hint("cats")
'pip install -e ".[cats]" (from the rosenblatt checkout)'
"""


def install_hint(extra: str) -> str:
    """The command that installs ``extra`` (``cats``, ``plot``, ``progress``, ``fast``, ``bench``, ``test``)."""
    return f'pip install -e ".[{extra}]" (from the rosenblatt checkout)'


def numba_or_none():
    """The numba module (the ``fast`` extra), or None when it is missing, when ``ROSENBLATT_KERNELS=numpy``
    turns the compiled kernels off, or when numba's JIT is disabled (a loop would run as Python, element
    by element)."""
    import os

    if os.environ.get("ROSENBLATT_KERNELS", "").lower() == "numpy":
        return None
    try:
        import numba
    except ImportError:
        return None
    return None if numba.config.DISABLE_JIT else numba
