"""How to install an optional extra, said the same way in every message.

rosenblatt is not on the public package index: an extra is installed from the checkout, quoted so that
zsh does not read the brackets as a pattern.

>>> install_hint("cats")
'pip install -e ".[cats]" (from the rosenblatt checkout)'
"""


def install_hint(extra: str) -> str:
    """The command that installs ``extra`` (``cats``, ``plot``, ``progress``, ``fast``, ``bench``, ``test``)."""
    return f'pip install -e ".[{extra}]" (from the rosenblatt checkout)'
