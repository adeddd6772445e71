"""Bulk API 1.0 (the async API): jobs and batches in JSON, and in XML/CSV for CSV jobs."""
