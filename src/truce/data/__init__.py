"""Shipped data: the Karabakh 2020 demo theatre, gazetteer and geometry."""

from pathlib import Path

DATA_DIR = Path(__file__).parent
