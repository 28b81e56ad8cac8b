# SPDX-License-Identifier: Apache-2.0
"""The front end in one call: parse, build the model, validate, lay out, name.
A `.xml` schema is SBE XML (sbe/), read into the same syntax tree as `.wk`."""

from __future__ import annotations

from .layout.compute import compute_layout
from .model.build import Builder
from .model.naming import assign_names
from .model.types import Schema
from .model.validate import validate
from .syntax.diagnostics import Diagnostics, SchemaError
from .syntax.parser import parse_source


def front_end(path: str):
    """The parser of a schema file, by its suffix: SBE XML for `.xml`, else `.wk`."""
    if path.lower().endswith(".xml"):
        from .sbe.build import parse_xml

        return parse_xml
    return parse_source


def load_schema(path: str, diagnostics: Diagnostics | None = None, import_dirs: tuple[str, ...] = (),
                text: str | None = None) -> Schema:
    """The schema at path, laid out and named. Raises SchemaError (with every
    diagnostic rendered) if it has errors; warnings stay in `diagnostics`.
    Relative imports are looked for next to the importing file, then in
    `import_dirs`; `text`, if given, is the schema's text (path only names it)."""
    d = diagnostics if diagnostics is not None else Diagnostics()
    schema = Builder(d).build(path, tuple(import_dirs), text, parse=front_end(path))
    if schema is not None:
        validate(schema, d)
        compute_layout(schema, d)
        assign_names(schema, d)
    if schema is None or d.has_errors:
        raise SchemaError(d.render())
    return schema
