"""The one family of errors the CLI turns into a single line and exit code 2."""

from __future__ import annotations


class PlannerError(Exception):
    """An error the CLI reports as one line (plus an optional hint) with exit code 2."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class DeclarationError(PlannerError):
    """A declaration file is invalid; the message names the file, line and object."""

    def __init__(self, path: str, line: int | None, subject: str, problem: str) -> None:
        location = f"{path}:{line}" if line else path
        where = f" {subject}:" if subject else ""
        message = f"{location}:{where} {problem}"
        # Names and parser messages may hold line breaks; the error stays one line.
        super().__init__(message.replace("\r", "\\r").replace("\n", "\\n"))
        self.path = path
        self.line = line


class UnsupportedObjectError(PlannerError):
    """The database holds objects the planner does not model; it never skips them silently."""


class IntrospectionError(PlannerError):
    """Reading the catalog failed."""
