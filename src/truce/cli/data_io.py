"""`truce export` and `truce import` (placeholder until the exchange formats land)."""

from __future__ import annotations

import typer

import_app = typer.Typer(help="Import ACLED, UCDP GED or truce GeoJSON files.", no_args_is_help=True)


def export() -> None:
    """Export incidents as GeoJSON or CSV."""
    raise typer.Exit(2)
