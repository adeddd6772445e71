"""Group properties: Salesforce records → Amplitude groups, driven by the project's mapping file."""
