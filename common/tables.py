"""Every list in the portal, one way: a django-tables2 table filtered by a django-filter set.

``PortalTable`` adds the STT column (row number, continuing across pages)
and the portal's template (Bootstrap 5, horizontally scrollable on a
phone). ``list_response`` configures sorting and pagination from the query
string, and answers ``?export=xlsx`` with an Excel file of exactly the
filtered, sorted rows (every page, not just the one shown), without the
columns marked ``exclude_from_export``.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import itertools

import django_filters
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.http import content_disposition_header
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_tables2 import columns as t2columns
from django_tables2 import rows as t2rows
from django_tables2 import utils as t2utils

from .forms import DateField
from .spreadsheets import xlsx_bytes

EXPORT_PARAM = "export"


def _cache_signatures() -> None:
    """django-tables2 inspects the signature of a column's ``render`` for every cell it draws
    (``utils.call_with_appropriate``): a third of a dashboard's time. A function's signature does not
    change, so it is read once per function (for a bound method, once per underlying function)."""
    original = t2utils.signature
    known: dict = {}

    def signature(fn):
        key = getattr(fn, "__func__", fn) if inspect.ismethod(fn) else fn if inspect.isfunction(fn) else None
        if key is None:
            return original(fn)
        found = known.get((key, inspect.ismethod(fn)))
        if found is None:
            found = known[(key, inspect.ismethod(fn))] = original(fn)
        return found

    t2utils.signature = signature


_cache_signatures()


class PortalTable(tables.Table):
    stt = tables.Column(verbose_name=_("STT"), empty_values=(), orderable=False,
                        attrs={"td": {"class": "text-muted text-end"}, "th": {"class": "text-end"}})

    class Meta:
        template_name = "_table.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Không có dòng nào khớp bộ lọc.")

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("sequence", ("stt", "..."))
        super().__init__(*args, **kwargs)

    def render_stt(self) -> int:
        # A page counts from its first row's number; an export (not paginated) from 1.
        if not hasattr(self, "_stt"):
            self._stt = itertools.count(self.page.start_index() if hasattr(self, "page") else 1)
        return next(self._stt)


class DateColumn(tables.DateColumn):
    """A date shown dd/mm/yyyy, and exported as a date (a date cell shown dd/mm/yyyy: ``common.spreadsheets``).

    Shown as django-tables2's own ``{{ value|date:format|default:default }}`` would show it (a moment in the
    portal's time zone), without compiling that template for every cell: a fifth of a 25-row page's time.
    """

    def __init__(self, format=None, short=True, *args, **kwargs) -> None:
        self.date_format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
        super().__init__(format, short, *args, **kwargs)

    def render(self, value, bound_column):
        shown = date_format(template_localtime(value), self.date_format) if isinstance(value, dt.date) else ""
        return conditional_escape(shown or bound_column.default)

    def value(self, value) -> dt.date | str:
        if isinstance(value, dt.datetime):  # the day it was, where the portal is (a spreadsheet has no zones)
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value if isinstance(value, dt.date) else (value or "")


class ChoicesColumn(tables.Column):
    """A column of a choices field shown by its label, translated once per language, not once per row.

    (``get_FOO_display()`` translates every choice on every row: a third of a
    50-row page's time.)
    """

    def __init__(self, choices, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self._labels: dict[str, dict] = {}

    def label(self, value) -> str:
        language = get_language() or ""
        labels = self._labels.get(language)
        if labels is None:
            labels = self._labels[language] = {k: str(v) for k, v in self.choices}
        return labels.get(value, value)

    def render(self, value) -> str:
        return self.label(value)

    def value(self, value) -> str:
        return self.label(value)


def _choices_read_raw() -> None:
    """django-tables2 hands a cell of a model's choices field the field's ``get_FOO_display()`` (which
    translates every choice of the field each time) before the column's ``render``; a ``ChoicesColumn``
    labels the stored value itself, once per language, so its cells read the stored value instead."""
    original = t2rows.BoundRow._get_and_render_with

    def _get_and_render_with(self, bound_column, render_func, default):
        column = bound_column.column
        if not isinstance(column, ChoicesColumn):
            return original(self, bound_column, render_func, default)
        value = tables.A(bound_column.accessor).resolve(self.record, quiet=True)
        if value in column.empty_values:
            return default
        return render_func(bound_column, value)

    t2rows.BoundRow._get_and_render_with = _get_and_render_with


_choices_read_raw()


def _has_callable(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in (attrs or {}).values())


def _static_attrs_once() -> None:
    """django-tables2 recomputes a column's HTML attributes (merged dicts, the ordering classes) for every
    cell drawn, though they change only with the table's sort unless some attribute is computed per row:
    a tenth of a 25-row page's time. Where none is, they are computed once per column and sort."""
    computed = t2columns.BoundColumn.attrs.fget

    def attrs(self):
        static = self.__dict__.get("_static_attrs")
        if static is None:
            static = self._static_attrs = not (_has_callable(self._table.attrs) or _has_callable(self.column.attrs))
        if not static:
            return computed(self)
        key = tuple(self._table.order_by or ())
        cached = self.__dict__.get("_attrs_cache")
        if cached is None or cached[0] != key:
            cached = self._attrs_cache = (key, computed(self))
        return cached[1]

    t2columns.BoundColumn.attrs = property(attrs)


_static_attrs_once()


class PortalFilterSet(django_filters.FilterSet):
    """A filter set whose form is styled for the list's filter bar (``_list_tools.html``)."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                select = isinstance(field.widget, forms.Select)
                field.widget.attrs["class"] = "form-select form-select-sm" if select else "form-control form-control-sm"
            form._styled = True
        return form


class PortalDateFilter(django_filters.DateFilter):
    """dd/mm/yyyy, bounded like every date the portal reads."""

    field_class = DateField


class PortalBooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter offering "Tất cả" (no filter) and the list's own words for yes and no.

    django-filter's own select offers "Unknown" for no filter, which reads as a third state of the field.
    """

    def __init__(self, *args, yes=None, no=None, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Select(choices=[("", _("Tất cả")), ("true", yes or _("Có")),
                                                          ("false", no or _("Không"))]))
        super().__init__(*args, **kwargs)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(table: PortalTable, name: str) -> HttpResponse:
    """Every row of ``table`` (filtered and sorted, not paginated) as an .xlsx named after ``name``;
    a cell that would read as a formula is written as text (``common.spreadsheets``)."""
    table._stt = itertools.count(1)
    values = table.as_values()  # without the columns marked exclude_from_export
    header = next(values, [])
    content = xlsx_bytes(name, header, values)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name}-{timezone.localtime():%Y%m%d-%H%M}.xlsx")
    return response


