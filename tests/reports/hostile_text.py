"""Hostile user text for the printed reports, and the check that a rendering of it stays safe."""

from __future__ import annotations

from weasyprint import HTML

from reports.render import BASE_URL, Rendered, StaticOnlyFetcher, html_to_pdf, print_stylesheet

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<a href="http://127.0.0.1:9/leak">liên kết</a>',
    '<link rel="attachment" href="/static/reports/print.css"><a rel="attachment" href="/etc/hosts">tệp</a>',
    'Tên"); background: url(http://127.0.0.1:9/css) ;/*',
    "Đ" * 400,  # a very long unbroken word
    "מפלגה الحزب Nguyễn",  # right to left, then Vietnamese
    "Ngu\u0303yê\u0301n combining a\u0300\u0301\u0302\u0303\u0309",
]


def _boxes(box):
    yield box
    for child in getattr(box, "children", []) or []:
        yield from _boxes(child)


def assert_safe(html: str) -> Rendered:
    """The text is escaped, nothing is fetched (the print stylesheet comes parsed from the renderer), and
    no box runs past a page's right edge (the long word included)."""
    assert "<img src=" not in html and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    rendered = html_to_pdf(html)
    assert rendered.refused == []  # nothing was even asked for
    assert rendered.served == []
    fetcher = StaticOnlyFetcher()
    laid_out = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(stylesheets=[print_stylesheet()])
    for page in laid_out.pages:
        right = page.width - page._page_box.margin_right + 0.5  # the content area's right edge
        for box in _boxes(page._page_box):
            if box.width is not None and getattr(box, "position_x", None) is not None:
                assert box.position_x + box.width <= right, (type(box).__name__, box.position_x, box.width)
    assert fetcher.refused == []
    return rendered
