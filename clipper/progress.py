"""How long-running library functions report progress without knowing about the terminal.

The CLI passes a rich-backed reporter; library callers and tests can pass nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

ProgressCallback = Callable[[int], None]
"""Called with the output time reached so far, in milliseconds."""


class Reporter(Protocol):
    def step(self, message: str) -> None:
        """A new stage of work has begun."""

    def media(self, label: str, total_ms: int) -> ProgressCallback:
        """A callback for an ffmpeg run producing `total_ms` of output."""


class SilentReporter:
    def step(self, message: str) -> None:
        pass

    def media(self, label: str, total_ms: int) -> ProgressCallback:
        return lambda _ms: None
