"""`python -m amplitude_emulator serve [--port 8444] [--api-key KEY ...]`."""

import argparse
import asyncio
import contextlib
import logging

from .server import DEFAULT_API_KEY, ServeOptions, serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m amplitude_emulator",
        description="A local stand-in for Amplitude's Group Identify API.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve over plain HTTP on 127.0.0.1 until interrupted")
    run.add_argument("--port", type=int, default=8444, help="port (0 picks a free one); default 8444")
    run.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        help=f"an accepted project API key (repeatable); default {DEFAULT_API_KEY}",
    )
    run.add_argument("--max-body-bytes", type=int, default=1_000_000, help="413 above this; default 1 MB")
    run.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    options = ServeOptions(
        port=args.port, api_keys=args.api_keys or [DEFAULT_API_KEY], max_body_bytes=args.max_body_bytes
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(options))


if __name__ == "__main__":
    main()
