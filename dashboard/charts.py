"""Horizontal bar charts of the dashboard, laid out in Python and drawn as inline SVG.

Each chart is a list of rows; every row has a text line (its label and numbers) and one or two
bars under it. Geometry is computed here so the template only prints numbers: bar widths are
percentages of the chart width (the widest value fills it), written with a dot as decimal
separator whatever the page language, and the text keeps its pixel size on a 360 px phone
because the SVG is not scaled. The same rows fill the table printed under each chart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dashboard.selectors import DashboardFigures, Share, Spread

ROW_HEIGHT = 40
TEXT_BASELINE = 15  # from the top of a row
BAR_TOP = 21
BAR_HEIGHT = 14
INNER_BAR_INSET = 3  # a second series is drawn thinner, inside the first
LABEL_CHARACTERS = 28
MIN_VISIBLE_WIDTH = 0.5  # percent: a non-zero value never disappears


@dataclass(frozen=True)
class Bar:
    css: str  # bar-single, or bar-outer and bar-inner for two series
    width: str  # percent of the chart width, e.g. "42.50"
    y: int
    height: int


@dataclass(frozen=True)
class Row:
    label: str
    text: str  # the row's line in the SVG
    text_y: int
    track_y: int
    bars: tuple[Bar, ...]
    cells: tuple[str, ...]  # the table cells after the label
    href: str = ""
    note: str = ""  # a second line under the label in the table


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label_header: str
    columns: tuple[str, ...]
    legend: tuple[tuple[str, str], ...]  # (series name, css class), shown for two series
    rows: tuple[Row, ...]
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.rows) * ROW_HEIGHT

    @property
    def is_empty(self) -> bool:
        return not self.rows


def count(value: int) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def days(value: float | None) -> str:
    return "—" if value is None else number_format(value, decimal_pos=1, force_grouping=True)


def _width(value: float, widest: float) -> str:
    if widest <= 0 or value <= 0:
        return "0"
    return f"{max(MIN_VISIBLE_WIDTH, 100 * value / widest):.2f}"


@dataclass(frozen=True)
class _Item:
    label: str
    values: tuple[float, ...]  # one per series, drawn in this order (widest first)
    text: str
    cells: tuple[str, ...]
    href: str = ""
    note: str = ""


def _css(number: int, series: int) -> str:
    if series == 1:
        return "bar-single"
    return "bar-outer" if number == 0 else "bar-inner"


def _chart(
    key: str,
    title: str,
    label_header: str,
    columns: Sequence[str],
    series: Sequence[str],
    items: Iterable[_Item],
) -> Chart:
    items = list(items)
    widest = max((v for item in items for v in item.values if v is not None), default=0)
    rows = []
    for index, item in enumerate(items):
        top = index * ROW_HEIGHT
        bars = []
        for number, value in enumerate(item.values):
            inset = INNER_BAR_INSET * number
            bars.append(
                Bar(
                    css=_css(number, len(series)),
                    width=_width(value or 0, widest),
                    y=top + BAR_TOP + inset,
                    height=BAR_HEIGHT - 2 * inset,
                )
            )
        rows.append(
            Row(
                label=item.label,
                text=item.text,
                text_y=top + TEXT_BASELINE,
                track_y=top + BAR_TOP,
                bars=tuple(bars),
                cells=item.cells,
                href=item.href,
                note=item.note,
            )
        )
    legend = tuple((name, _css(n, len(series))) for n, name in enumerate(series))
    return Chart(key, title, label_header, tuple(columns), legend, tuple(rows))


def _short(label: str) -> str:
    return Truncator(label).chars(LABEL_CHARACTERS)


def funnel_chart(figures: DashboardFigures) -> Chart:
    return _chart(
        "funnel",
        _("Applications per state"),
        _("State"),
        (_("Now"), _("Ever reached")),
        (_("Ever reached"), _("Now")),
        (
            _Item(
                label=str(row.label),
                values=(row.reached, row.current),
                text=_("%(state)s: %(now)s now, %(reached)s reached")
                % {
                    "state": _short(str(row.label)),
                    "now": count(row.current),
                    "reached": count(row.reached),
                },
                cells=(count(row.current), count(row.reached)),
            )
            for row in figures.funnel
        ),
    )


def _spread_text(label: str, spread: Spread) -> str:
    if not spread.count:
        return _("%(label)s: no completed stay") % {"label": _short(label)}
    return _("%(label)s: median %(median)s d, 90%% %(p90)s d") % {
        "label": _short(label),
        "median": days(spread.median_days),
        "p90": days(spread.p90_days),
    }


def durations_chart(figures: DashboardFigures) -> Chart:
    return _chart(
        "durations",
        _("Days spent in each state"),
        _("State"),
        (_("Completed stays"), _("Median (days)"), _("90th percentile (days)")),
        (_("90th percentile"), _("Median")),
        (
            _Item(
                label=str(row.label),
                values=(row.spread.p90_days or 0, row.spread.median_days or 0),
                text=_spread_text(str(row.label), row.spread),
                cells=(
                    count(row.spread.count),
                    days(row.spread.median_days),
                    days(row.spread.p90_days),
                ),
            )
            for row in figures.durations
        ),
    )


def programmes_chart(figures: DashboardFigures, query: QueryDict) -> Chart:
    return _chart(
        "programmes",
        _("Applications per programme"),
        _("Programme"),
        (_("Applications"), _("In progress"), _("Approved"), _("Overdue")),
        (_("Applications"), _("Approved")),
        (
            _Item(
                label=row.name,
                values=(row.applications, row.approved),
                text=_("%(name)s: %(total)s, %(approved)s approved")
                % {
                    "name": _short(row.name),
                    "total": count(row.applications),
                    "approved": count(row.approved),
                },
                cells=(
                    count(row.applications),
                    count(row.in_progress),
                    count(row.approved),
                    count(row.overdue),
                ),
                href=_narrowed(query, "programme", row.programme_id),
            )
            for row in figures.programmes
        ),
    )


def _share_chart(
    key: str,
    title: str,
    label_header: str,
    shares: Iterable[Share],
    column: str,
    link: Callable[[Share], str] | None = None,
) -> Chart:
    return _chart(
        key,
        title,
        label_header,
        (column,),
        (column,),
        (
            _Item(
                label=share.label,
                values=(share.count,),
                text=f"{_short(share.label)}: {count(share.count)}",
                cells=(count(share.count),),
                href=link(share) if link else "",
            )
            for share in shares
        ),
    )


def curators_chart(figures: DashboardFigures, limit: int) -> Chart:
    return _chart(
        "curators",
        _("Curators' open assignments"),
        _("Curator"),
        (
            _("Open assignments"),
            _("Scores submitted"),
            _("Median turnaround (days)"),
            _("90th percentile turnaround (days)"),
        ),
        (_("Open assignments"),),
        (
            _Item(
                label=load.name,
                values=(load.open,),
                text=_("%(name)s: %(open)s open")
                % {"name": _short(load.name), "open": count(load.open)},
                note=load.organisation,
                cells=(
                    count(load.open),
                    count(load.submitted),
                    days(load.turnaround.median_days),
                    days(load.turnaround.p90_days),
                ),
            )
            for load in figures.curators[:limit]
        ),
    )


def build_charts(figures: DashboardFigures, *, query: QueryDict, curator_limit: int) -> dict:
    """Every chart of the page; rows of programmes, provinces and categories link to the
    dashboard narrowed to them (keeping the other filters in ``query``)."""
    return {
        "funnel": funnel_chart(figures),
        "durations": durations_chart(figures),
        "programmes": programmes_chart(figures, query),
        "provinces": _share_chart(
            "provinces",
            _("Applications per province"),
            _("Province"),
            figures.provinces,
            _("Applications"),
            link=lambda share: _narrowed(query, "province", share.key) if share.key else "",
        ),
        "categories": _share_chart(
            "categories",
            _("Applications per product category"),
            _("Category"),
            figures.categories,
            _("Applications"),
            link=lambda share: _narrowed(query, "category", share.key),
        ),
        "curators": curators_chart(figures, curator_limit),
        "permits": _share_chart(
            "permits",
            _("Permit cases per state"),
            _("State"),
            figures.permit_cases,
            _("Permit cases"),
        ),
    }


def _narrowed(query: QueryDict, name: str, value) -> str:
    narrowed = query.copy()
    narrowed[name] = str(value)
    return f"{reverse('dashboard:index')}?{narrowed.urlencode()}"
