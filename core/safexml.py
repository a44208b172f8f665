"""Streaming XML for importers: one record at a time, memory flat, hostile files refused.

Built on expat directly (the standard library's), so no DTD is ever read: a DOCTYPE (which
is where entity definitions, external references and billion-laughs payloads live) stops the
parse at once, as does any entity declaration or external reference. Exports from WordPress
and Disqus never carry one. A malformed or truncated file stops with its line and expat's
reason. Each record (an element named in ``record_tags``) is handed over when it closes and
then detached from the tree, so a 1 GB file costs the memory of one record.
"""

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.parsers import expat

CHUNK = 64 * 1024


class XMLRefused(ValueError):
    """A file that will not be read: hostile (DTD, entities) or malformed (with its line)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason, self.line = reason, line
        where = f"line {line}: " if line else ""
        super().__init__(f"{where}{reason}")


def _refuse(reason: str, parser) -> None:
    raise XMLRefused(reason, parser.CurrentLineNumber)


class _Builder:
    """Elements with ``{namespace}name`` tags (as ElementTree names them), text only."""

    def __init__(self, parser, record_tags: set[str], rename=None) -> None:
        self.parser, self.record_tags, self.rename = parser, record_tags, rename or _name
        self.stack: list[Element] = []
        self.done: list[Element] = []

    def start(self, tag: str, attrs: dict) -> None:
        element = Element(self.rename(tag), {self.rename(k): v for k, v in attrs.items()})
        element.text = ""
        if self.stack:
            self.stack[-1].append(element)
        self.stack.append(element)

    def end(self, tag: str) -> None:
        element = self.stack.pop()
        if element.tag in self.record_tags:
            self.done.append(element)
            if self.stack:
                self.stack[-1].remove(element)  # the tree keeps no finished record

    def data(self, text: str) -> None:
        if self.stack and not len(self.stack[-1]):
            self.stack[-1].text += text


def _name(tag: str) -> str:
    namespace, sep, local = tag.rpartition("}")
    return f"{{{namespace}}}{local}" if sep else tag


def _parser(builder_for) -> tuple:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = builder_for(parser)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = lambda *a: _refuse(
        "a DOCTYPE (DTD) is not accepted: exports have none, and a DTD is how entity "
        "attacks (external files, billion laughs) get in",
        parser,
    )
    parser.EntityDeclHandler = lambda *a: _refuse("entity declarations are not accepted", parser)
    parser.ExternalEntityRefHandler = lambda *a: _refuse(
        "external entity references are not accepted", parser
    )
    parser.SkippedEntityHandler = lambda name, *a: _refuse(f"unknown entity &{name};", parser)
    return parser, builder


def records(path: Path | str, record_tags: set[str], rename=None) -> Iterator[Element]:
    """Each element named in ``record_tags`` (``{ns}name``, or as ``rename`` names an
    expat ``namespace}name``), in file order, as it closes. Raises XMLRefused (with the
    line) for a hostile or malformed file, when reached."""
    parser, builder = _parser(lambda p: _Builder(p, record_tags, rename))
    with open(path, "rb") as source:
        while True:
            chunk = source.read(CHUNK)
            _feed(parser, chunk, final=not chunk)
            yield from builder.done
            builder.done.clear()
            if not chunk:
                return


def check(path: Path | str) -> int:
    """Read the whole file without keeping anything; its line count, or XMLRefused."""
    parser, _ = _parser(lambda p: _Builder(p, set()))
    parser.StartElementHandler = parser.EndElementHandler = parser.CharacterDataHandler = None
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            _feed(parser, chunk, final=False)
        _feed(parser, b"", final=True)
    return parser.CurrentLineNumber


def _feed(parser, chunk: bytes, *, final: bool) -> None:
    try:
        parser.Parse(chunk, final)
    except expat.ExpatError as error:
        raise XMLRefused(expat.ErrorString(error.code), error.lineno) from None


def text(element: Element | None, path: str = "", namespaces: dict | None = None) -> str:
    """The text at ``path`` under ``element`` ("" when absent), stripped."""
    if element is None:
        return ""
    found = element.find(path, namespaces) if path else element
    return (found.text or "").strip() if found is not None else ""
