"""Charts drawn on the server as SVG (pygal), for the dashboards and the printed reports alike.

No script and nothing fetched: pygal's interactive JavaScript is left out
(``js=[]``), so a chart is plain SVG that a closed network, a screen reader
(it carries its title and a table beside it on the page) and WeasyPrint all
take as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import pygal
from pygal.style import Style

from .csp import NoncedMarkup

# The four levels in the order of the legend, best first: green to red.
LEVEL_COLOURS = ("#198754", "#0d6efd", "#ffc107", "#dc3545", "#adb5bd")
STYLE = Style(background="transparent", plot_background="transparent", font_family="DejaVu Sans, sans-serif",
              colors=LEVEL_COLOURS, title_font_size=14, label_font_size=11, legend_font_size=11,
              major_label_font_size=11, value_font_size=10)


_SCRIPT = re.compile(r"<script.*?</script>|<!--.*?-->", re.S)


def _svg(chart) -> NoncedMarkup:
    """The SVG without pygal's inline configuration script and comments: nothing runs, nothing is fetched.

    Its one ``<style>`` element gets the page's Content-Security-Policy nonce when shown (``common.csp``).
    """
    return NoncedMarkup(_SCRIPT.sub("", chart.render(is_unicode=True)))


def _config(title: str, **kwargs) -> dict:
    return {"title": title, "style": STYLE, "js": [], "disable_xml_declaration": True, "legend_at_bottom": True,
            "print_values": False, "show_y_guides": True, "truncate_label": 30, "width": 800, "height": 360,
            **kwargs}


def _frozen(value):
    """Lists to tuples, so that a chart's data can key the cache."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def memoized(draw):
    """Drawing a chart costs tens of milliseconds and the same figures give the same SVG: keep the last
    few hundred per process (a dashboard's figures change only when a result does)."""
    cached = functools.lru_cache(maxsize=512)(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        return cached(*(_frozen(a) for a in args), **{k: _frozen(v) for k, v in kwargs.items()})

    wrapper.cache_clear = cached.cache_clear
    return wrapper


@memoized
def stacked_bars(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *,
                 horizontal: bool = True, height: int | None = None) -> str:
    """One bar per label, stacked by series (levels): the distribution per subordinate organization."""
    chart_class = pygal.HorizontalStackedBar if horizontal else pygal.StackedBar
    chart = chart_class(**_config(title, height=height or max(240, 40 + 28 * len(labels))))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _svg(chart)


@memoized
def grouped_bars(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | float]]]) -> str:
    """Bars side by side: this period against the one before."""
    chart = pygal.Bar(**_config(title))
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _svg(chart)


@memoized
def donut(title: str, parts: Sequence[tuple[str, int]]) -> str:
    chart = pygal.Pie(**_config(title, inner_radius=0.45, width=420, height=320))
    for name, value in parts:
        chart.add(name, value)
    return _svg(chart)
