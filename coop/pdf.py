"""HTML to PDF for every printed paper (statements, meeting papers): the same
HTML and stylesheet as the browser's print, drawn by WeasyPrint (which applies
``@media print``) with a CJK font found on the system (``coop.fonts``).

No database. ``render_pdf`` takes HTML documents already rendered and writes
their pages as one PDF; a caller that draws many documents passes them one
chunk at a time and reports its progress between them. ``render_pdf_in_processes``
draws the documents of a long batch in several processes (WeasyPrint holds one
core) and joins their PDFs in order.
"""
from __future__ import annotations

import functools
import gc
import io
import multiprocessing
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pypdf import PdfWriter

from coop import fonts
from coop.bulk import paused_gc
from coop.errors import ServiceError

A4_PAGE = "@page { size: A4; margin: 12mm 14mm; }"


class NoCJKFont(ServiceError):
    def __init__(self) -> None:
        super().__init__(fonts.NO_FONT_MESSAGE)


def require_cjk_font() -> fonts.CJKFont:
    """The CJK font the PDFs use, or NoCJKFont (a clear message, not boxes)."""
    font = fonts.find_cjk_font()
    if font is None:
        raise NoCJKFont()
    return font


def print_css(path: Path) -> str:
    """A stylesheet without its screen-only part, marked ``(screen-only: start``
    ... ``/* screen-only: end */`` (WeasyPrint reads no media features such as
    widths, and a phone layout has no place in a PDF)."""
    text = path.read_text(encoding="utf-8")
    start = text.find("(screen-only: start")
    end = text.find("/* screen-only: end */")
    if start != -1 and end != -1:
        start = text.rfind("/*", 0, start)
        text = text[:start] + text[end:]
    return text


def font_css(font: fonts.CJKFont, selectors: str = "html, body") -> str:
    family = font.family.replace('"', "")
    return f'{selectors} {{ font-family: "{family}", sans-serif; }}'


def paper_stylesheets(static_folder: str | None, printed: Sequence[str], pdf_only: Sequence[str] = (),
                      *, page: str = "", font_selectors: str = "html, body") -> list[str]:
    """The CSS texts a paper's PDF is drawn with, from ``static_folder``'s css
    directory: each of ``printed`` less its screen-only part (the stylesheets
    the browser's print reads), each of ``pdf_only`` whole (the paper laid out
    for WeasyPrint: blocks and fixed tables where the browser has flex rows,
    grids and tables sized by their cells), then the page and the CJK font."""
    css = Path(static_folder or "static") / "css"
    return ([print_css(css / name) for name in printed]
            + [(css / name).read_text(encoding="utf-8") for name in pdf_only]
            + [(page + "\n" if page else "") + font_css(require_cjk_font(), font_selectors)])


# WeasyPrint's HTML5 user-agent sheet gives every element its footnote and note
# pseudo-elements and a ::marker; each of those is cascaded and given a computed
# style for every element of the document (seven styles an element).
_EVERY_ELEMENT_PSEUDO = re.compile(
    r"(?m)^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n?")
_EVERY_MARKER = re.compile(r"(?m)^::marker \{")


def paper_user_agent_css(text: str) -> str:
    """The user-agent sheet ``text`` for our papers: no rules for every element's
    footnote and note pseudo-elements (the papers have no footnotes or notes)
    and ::marker for list items only (the papers' lists are ul/ol)."""
    return _EVERY_MARKER.sub("li::marker, summary::marker {", _EVERY_ELEMENT_PSEUDO.sub("", text))


_DOCTYPE = re.compile(r"\A\s*<!doctype html>", re.IGNORECASE)
# elements an HTML5 parser reads otherwise than an XML one: foreign content
# (namespaced), a template's fragment, <pre>'s first newline, a <base> URL
_READ_AS_HTML_ONLY = frozenset({"svg", "math", "template", "pre", "textarea", "listing", "base"})


