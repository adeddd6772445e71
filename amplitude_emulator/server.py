"""Serve the stand-in over plain HTTP on 127.0.0.1 and print one JSON ready line."""

import asyncio
import contextlib
import json
import signal
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

import uvicorn

from .app import create_app
from .store import AmplitudeStore

DEFAULT_API_KEY = "amplitude-emulator-key"


@dataclass
class ServeOptions:
    port: int = 8444
    host: str = "127.0.0.1"
    api_keys: list[str] = field(default_factory=lambda: [DEFAULT_API_KEY])
    max_body_bytes: int = 1_000_000


class _Server(uvicorn.Server):
    """Stops on SIGINT/SIGTERM with exit status 0; uvicorn's own handlers re-raise the signal afterwards."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP (see sf_emulator).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


async def serve(options: ServeOptions, *, ready_stream: TextIO = sys.stdout) -> None:
    """Serve until SIGINT/SIGTERM; the ready line gives the URL, the control URL and the API keys."""
    store = AmplitudeStore(options.api_keys, max_body_bytes=options.max_body_bytes)
    sock = _bind(options.host, options.port)
    config = uvicorn.Config(
        create_app(store), log_level="warning", access_log=False, timeout_graceful_shutdown=1
    )
    server = _Server(config)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, setattr, server, "should_exit", True)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            await task
            raise RuntimeError("the Amplitude stand-in's HTTP server stopped while starting")
        await asyncio.sleep(0.02)
    base = f"http://{options.host}:{sock.getsockname()[1]}"
    ready = {
        "url": base,
        "groupidentify_url": base + "/groupidentify",
        "control_url": base + "/__emulator",
        "api_key": options.api_keys[0],
        "api_keys": options.api_keys,
    }
    ready_stream.write(json.dumps(ready) + "\n")
    ready_stream.flush()
    await task
