"""The dashboard: map, incident pages, daily reports and analyst pages.

``truce.web.pages.router`` is included by the API app (same origin);
templates and static files (no CDN) live beside this module.
"""
