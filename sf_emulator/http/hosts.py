"""The instance URL a login hands out, from the host the client reached us by."""

PROXY_INSTANCE_HOST = "sf-emulator.my.salesforce.com"


def instance_url(base_url: str) -> str:
    """Clients that reached us as *.salesforce.com (proxy or adapter) get a My Domain host; others our own."""
    scheme, _, host = base_url.partition("://")
    if host.split(":", 1)[0].endswith("salesforce.com"):
        return f"https://{PROXY_INSTANCE_HOST}"
    return f"https://{host}" if scheme in ("http", "https") else base_url


def is_sandbox_login_host(base_url: str) -> bool:
    return "test.salesforce.com" in base_url
