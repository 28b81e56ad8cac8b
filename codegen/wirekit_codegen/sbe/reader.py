# SPDX-License-Identifier: Apache-2.0
"""Reads an SBE XML schema into a small element tree that remembers where each
element starts, so that the front end reports `file:line:col` like `.wk` does.

The parser is defusedxml's expat (schemas come from outside): a DTD, an entity
declaration or an external reference is an error, never expanded. XInclude
(`xi:include href="…"`) is resolved here, for files only: a relative path
without a URL scheme, below no absolute root, read with the same parser."""

from __future__ import annotations

import io
import os
import re
import xml.sax
from dataclasses import dataclass, field
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import InputSource

from ..syntax.diagnostics import Diagnostics, Location, SourceFile

XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
# wirekit's own attributes (`wirekit:framing` on <messageSchema>), which SBE
# tools ignore as another vocabulary's: kept as "wirekit:<name>".
WIREKIT_NAMESPACE = "urn:wirekit:sbe"
# XInclude nesting deeper than this is taken for a cycle the path check missed.
MAX_INCLUDE_DEPTH = 16


@dataclass(eq=False)
class Element:
    tag: str  # local name, namespace dropped (SBE 1.0 qualifies only some elements)
    namespace: str
    attrs: dict[str, str]
    loc: Location
    children: list["Element"] = field(default_factory=list)
    text: str = ""

    def attr_loc(self, name: str) -> Location:
        """Where attribute `name` is written (its name), else where the element starts."""
        source = self.loc.source
        if source is None:
            return self.loc
        line, col = self.loc.line, self.loc.col
        if name.startswith("wirekit:"):  # under whatever prefix the file gives wirekit's namespace
            written = r"[\w.-]+:" + re.escape(name.split(":", 1)[1])
        else:
            written = re.escape(name)
        pattern = re.compile(r"(?<![\w:.-])" + written + r"\s*=")
        # An element's start tag may span lines: look from its `<` to its `>`.
        for number in range(line, min(line + 40, len(source.lines)) + 1):
            text = source.line(number)
            start = col - 1 if number == line else 0
            match = pattern.search(text, start)
            end = text.find(">", start)
            if match and (end < 0 or match.start() < end):
                return source.at(number, match.start() + 1)
            if end >= 0:
                break
        return self.loc

    def text_loc(self) -> Location:
        """Where the element's text starts (just after its start tag)."""
        source = self.loc.source
        if source is None:
            return self.loc
        for number in range(self.loc.line, min(self.loc.line + 40, len(source.lines)) + 1):
            text = source.line(number)
            start = self.loc.col - 1 if number == self.loc.line else 0
            end = text.find(">", start)
            if end >= 0:
                return source.at(number, end + 2)
        return self.loc


class _Handler(ContentHandler):
    def __init__(self, source: SourceFile):
        super().__init__()
        self.source = source
        self.locator = None
        self.stack: list[Element] = []
        self.root: Element | None = None

    def setDocumentLocator(self, locator):
        self.locator = locator

    def here(self) -> Location:
        if self.locator is None:
            return self.source.at(1, 1)
        return self.source.at(self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1)

    def startElementNS(self, name, qname, attrs):
        namespace, local = name
        values = {}
        for (attr_namespace, attr_local), value in attrs.items():
            # Attributes of other vocabularies (xsi:schemaLocation) are not SBE's.
            if attr_namespace is None or attr_namespace == namespace:
                values[attr_local] = value
            elif attr_namespace == WIREKIT_NAMESPACE:
                values[f"wirekit:{attr_local}"] = value
        element = Element(local, namespace or "", values, self.here())
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def endElementNS(self, name, qname):
        self.stack.pop()

    def characters(self, content):
        if self.stack:
            self.stack[-1].text += content


def read_xml(source: SourceFile, diagnostics: Diagnostics) -> tuple[Element | None, list[str]]:
    """The root element of the document, XIncludes resolved, and the paths of the
    files it included. None (and an error) when it is not well-formed or unsafe."""
    included: list[str] = []
    root = _parse(source, diagnostics)
    if root is not None:
        _resolve_includes(root, source.path, diagnostics, included, (os.path.realpath(source.path),))
    return root, included


def _parse(source: SourceFile, diagnostics: Diagnostics) -> Element | None:
    try:
        from defusedxml import DefusedXmlException
        from defusedxml.sax import make_parser
    except ImportError:
        diagnostics.error(None, "reading SBE XML needs the Python package defusedxml (Debian: python3-defusedxml)")
        return None
    handler = _Handler(source)
    parser = make_parser()
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        # parse(), not feed(): only parse() hands the handler its locator. The text
        # was read as UTF-8, which overrides the encoding the XML declaration names.
        stream = InputSource(source.path)
        stream.setByteStream(io.BytesIO(source.text.encode("utf-8")))
        stream.setEncoding("utf-8")
        parser.parse(stream)
    except xml.sax.SAXParseException as error:
        loc = source.at(error.getLineNumber() or 1, (error.getColumnNumber() or 0) + 1)
        diagnostics.error(loc, f"malformed XML: {error.getMessage()}")
        return None
    except DefusedXmlException as error:
        what = {
            "DTDForbidden": "a DTD (<!DOCTYPE …>) is not accepted in a schema",
            "EntitiesForbidden": "an entity declaration is not accepted in a schema (entities are never expanded)",
            "ExternalReferenceForbidden": "an external reference is not accepted in a schema",
        }.get(type(error).__name__, f"unsafe XML: {error}")
        loc = handler.here()
        start = source.text.find("<!DOCTYPE")
        if type(error).__name__ == "DTDForbidden" and start >= 0:
            loc = source.at(source.text.count("\n", 0, start) + 1, start - source.text.rfind("\n", 0, start))
        diagnostics.error(loc, what)
        return None
    if handler.root is None:
        diagnostics.error(source.at(1, 1), "malformed XML: no root element")
    return handler.root


def _resolve_includes(element: Element, path: str, d: Diagnostics, included: list[str], stack: tuple[str, ...]) -> None:
    children = []
    for child in element.children:
        if child.namespace in XINCLUDE_NAMESPACES and child.tag == "include":
            children.extend(_include(child, path, d, included, stack))
        else:
            _resolve_includes(child, path, d, included, stack)
            children.append(child)
    element.children = children


def _include(element: Element, path: str, d: Diagnostics, included: list[str], stack: tuple[str, ...]) -> list[Element]:
    href = element.attrs.get("href", "")
    loc = element.attr_loc("href") if "href" in element.attrs else element.loc
    if not href:
        d.error(element.loc, "xi:include needs an href (a file relative to this one)")
        return []
    if element.attrs.get("parse", "xml") != "xml" or "xpointer" in element.attrs:
        d.error(element.loc, "only whole-file XML includes are supported (no parse=\"text\", no xpointer)")
        return []
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) or os.path.isabs(href) or href.startswith("\\"):
        d.error(loc, f"xi:include href \"{href}\" must be a file path relative to this schema (no URL, no absolute path)")
        return []
    target = os.path.join(os.path.dirname(path), href)
    real = os.path.realpath(target)
    if real in stack or len(stack) > MAX_INCLUDE_DEPTH:
        d.error(loc, f"xi:include cycle: \"{href}\" includes itself")
        return []
    try:
        with open(target, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        d.error(loc, f"cannot read included file \"{href}\": {reason}")
        return []
    root = _parse(SourceFile(target, text), d)
    if root is None:
        return []
    included.append(target)
    _resolve_includes(root, target, d, included, stack + (real,))
    return [root]
