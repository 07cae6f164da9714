"""One router per resource; app.py includes each of ROUTERS."""

from . import casualties, control, health, incidents
from . import curation, ledger, reports, statements, users  # field reporting (issue 3)
from . import agreements, alerts  # agreements, violations, alerts (issue 5)
from . import ingest  # text ingestion and the review queue (issue 6)

ROUTERS = [health.router, incidents.router, control.router, casualties.router]
ROUTERS += [curation.router, reports.router, statements.router, users.router, ledger.router]
ROUTERS += [agreements.router, alerts.router]

from ...web import pages as web_pages  # dashboard, map JSON, daily reports (issue 7)

ROUTERS += [web_pages.router]
ROUTERS += [ingest.router]
