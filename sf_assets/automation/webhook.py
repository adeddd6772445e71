"""POST a JSON alert to a webhook without ever writing its URL anywhere.

Webhook URLs usually carry their token in the path (Slack, Teams) or query, and requests puts
the URL into its exception messages, so outcomes are reported by status code or error class only.
"""

import requests

WEBHOOK_TIMEOUT_SECONDS = 10.0


def post_json(url: str, payload: dict, *, timeout: float = WEBHOOK_TIMEOUT_SECONDS) -> str:
    """Send `payload` once; return a URL-free outcome such as `sent (HTTP 200)` or `failed: HTTP 500`.

    Never raises for HTTP or network trouble: an alert that cannot be delivered must not stop
    the failure from being recorded.
    """
    try:
        response = requests.post(url, json=payload, timeout=timeout)
    except requests.RequestException as exc:
        return f"failed: {type(exc).__name__}"
    if response.status_code >= 300:
        return f"failed: HTTP {response.status_code}"
    return f"sent (HTTP {response.status_code})"
