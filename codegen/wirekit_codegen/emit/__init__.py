# SPDX-License-Identifier: Apache-2.0
"""Back ends: each turns a laid-out, named Schema into the files of one
language. `generate --lang NAME` looks its back end up in BACK_ENDS; a new
language is a module here (logic in Python) plus templates/<lang>/ (text only).

A back end is `generate(schema, schema_path, options) -> list[OutputFile]`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

import jinja2


@dataclass(frozen=True)
class OutputFile:
    """A file a back end writes: its name (relative to the output directory)
    and its text."""

    name: str
    text: str


# The language name on the command line -> "module:function" under emit/.
BACK_ENDS: dict[str, str] = {
    "cpp": "cpp:generate_files",
    "ts": "ts:generate_files",
    "wireshark": "wireshark:generate_files",
}


def template_environment(directory: str) -> jinja2.Environment:
    """The Jinja2 settings every back end's templates are written for."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def back_end(language: str) -> Callable:
    module_name, function = BACK_ENDS[language].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, function)
