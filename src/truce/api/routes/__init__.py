"""One router per resource; app.py includes each of ROUTERS."""

from ...web import field as web_field  # the observer's field app at /field/
from ...web import pages as web_pages  # dashboard, map JSON, daily reports
from . import (
    agreements,
    alerts,
    cases,
    casualties,
    control,
    curation,
    enrolment,
    field,
    health,
    incidents,
    ingest,
    keys,
    ledger,
    report_review,
    reports,
    statements,
    tasks,
    uploads,
    users,
)

ROUTERS = [
    health.router, incidents.router, control.router, casualties.router, curation.router,
    reports.router, statements.router, users.router, keys.router, ledger.router,
    agreements.router, alerts.router, ingest.router, report_review.router, web_pages.router,
    enrolment.router, tasks.router, cases.router, uploads.router, field.router, web_field.router,
]
