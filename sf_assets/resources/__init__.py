"""Dagster resources: one client per external system (Salesforce, the warehouse)."""
