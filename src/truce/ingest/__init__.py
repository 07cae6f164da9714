"""Ingest: texts into proposed reports and claims; ACLED, UCDP GED and GeoJSON files into records."""
