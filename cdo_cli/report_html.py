"""The report as one self-contained HTML page: styles and SVG charts inline, no scripts.

The page comes from ``templates/report.html.j2`` (autoescaped, ``StrictUndefined``);
the data is only its context, and every string it prints has its control characters
made visible first. The charts are SVG text from :mod:`cdo_cli.report_charts`, which
escapes every name it draws.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import __version__
from .outlines import number_text
from .report_charts import (
    STATE_COLORS,
    STATUS_COLORS,
    STATUS_LABELS,
    coverage_chart,
    deadline_chart,
    evaluation_chart,
    parent_chart,
    timeline_chart,
    unit_chart,
)
from .report_data import CATEGORY_LABELS, TOTAL_ORDER, ReportData, cn_date
from .text import visible

if TYPE_CHECKING:
    import jinja2


def _shown(value: Any) -> Any:
    """Every value the template prints: strings with control characters made visible."""
    return visible(value, keep_newlines=True) if type(value) is str else value


def _num(value: Decimal | None) -> str:
    """A score or total as written (17.5, 85), "—" where there is none."""
    return number_text(value) if value is not None else "—"


def _num_attr(value: Decimal | None) -> str:
    """A score or total for a data-* attribute: empty where there is none."""
    return number_text(value) if value is not None else ""


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    from .resources import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_shown,
    )
    env.filters["cn_date"] = cn_date
    env.filters["num"] = _num
    env.filters["num_attr"] = _num_attr
    return env


def report_context(data: ReportData) -> dict[str, Any]:
    """What the template gets: the data, the charts (as markup) and the labels."""
    from markupsafe import Markup

    charts = {
        "coverage": coverage_chart(data),
        "units": unit_chart(data),
        "deadlines": deadline_chart(data),
        "timeline": timeline_chart(data),
    }
    if data.parents:
        charts["parents"] = parent_chart(data)
    return {
        "data": data,
        # The charts escape every text they draw (report_charts._esc).
        "charts": {
            **{k: Markup(v) for k, v in charts.items()},
            "evaluations": [Markup(evaluation_chart(e)) for e in data.evaluations],
        },
        "status_labels": STATUS_LABELS,
        "status_colors": STATUS_COLORS,
        "state_colors": STATE_COLORS,
        "total_order": [s.value for s in TOTAL_ORDER],
        "category_labels": CATEGORY_LABELS,
        "numerals": "一二三四五六七八九十",
        "version": __version__,
    }


def render_report_html(data: ReportData) -> str:
    """The whole page, as text (the CLI encodes it as UTF-8)."""
    return _environment().get_template("report.html.j2").render(report_context(data))