def xml_tree(html: str) -> ElementTree.Element | None:
    """The element tree of ``html`` read by expat when it is also well-formed
    XML that an HTML5 parser reads the same way (lower-case names, no
    namespaces, none of ``_READ_AS_HTML_ONLY``); else None. The statements'
    templates are written so: WeasyPrint's own parser (tinyhtml5, pure
    Python) took a tenth of a statement's drawing, expat a sixtieth of that."""
    try:
        root = ElementTree.fromstring(_DOCTYPE.sub("", html, count=1))
    except ElementTree.ParseError:
        return None
    for element in root.iter():
        tag = element.tag  # comments and processing instructions are not kept
        if (tag in _READ_AS_HTML_ONLY or tag != tag.lower() or "{" in tag
                or any(name != name.lower() or "{" in name for name in element.attrib)):
            return None
    return root


@functools.cache
def _paper_html():
    """weasyprint.HTML with :func:`paper_user_agent_css` as its user-agent sheet
    (a statement's styles take half the time) and a document that is also
    well-formed XML read by expat (:func:`xml_tree`)."""
    import cssselect2
    import weasyprint
    from weasyprint import CSS, HTML
    from weasyprint import html as weasy_html
    from weasyprint.css.counters import CounterStyle

    text = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    # its @counter-style rules are WeasyPrint's own, already in weasy_html.UA_COUNTER_STYLE,
    # which refuses "decimal" and "disc" a second time (with a warning)
    sheet = CSS(string=paper_user_agent_css(text), counter_style=CounterStyle())

    class PaperHTML(HTML):
        def __init__(self, *, string: str, base_url: str) -> None:
            tree = xml_tree(string)
            # WeasyPrint parses only what it is given; an empty document keeps
            # its own settings (URL fetcher, base URL, media) for ours
            super().__init__(string=string if tree is None else "<html></html>", base_url=base_url)
            if tree is not None:
                self.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
                self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms=False):
            return [sheet, weasy_html.UA_FORM_STYLESHEET] if forms else [sheet]

    return PaperHTML


def render_pdf(documents: Iterable[str], *, stylesheets: Iterable[str], base_url: str,
               empty_message: str = "没有可打印的内容") -> bytes:
    """The pages of every HTML document in ``documents``, in order, as one PDF
    drawn with ``stylesheets`` (CSS texts, applied after each document's own).
    NoCJKFont when no font covers Chinese; ServiceError(empty_message) when
    there is nothing to draw."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    require_cjk_font()
    # one font configuration for every document: each new one loads the
    # fonts again and shapes with cold caches
    font_config = FontConfiguration()
    sheets = [CSS(string=text, font_config=font_config) for text in stylesheets]
    drawn = [_laid_out(html, sheets, base_url, font_config) for html in documents]
    if not drawn:
        raise ServiceError(empty_message)
    pages = [page for document in drawn for page in document.pages]
    with paused_gc():
        return drawn[0].copy(pages).write_pdf()


def _laid_out(html: str, sheets: list, base_url: str, font_config):
    """One document laid out by WeasyPrint with the cyclic garbage collector
    paused: it builds hundreds of thousands of objects, and the collector
    walking them again and again was a third of a statement batch's time. The
    document's own garbage (its parse tree and styles refer to each other) is
    collected right after, from the young generations only, so memory stays
    that of the pages drawn."""
    with paused_gc():
        document = _paper_html()(string=html, base_url=base_url).render(stylesheets=sheets,
                                                                        font_config=font_config)
    gc.collect(1)
    return document


def _draw(documents: Sequence[str], stylesheets: Sequence[str], base_url: str) -> bytes:
    return render_pdf(documents, stylesheets=stylesheets, base_url=base_url)


def render_pdf_in_processes(documents: Sequence[Sequence[str]], *, stylesheets: Sequence[str],
                            base_url: str, processes: int,
                            drawn: Callable[[int], None] | None = None,
                            empty_message: str = "没有可打印的内容") -> bytes:
    """The pages of every part, in order, as one PDF: each part (a list of HTML
    documents) drawn as a PDF of its own in a pool of ``processes`` (started
    afresh, not forked from a process with threads), then joined. ``drawn(i)``
    is called as the parts are done, in order."""
    require_cjk_font()
    if not documents:
        raise ServiceError(empty_message)
    sheets = list(stylesheets)
    writer = PdfWriter()
    with ProcessPoolExecutor(max_workers=processes,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = pool.map(_draw, documents, [sheets] * len(documents), [base_url] * len(documents))
        for i, part in enumerate(parts):
            writer.append(io.BytesIO(part))
            if drawn:
                drawn(i)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
