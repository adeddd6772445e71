"""Credentials and sessions of one org: SOAP/OAuth logins, refresh tokens, JWT bearer, expiry."""

import base64
import functools
import secrets
import threading
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .clock import Clock
from .errors import SalesforceError

INVALID_LOGIN = "Invalid username, password, security token; or user locked out."


class AuthError(Exception):
    """A login failure: rendered as a SOAP fault or an OAuth error body."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description


@dataclass
class Credentials:
    username: str
    password: str
    security_token: str
    consumer_key: str
    consumer_secret: str
    jwt_public_key_pem: str
    jwt_private_key_pem: str
    oauth_password_requires_token: bool = False


@dataclass
class Session:
    token: str
    user_id: str
    expires_ms: int


@dataclass
class SessionTable:
    """Tokens minted for one org. Sessions expire on the org's clock (default 2 hours)."""

    org_id15: str
    clock: Clock
    lifetime_ms: int = 2 * 3600 * 1000
    _sessions: dict[str, Session] = field(default_factory=dict)
    _refresh_tokens: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def mint(self, user_id: str) -> Session:
        token = f"{self.org_id15}!AQ4A{secrets.token_urlsafe(72)}"
        session = Session(token, user_id, self.clock.now_ms() + self.lifetime_ms)
        with self._lock:
            self._sessions[token] = session
        return session

    def mint_refresh_token(self, user_id: str) -> str:
        token = f"5Aep{secrets.token_urlsafe(60)}"
        with self._lock:
            self._refresh_tokens[token] = user_id
        return token

    def user_for_refresh_token(self, token: str) -> str | None:
        with self._lock:
            return self._refresh_tokens.get(token)

    def check(self, token: str) -> Session:
        """The live session for `token`, or 401 INVALID_SESSION_ID."""
        session = self._sessions.get(token)
        if session is None or session.expires_ms <= self.clock.now_ms():
            raise SalesforceError(401, "INVALID_SESSION_ID", "Session expired or invalid")
        return session

    def expire_all(self) -> int:
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
            return count

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            self._refresh_tokens.clear()


@functools.cache
def _connected_app_key_pair() -> tuple[str, str]:
    """One RSA key pair per process: generating 2048-bit keys per org would dominate org creation."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def new_credentials(username: str) -> Credentials:
    """Fresh random secrets; the connected app's certificate verifies JWT-bearer assertions."""
    private_pem, public_pem = _connected_app_key_pair()
    return Credentials(
        username=username,
        password=secrets.token_urlsafe(12),
        security_token=secrets.token_hex(12).upper(),
        consumer_key="3MVG9" + secrets.token_urlsafe(60),
        consumer_secret=secrets.token_hex(32).upper(),
        jwt_public_key_pem=public_pem,
        jwt_private_key_pem=private_pem,
    )


def check_password(creds: Credentials, username: str, password: str, *, token_required: bool) -> None:
    """SOAP sends password+token concatenated; OAuth password grant sends the password alone by default."""
    expected = creds.password + creds.security_token if token_required else creds.password
    if username.lower() != creds.username.lower() or not secrets.compare_digest(password, expected):
        raise AuthError("INVALID_LOGIN", INVALID_LOGIN)


def check_client(creds: Credentials, client_id: str | None, client_secret: str | None) -> None:
    if client_id != creds.consumer_key:
        raise AuthError("invalid_client_id", "client identifier invalid")
    if client_secret is not None and client_secret != creds.consumer_secret:
        raise AuthError("invalid_client", "invalid client credentials")


def basic_auth_client(header: str | None) -> tuple[str, str]:
    if not header or not header.lower().startswith("basic "):
        raise AuthError("invalid_client", "invalid client credentials")
    try:
        key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        raise AuthError("invalid_client", "invalid client credentials") from None
    return key, secret


def verify_jwt_assertion(creds: Credentials, assertion: str, now_ms: int) -> str:
    """Check an RS256 JWT-bearer assertion (iss = consumer key, sub = username); return the subject."""
    try:
        claims = jwt.decode(
            assertion,
            creds.jwt_public_key_pem,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_aud": False},
        )
    except jwt.PyJWTError:
        raise AuthError("invalid_grant", "invalid assertion") from None
    if claims.get("iss") != creds.consumer_key:
        raise AuthError("invalid_client_id", "client identifier invalid")
    if str(claims.get("sub", "")).lower() != creds.username.lower():
        raise AuthError("invalid_grant", "user hasn't approved this consumer")
    try:
        expires = int(claims["exp"])
    except (KeyError, TypeError, ValueError):
        raise AuthError("invalid_grant", "invalid assertion") from None
    if expires * 1000 <= now_ms:
        raise AuthError("invalid_grant", "expired authorization code")
    return str(claims["sub"])
