"""Run the emulator: HTTPS (or plain HTTP) API, a loopback HTTP listener, and the CONNECT proxy."""

import asyncio
import contextlib
import ctypes
import json
import logging
import signal
import socket
import ssl
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from .app import create_app
from .registry import OrgRegistry, load_definition_file
from .tls import ensure_tls_files

log = logging.getLogger(__name__)


@dataclass
class ServeOptions:
    port: int = 8443
    http_only: bool = False
    proxy_port: int | None = 0
    scale: int = 0
    seed: int = 0
    data_dir: Path | None = None
    org_definition: Path | None = None
    host: str = "127.0.0.1"


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets whose proto says TCP,
    # and without it every request after the first on a connection waits ~40 ms for Nagle.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


# glibc mallopt parameters; 32 MiB is the largest mmap threshold it accepts on 64-bit.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _keep_freed_memory() -> None:
    """Let freed buffers of a few MB stay in the heap instead of going back to the OS.

    Every results page is such a buffer, made and freed several times per request (SQLite, bytes,
    TLS records). By default glibc gives each one its own mmap, so its pages fault in and are zeroed
    again on every request: a third of the server's CPU. Held memory stays bounded by the largest
    pages in flight. A no-op where the C library is not glibc.
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 32 * 1024 * 1024)
    mallopt(_M_TRIM_THRESHOLD, 256 * 1024 * 1024)


class _Server(uvicorn.Server):
    """Several servers share one loop, so `serve()` installs one handler for all instead of each its own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _uvicorn(app, sock: socket.socket, ssl_files=None) -> uvicorn.Server:  # noqa: ANN001
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(ssl_files.server_cert) if ssl_files else None,
        ssl_keyfile=str(ssl_files.server_key) if ssl_files else None,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=1,  # idle TLS keep-alives would otherwise hold shutdown for 30 s
    )
    server = _Server(config)
    server.sockets = [sock]  # type: ignore[attr-defined]
    return server


def _stop_all(servers: list[uvicorn.Server]) -> None:
    for server in servers:
        server.should_exit = True


async def serve(options: ServeOptions, *, ready_stream=sys.stdout) -> None:  # noqa: ANN001
    """Serve until cancelled; print one JSON line with URLs and the default org's credentials when ready."""
    _keep_freed_memory()
    state_dir = options.data_dir or Path.cwd() / ".sf_emulator"
    tls = ensure_tls_files(state_dir / "tls")
    registry = OrgRegistry(options.data_dir)
    org = registry.orgs()[0] if registry.orgs() else None
    if org is None:
        definition = load_definition_file(options.org_definition) if options.org_definition else None
        org = registry.create_org(org_definition=definition)
        if options.scale:
            from .generator import generate_org_data

            generate_org_data(org, scale=options.scale, seed=options.seed)
    app = create_app(registry)

    main_sock = _bind(options.host, options.port)
    http_sock = main_sock if options.http_only else _bind(options.host, 0)
    servers = [_uvicorn(app, http_sock)]
    if not options.http_only:
        servers.append(_uvicorn(app, main_sock, tls))
    proxy = None
    if options.proxy_port is not None:
        from .proxy import make_handler

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls.server_cert, tls.server_key)
        proxy = await asyncio.start_server(
            make_handler(context, http_sock.getsockname()[1]), options.host, options.proxy_port
        )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _stop_all, servers)
    tasks = [asyncio.create_task(s.serve(sockets=s.sockets)) for s in servers]  # type: ignore[attr-defined]
    while not all(s.started for s in servers):
        if any(t.done() for t in tasks):
            await asyncio.gather(*tasks)
            raise RuntimeError("the emulator's HTTP server stopped while starting")
        await asyncio.sleep(0.02)

    scheme = "http" if options.http_only else "https"
    base = f"{scheme}://{options.host}:{main_sock.getsockname()[1]}"
    session = org.sessions.mint(org.user_id)
    ready = {
        "instance_url": base,
        "login_url": base,
        "control_url": base + "/__emulator",
        "http_url": f"http://{options.host}:{http_sock.getsockname()[1]}",
        "proxy_url": f"http://{options.host}:{proxy.sockets[0].getsockname()[1]}" if proxy else None,
        "ca_bundle": str(tls.bundle),
        "ca_cert": str(tls.ca_cert),
        "org_id": org.org_id,
        "username": org.credentials.username,
        "password": org.credentials.password,
        "security_token": org.credentials.security_token,
        "consumer_key": org.credentials.consumer_key,
        "consumer_secret": org.credentials.consumer_secret,
        "session_id": session.token,
        "data_dir": str(options.data_dir) if options.data_dir else None,
    }
    ready_stream.write(json.dumps(ready) + "\n")
    ready_stream.flush()
    try:
        await asyncio.gather(*tasks)
    finally:
        if proxy is not None:
            proxy.close()
        registry.close()
