"""What the server does once at start-up so that no request pays for it."""

from __future__ import annotations

import gc

from starlette.testclient import TestClient

from truce.api.app import create_app


def test_start_up_lists_the_routes_body_kinds_before_the_first_write(live):
    app = create_app(live.settings)
    assert getattr(app.state, "body_kinds", None) is None
    with TestClient(app) as client:  # runs the lifespan, as uvicorn does
        kinds = {kind for _regex, _methods, kind in app.state.body_kinds}
        assert {"json", "form", None} <= kinds
        assert client.get("/api/health").status_code == 200


def test_start_up_moves_its_objects_out_of_the_collectors_reach(live):
    gc.unfreeze()
    with TestClient(create_app(live.settings)):
        assert gc.get_freeze_count() > 10_000
