"""The one exception type for mistakes a user can fix."""


class UserError(Exception):
    """A wrong command line, project, configuration or program.

    The message is one paragraph for a person: what is wrong (naming the file, key or
    resource), the value that was found, and how to fix it. The CLI prints it and exits 2;
    a traceback is shown only with `--debug`.
    """

    exit_code = 2


def warn(message: str) -> None:
    """Tell the user about something that works but is probably not what they meant (a waiver
    that matches nothing, a pack given twice). Warnings go to stderr, never into a report."""
    import sys

    print(f"warning: {message}", file=sys.stderr)
