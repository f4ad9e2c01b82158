"""A strict little HTML reader for the page tests: fails on unbalanced tags, keeps every
element with its attributes and text so tests can query the page like a DOM."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    def attr(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        parts: list[str] = []

        def walk(el: Element) -> None:
            parts.extend(el.text_parts)
            for child in el.children:
                walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self) -> list[Element]:
        out: list[Element] = []

        def walk(el: Element) -> None:
            out.append(el)
            for child in el.children:
                walk(child)

        walk(self)
        return out

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            el
            for el in self.iter()
            if el.tag == tag and all(el.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def by_class(self, name: str) -> list[Element]:
        return [el for el in self.iter() if el.has_class(name)]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack: list[Element] = [self.root]
        self.doctype: str | None = None
        self.duplicate_attrs: list[str] = []

    def _make(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        names = [k for k, _ in attrs]
        if len(names) != len(set(names)):
            self.duplicate_attrs.append(tag)
        el = Element(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(el)
        return el

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = self._make(tag, attrs)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._make(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            raise AssertionError(f"end tag for void element </{tag}>")
        open_el = self.stack.pop()
        if open_el.tag != tag:
            raise AssertionError(f"</{tag}> closes <{open_el.tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].text_parts.append(data)


@dataclass
class Page:
    root: Element
    doctype: str | None

    def find(self, tag: str, **attrs: str) -> Element:
        return self.root.find(tag, **attrs)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return self.root.find_all(tag, **attrs)

    def by_class(self, name: str) -> list[Element]:
        return self.root.by_class(name)

    @property
    def css(self) -> str:
        return "".join(self.find("style").text_parts)


def parse(html: str) -> Page:
    """Parse and check the page is well formed: balanced tags, no duplicate attributes,
    one html/head/body/main/title/style, unique ids."""
    b = _Builder()
    b.feed(html)
    b.close()
    assert b.stack == [b.root], f"unclosed: {[e.tag for e in b.stack[1:]]}"
    assert not b.duplicate_attrs, b.duplicate_attrs
    page = Page(b.root, b.doctype)
    for tag in ("html", "head", "body", "main", "title", "style"):
        assert len(page.find_all(tag)) == 1, tag
    ids = [el.attrs["id"] for el in b.root.iter() if el.attrs.get("id") is not None]
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    return page
