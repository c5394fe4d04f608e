"""Applications built on the public API: the command line, the demos, plots."""

import argparse
import textwrap


class CommandError(Exception):
    """A mistake in a command line (a missing folder, a wrong file): ``rosenblatt`` prints it in one line
    and exits with status 2, without a traceback."""


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` for every ``rosenblatt`` command: each option's default appended, ``(default: 100)``, unless
    the help already says it or there is none to say (a flag, or ``None``: then the help itself says what
    happens without the option). In descriptions and epilogs a line that starts with a space is kept as
    written (examples, tables); the other lines are wrapped to the terminal."""

    def _get_help_string(self, action):
        text = action.help or ""
        if ("default" in text or action.default is None or action.default is False
                or action.default is argparse.SUPPRESS or action.required):
            return text
        return text + " (default: %(default)s)"

    def _fill_text(self, text, width, indent):
        return "\n".join(line if line[:1].isspace() or not line else
                         textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
                         for line in text.splitlines())


class ArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` with :class:`HelpFormatter`; its sub-command parsers inherit both."""

    def __init__(self, *args, formatter_class=HelpFormatter, **kwargs):
        super().__init__(*args, formatter_class=formatter_class, **kwargs)
