"""Pure logic with no Dagster import: naming, type mapping, SOQL, rows, payloads, validation."""