def _without_unknown_sort(request: HttpRequest, table: tables.Table) -> HttpRequest:
    """The request, without its sort keys when none names an orderable column of ``table``.

    django-tables2 drops such keys but still re-sorts the data by what is left, nothing: a queryset
    loses its own ordering (pages would overlap) and data that is neither a queryset nor a list (search
    hits) cannot be sorted at all. A sort naming no column is a link someone edited: it is ignored.
    """
    field = table.prefixed_order_by_field
    keys = request.GET.getlist(field)
    if not keys:
        return request
    for key in keys:
        name = key[1:] if key.startswith("-") else key
        if name in table.columns and table.columns[name].orderable:
            return request
    cleaned = copy.copy(request)
    cleaned.GET = request.GET.copy()
    cleaned.GET.pop(field)
    return cleaned


def _totally_ordered(table: tables.Table) -> None:
    """Break the ties of ``table``'s sort (the one asked for, the table's default or the queryset's own) by
    primary key, so that its rows come in one order only.

    Sorted by a column where rows tie (two disciplines decided the same day), a database returns the tied
    rows in any order, and in a different one for a page (LIMIT/OFFSET) than for every row: pages would
    overlap and the export would not read like the screen. A list (not a queryset) is sorted by Python,
    whose sort keeps ties in their order: nothing to do.
    """
    data = getattr(table.data, "data", None)
    if not isinstance(data, QuerySet) or data.query.is_sliced or data.query.combinator:
        return
    ordering = list(data.query.order_by) or (list(data.model._meta.ordering) if data.query.default_ordering else [])
    names = {o.lstrip("-") for o in ordering if isinstance(o, str)}
    if names & {"pk", data.model._meta.pk.name, data.model._meta.pk.attname}:
        return
    table.data.data = data.order_by(*ordering, "pk")


