"""A requests transport adapter that sends https:// traffic for Salesforce hosts to the emulator.

    session = requests.Session()
    session.mount("https://", EmulatorAdapter("http://127.0.0.1:PORT"))
    Salesforce(username=..., password=..., security_token=..., session=session)

The path, query and body are kept; the original host travels in the `Host` header, so the
emulator answers logins with its My Domain instance URL, which this adapter also routes.
"""

from urllib.parse import urlsplit, urlunsplit

from requests.adapters import HTTPAdapter


class EmulatorAdapter(HTTPAdapter):
    def __init__(self, emulator_http_url: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        target = urlsplit(emulator_http_url)
        self._scheme, self._netloc = target.scheme, target.netloc

    def send(self, request, **kwargs):  # noqa: ANN001, ANN201 - the HTTPAdapter signature
        parts = urlsplit(request.url)
        request.headers["Host"] = parts.netloc
        request.url = urlunsplit((self._scheme, self._netloc, parts.path, parts.query, parts.fragment))
        return super().send(request, **kwargs)
