"""One router per resource; app.py includes each of ROUTERS."""

from . import health, incidents

ROUTERS = [health.router, incidents.router]
