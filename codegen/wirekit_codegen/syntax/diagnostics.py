# SPDX-License-Identifier: Apache-2.0
"""Diagnostics: `path:line:col: error: message`, the source line and a caret."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    col: int
    source: "SourceFile | None" = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class SourceFile:
    """The text of one schema file, for quoting lines in diagnostics."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.lines = text.split("\n")

    def line(self, number: int) -> str:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1].rstrip("\r")
        return ""

    def at(self, line: int, col: int) -> Location:
        return Location(self.path, line, col, self)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the known name closest to a misspelt one, or ""."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


@dataclass
class Diagnostic:
    severity: str  # "error" | "warning" | "note"
    location: Location | None
    message: str

    def render(self) -> str:
        if self.location is None:
            return f"wirekit: {self.severity}: {self.message}"
        text = f"{self.location}: {self.severity}: {self.message}"
        source = self.location.source
        if source is not None:
            line = source.line(self.location.line)
            if line or self.location.col > 1:
                # Tabs stay tabs so that the caret lines up under them.
                pad = "".join("\t" if c == "\t" else " " for c in line[: self.location.col - 1])
                text += f"\n{line}\n{pad}^"
        return text


class SchemaError(Exception):
    """Raised when a stage found errors; the diagnostics are in the sink."""


class Diagnostics:
    """Collects every diagnostic of a run, errors and warnings alike."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, location: Location | None, message: str) -> None:
        self.items.append(Diagnostic("error", location, message))

    def warning(self, location: Location | None, message: str) -> None:
        self.items.append(Diagnostic("warning", location, message))

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def sorted(self) -> list[Diagnostic]:
        def key(d: Diagnostic):
            loc = d.location
            return (loc is None, loc.path if loc else "", loc.line if loc else 0, loc.col if loc else 0)

        # Stable: diagnostics at one place keep the order in which they were found.
        return sorted(self.items, key=key)

    def render(self) -> str:
        return "\n".join(d.render() for d in self.sorted())

    def check(self) -> None:
        if self.has_errors:
            raise SchemaError(self.render())
