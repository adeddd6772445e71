"""One Dagster asset per (Salesforce instance, collection), partitioned by sync window."""
