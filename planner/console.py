"""What the CLI shows a person at a terminal: colour, a progress line, a closing summary.

Colour and the progress line appear only on a terminal and never when NO_COLOR is set;
pipes and CI logs get plain text.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click

_STYLES = {
    "ok": {"fg": "green"},
    "drift": {"fg": "red", "bold": True},
    "deletes-data": {"fg": "red", "bold": True},
    "not-reversible": {"fg": "magenta"},
    "rewrites-table": {"fg": "yellow"},
    "blocks-reads": {"fg": "yellow"},
    "blocks-writes": {"fg": "yellow"},
    "heading": {"bold": True},
    "muted": {"dim": True},
}


def colour_enabled(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and stream.isatty()


def paint(text: str, style: str, stream: TextIO | None = None) -> str:
    if not colour_enabled(stream or sys.stdout):
        return text
    return click.style(text, **_STYLES.get(style, {}))  # type: ignore[arg-type]


def paint_plan(text: str) -> str:
    """Colour the hazard and header lines of a text plan (nothing else changes)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("-- hazard ") or stripped.startswith("--   hazard "):
            kind = stripped.split("hazard ", 1)[1].split(":", 1)[0]
            lines.append(paint(line, kind))
        elif line.startswith("-- "):
            lines.append(paint(line, "heading"))
        else:
            lines.append(line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


class Progress:
    """A one-line spinner on stderr showing the current stage; silent when not a terminal."""

    def __init__(self, *, quiet: bool = False) -> None:
        self.enabled = not quiet and sys.stderr.isatty() and "NO_COLOR" not in os.environ
        self.stage = ""
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, stage: str) -> None:
        self.stage = stage

    @contextmanager
    def running(self) -> Iterator[Progress]:
        if self.enabled:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            if self._thread is not None:
                self._thread.join()
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _spin(self) -> None:
        for frame in itertools.cycle("|/-\\"):
            if self._stop.wait(0.1):
                return
            sys.stderr.write(f"\r\033[K{frame} {self.stage} ({self.elapsed:.1f} s)")
            sys.stderr.flush()
