"""User-facing errors. The CLIs print these as one line and exit non-zero; anything else is a bug."""


class MedflError(Exception):
    """A problem with the user's input, files or configuration. The message names the file/site/field
    and never contains raw (possibly PHI-bearing) text."""
