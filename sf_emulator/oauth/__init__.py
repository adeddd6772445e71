"""OAuth 2.0 token endpoint: password, refresh_token, client_credentials and JWT-bearer grants."""
