"""A terminating CONNECT proxy: TLS for *.salesforce.com is ended here and served by the local app.

It never opens a connection anywhere but the emulator's own loopback HTTP listener.
"""

import asyncio
import contextlib
import logging
import ssl

log = logging.getLogger(__name__)
_MAX_HEAD = 16_384


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65_536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


def make_handler(ssl_context: ssl.SSLContext, backend_port: int):  # noqa: ANN201
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, target = request_line.partition(" ")
        if method.upper() != "CONNECT" or len(head) > _MAX_HEAD:
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        log.debug("CONNECT %s", target.split(" ", 1)[0])
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        try:
            await writer.start_tls(ssl_context)
        except (ssl.SSLError, ConnectionError, OSError) as error:
            log.info("TLS handshake in CONNECT tunnel failed: %s", error)
            writer.close()
            return
        backend_reader, backend_writer = await asyncio.open_connection("127.0.0.1", backend_port)
        await asyncio.gather(_pipe(reader, backend_writer), _pipe(backend_reader, writer))

    return handle
