"""PDF rendering (kết xuất PDF): Django HTML templates → WeasyPrint → PDF bytes.

The bundled Noto Serif (``fonts/``) is declared with ``@font-face`` by file URL, so output
never depends on the fonts installed on the machine. Templates extend
``documents/pdf/base.html`` (national heading, issuing unit, number, date line, QR code in
the top-left corner, signature blocks). Rendering fetches nothing from the network: the URL
fetcher serves only the bundled fonts and ``data:`` URLs.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Mot Cua Serif"
#: (file, weight, style) of each bundled face.
FONT_FACES = (
    ("NotoSerif-Regular.ttf", 400, "normal"),
    ("NotoSerif-Bold.ttf", 700, "normal"),
    ("NotoSerif-Italic.ttf", 400, "italic"),
)
PAGE_SIZES = ("A5", "A4")


class RenderError(Exception):
    """A document could not be rendered (bad page size, template error…)."""


def font_path(name: str = "NotoSerif-Regular.ttf") -> Path:
    return FONT_DIR / name


@functools.cache
def font_face_css() -> SafeString:
    """``@font-face`` rules for the bundled faces (file URLs)."""
    rules = [
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{font_path(f).as_uri()}'); "
        f"font-weight: {weight}; font-style: {style}; }}"
        for f, weight, style in FONT_FACES
    ]
    return mark_safe("\n".join(rules))  # noqa: S308  (constant text, no user input)


def page_css(page_size: str, landscape: bool) -> SafeString:
    if page_size not in PAGE_SIZES:
        raise RenderError(f"page_size must be one of {PAGE_SIZES}, not {page_size!r}")
    orientation = "landscape" if landscape else "portrait"
    return mark_safe(f"@page {{ size: {page_size} {orientation}; }}")  # noqa: S308


def _fetcher():
    return _fetcher_class()(allowed_protocols=("data", "file"))


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serves ``data:`` URLs and the bundled fonts; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url.split("?")[0].removeprefix("file://")).resolve()
                if path.parent == FONT_DIR and path.suffix == ".ttf":
                    return super().fetch(url, headers)
            raise ValueError(f"documents may not load {url!r}")

    return LocalOnlyFetcher


def render_html(
    template_name: str, context: dict, *, page_size: str = "A5", landscape: bool = False
) -> str:
    """The HTML of a document (what :func:`render_pdf` prints), for previews and tests."""
    full = {
        **context,
        "font_css": font_face_css(),
        "page_css": page_css(page_size, landscape),
        "page_size": page_size,
        "landscape": landscape,
    }
    return render_to_string(template_name, full)


def render_template_html(
    template, context: dict, *, page_size: str = "A5", landscape: bool = False
) -> str:
    """Like :func:`render_html`, with a compiled template (e.g. a versioned form)."""
    full = {
        **context,
        "font_css": font_face_css(),
        "page_css": page_css(page_size, landscape),
        "page_size": page_size,
        "landscape": landscape,
    }
    return template.render(full)


def layout(html: str):
    """Lay ``html`` out into pages (a WeasyPrint ``Document``); documents laid out apart can
    be joined with :func:`join_pdf`."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher())
    return document.render()


def join_pdf(documents) -> bytes:
    """One PDF of the pages of ``documents`` (from :func:`layout`), in order."""
    documents = list(documents)
    if len(documents) == 1:
        return documents[0].write_pdf()
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def render_pdf(
    template_name: str, context: dict, *, page_size: str = "A5", landscape: bool = False
) -> bytes:
    """Render a Django template to PDF bytes on ``page_size`` paper (A5 or A4)."""
    html = render_html(template_name, context, page_size=page_size, landscape=landscape)
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a complete HTML document (fonts and ``data:`` URLs only)."""
    return layout(html).write_pdf()
