"""The one error the job reports to its caller instead of a traceback."""


class JobInputError(ValueError):
    """The job's input or settings are wrong: the message names what, the value and the fix."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
