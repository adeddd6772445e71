"""Bulk API 2.0: query and ingest jobs over CSV."""
