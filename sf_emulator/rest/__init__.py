"""REST API: versions, describe, sObject rows, query, limits, composite."""
