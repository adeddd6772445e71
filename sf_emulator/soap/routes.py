"""`POST /services/Soap/u/{version}`: partner login; everything else is a fault."""

from xml.etree import ElementTree
from xml.sax.saxutils import escape

from starlette.responses import Response

from ..http.endpoint import Req, route
from ..http.hosts import instance_url, is_sandbox_login_host
from ..store.auth import INVALID_LOGIN, AuthError, check_password

_XML = "text/xml;charset=UTF-8"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _login_fields(body: bytes) -> dict[str, str]:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise AuthError("INVALID_LOGIN", INVALID_LOGIN) from None
    return {_local(el.tag): (el.text or "") for el in root.iter() if _local(el.tag) in ("username", "password")}


def fault(code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<soapenv:Body><soapenv:Fault><faultcode>{code}</faultcode><faultstring>{code}: {escape(message)}</faultstring>"
        '<detail><sf:LoginFault xsi:type="sf:LoginFault">'
        f"<sf:exceptionCode>{code}</sf:exceptionCode><sf:exceptionMessage>{escape(message)}</sf:exceptionMessage>"
        "</sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
    return Response(body, status_code=500, media_type=_XML)


def login(req: Req) -> Response:
    try:
        fields = _login_fields(req.body)
        org = req.registry.by_username(fields.get("username", ""))
        if org is None or org.sandbox != is_sandbox_login_host(req.base_url) and "salesforce.com" in req.base_url:
            raise AuthError("INVALID_LOGIN", INVALID_LOGIN)
        check_password(org.credentials, fields.get("username", ""), fields.get("password", ""), token_required=True)
    except AuthError as error:
        return fault(error.code, error.description)
    session = org.sessions.mint(org.user_id)
    version = req.params["version"]
    base = instance_url(req.base_url)
    org15 = org.org_id[:15]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<soapenv:Body><loginResponse><result>"
        f"<metadataServerUrl>{base}/services/Soap/m/{version}/{org15}</metadataServerUrl>"
        "<passwordExpired>false</passwordExpired>"
        f"<sandbox>{str(org.sandbox).lower()}</sandbox>"
        f"<serverUrl>{base}/services/Soap/u/{version}/{org15}</serverUrl>"
        f"<sessionId>{session.token}</sessionId>"
        f"<userId>{org.user_id}</userId>"
        "<userInfo>"
        f"<organizationId>{org.org_id}</organizationId><organizationName>sf_emulator</organizationName>"
        f"<sessionSecondsValid>{org.sessions.lifetime_ms // 1000}</sessionSecondsValid>"
        f"<userEmail>{escape(org.credentials.username)}</userEmail><userFullName>Admin</userFullName>"
        f"<userId>{org.user_id}</userId><userName>{escape(org.credentials.username)}</userName>"
        "<userTimeZone>GMT</userTimeZone>"
        "</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>"
    )
    return Response(body, media_type=_XML)


ROUTES = [
    route("/services/Soap/u/{version}", login, ["POST"], authenticated=False),
    route("/services/Soap/u/{version}/{org_id}", login, ["POST"], authenticated=False),
]