def _configure(request: HttpRequest, table: tables.Table, paginate) -> None:
    """Sort ``table`` from the request (ties broken), then paginate it: the same for the page and the export."""
    request = _without_unknown_sort(request, table)
    tables.RequestConfig(request, paginate=False).configure(table)
    _totally_ordered(table)
    if not paginate:
        return
    # As ``RequestConfig`` paginates (it would sort again, dropping the tie-break): the page and the page
    # size from the request, a page past the end showing the last one.
    kwargs = dict(paginate)
    for arg in ("page", "per_page"):
        try:
            kwargs[arg] = int(request.GET[getattr(table, f"prefixed_{arg}_field")])
        except (ValueError, KeyError):
            pass
    try:
        table.paginate(**kwargs)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)


def list_response(request: HttpRequest, table: PortalTable, template: str, context: dict, *,
                  filename: str, per_page: int | None = None,
                  others: dict[str, PortalTable] | None = None) -> HttpResponse:
    """Sort and paginate ``table`` from the request; the page, or its rows as .xlsx when asked.

    ``others`` are further tables on the same page (``<name>_table`` in the template): each sorts and pages
    on its own, its name as its prefix, and ``?export=xlsx&table=<name>`` answers with its rows instead.
    """
    size = per_page or settings.PAGE_SIZE
    _configure(request, table, {"per_page": size})
    for name, other in (others or {}).items():
        other.prefix = f"{name}-"
        _configure(request, other, {"per_page": size})
    if request.GET.get(EXPORT_PARAM) == "xlsx":
        wanted = (others or {}).get(request.GET.get("table", ""))
        if wanted is not None:
            return _xlsx(wanted, f"{filename}-{request.GET['table']}")
        return _xlsx(table, filename)
    return render(request, template, {**context, "table": table,
                                      **{f"{name}_table": t for name, t in (others or {}).items()}})


def tables_response(request: HttpRequest, named: dict[str, PortalTable], template: str, context: dict, *,
                    filename: str, per_page: int | None = None) -> HttpResponse:
    """A page of several tables (a dashboard): each sorts and pages on its own (its name is its prefix),
    and ``?export=xlsx&table=<name>`` answers with that table's rows as .xlsx."""
    for name, table in named.items():
        table.prefix = f"{name}-"
        # A table whose rows are already one page (``paginated_here = False``) is not paginated again.
        paginate = {"per_page": per_page or settings.PAGE_SIZE} if getattr(table, "paginated_here", True) else False
        _configure(request, table, paginate)
    wanted = named.get(request.GET.get("table", ""))
    if request.GET.get(EXPORT_PARAM) == "xlsx" and wanted is not None:
        return _xlsx(wanted, f"{filename}-{request.GET['table']}")
    return render(request, template, {**context, **{f"{name}_table": t for name, t in named.items()}})


class DatedFilterSet(PortalFilterSet):
    """A register's filter set: rows dated between two days (on the model's ``date`` field)."""

    date_from = PortalDateFilter(field_name="date", lookup_expr="gte", label=_("Từ ngày"))
    date_to = PortalDateFilter(field_name="date", lookup_expr="lte", label=_("Đến ngày"))

