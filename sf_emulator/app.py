"""The ASGI application: every API family's routes over one org registry."""

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from .bulk1.routes import ROUTES as BULK1_ROUTES
from .bulk2.routes import ROUTES as BULK2_ROUTES
from .control.routes import ROUTES as CONTROL_ROUTES
from .oauth.routes import ROUTES as OAUTH_ROUTES
from .registry import OrgRegistry
from .rest.routes import ROUTES as REST_ROUTES
from .soap.routes import ROUTES as SOAP_ROUTES


class TrailingSlash:
    """Serve `query/?q=` and `query?q=` alike, as Salesforce does, instead of redirecting."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                scope = {**scope, "path": path.rstrip("/")}
        await self.app(scope, receive, send)


def create_app(registry: OrgRegistry) -> ASGIApp:
    routes = [*REST_ROUTES, *SOAP_ROUTES, *OAUTH_ROUTES, *CONTROL_ROUTES, *BULK2_ROUTES, *BULK1_ROUTES]
    app = Starlette(routes=routes)
    app.state.registry = registry
    app.router.redirect_slashes = False
    return TrailingSlash(app)
