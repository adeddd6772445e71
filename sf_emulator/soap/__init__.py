"""SOAP partner API: the login call simple-salesforce and older connectors use."""
