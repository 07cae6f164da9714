"""One router per resource; app.py includes each of ROUTERS."""

from . import casualties, control, health, incidents

ROUTERS = [health.router, incidents.router, control.router, casualties.router]
