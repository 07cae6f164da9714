"""The daily report as one self-contained HTML page (charts and map inline).

``render_html(report, link_base)`` draws the charts and the static map
and fills ``templates/daily.html.j2``. Every figure links to
``{link_base}/incidents?{selection}``, the dashboard's filtered list, and
carries a mark ``[n]`` leading to the appendix row that names the ledger
entries it counts, each linked to its inclusion proof
(``{link_base}/api/ledger/proof/inclusion?seq=N&size=M``, M the printed
checkpoint's size).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..domain.links import http_url
from ..geo.naming import place_label, sector_label
from .build import DailyReport, Figure
from .charts import casualties_chart, violations_chart
from .entries import Entry, FigureEntries
from .staticmap import static_map
from .style import GRADE_MARKERS

__all__ = ["render_html"]


@lru_cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("truce.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["day"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    env.filters["signed"] = lambda n: f"+{n}" if n > 0 else str(n)
    env.globals["place_label"] = place_label
    env.globals["sector_label"] = sector_label
    env.filters["http_url"] = http_url  # every link from data goes through it
    env.filters["breakable"] = _breakable
    from ..service.labels import distance, local_time, uncertainty

    env.globals.update(local_time=local_time, distance=distance, uncertainty=uncertainty)
    return env


def _breakable(text: object) -> Markup:
    """``text`` escaped, with a line-break opportunity after each slash, so
    "Shelling/artillery/missile attack" wraps in a phone-wide table cell
    instead of widening the table past the screen."""
    return Markup("/<wbr>").join(Markup.escape(text).split("/"))


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def render_html(report: DailyReport, link_base: str = "") -> str:
    """The page's HTML text; ``link_base`` is prefixed to dashboard links
    ("" when served by the dashboard itself)."""
    base = link_base.rstrip("/")

    cited: list[tuple[int, FigureEntries]] = []  # in reading order; the appendix, rendered last, lists them
    marks: dict[Figure, int] = {}

    def n(figure: Figure, label: str | None = None) -> Markup:
        href = f"{base}/incidents?{figure.selection.query()}"
        text = label if label is not None else str(figure.value)
        if figure not in marks:
            marks[figure] = len(marks) + 1
            cited.append((marks[figure], report.ledger[figure]))
        mark = marks[figure]
        return Markup('<a class="n" href="{}">{}</a><sup class="le"><a href="#le-{}" '
                      'title="the ledger entries it counts">[{}]</a></sup>').format(href, text, mark, mark)

    def proof_href(entry: Entry) -> str:
        size = report.ledger_size if entry.covered else report.checkpoint.entries
        return f"{base}/api/ledger/proof/inclusion?seq={entry.seq}&size={size}"

    def incident_href(incident_id: str) -> str:
        return f"{base}/incidents/{incident_id}"

    points = report.points
    line = report.line
    title = f"Incidents of {report.day:%-d %B %Y}: {len(points)} located of {report.incidents.value}"
    day_map = static_map(points, line, title, places=report.map_places, changes=report.map_changes)
    images = {
        "map": _data_uri("image/png", day_map),
        "violations": _data_uri("image/png", violations_chart(
            report.chart_days, report.chart_violations, fmt="png")),
        "casualties": _data_uri("image/png", casualties_chart(
            report.chart_days, report.chart_casualties.get("killed", []), fmt="png")),
    }
    template = _env().get_template("daily.html.j2")
    return template.render(r=report, n=n, pl=lambda figure: "" if figure.value == 1 else "s",
                           incident_href=incident_href, images=images, base=base,
                           cited=cited, proof_href=proof_href,
                           any_late=lambda: any(not e.covered for _mark, fe in cited for e in fe.entries),
                           grade_legend=[v[3] for v in GRADE_MARKERS.values()],
                           line_derivation=line.get("derivation"))
