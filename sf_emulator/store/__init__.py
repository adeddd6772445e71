"""Org state with no HTTP: schema, records, SOQL, clock, limits, faults."""
