"""Applications built on the public API: the command line, the demos, plots."""


class CommandError(Exception):
    """A mistake in a command line (a missing folder, a wrong file): ``rosenblatt`` prints it in one line
    and exits with status 2, without a traceback."""
