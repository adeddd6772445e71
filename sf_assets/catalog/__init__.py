"""The describe snapshot of each Salesforce instance, from which the assets are built."""
