"""`python -m sf_emulator serve [--port 8443] [--http] [--scale N] [--seed N] [--data-dir DIR]`."""

import argparse
import asyncio
import contextlib
import logging
from pathlib import Path

from .server import ServeOptions, serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sf_emulator", description="A local Salesforce org.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the org over HTTPS until interrupted")
    run.add_argument("--port", type=int, default=8443, help="API port (0 picks a free one); default 8443")
    run.add_argument("--http", action="store_true", help="plain HTTP on --port instead of HTTPS")
    run.add_argument("--proxy-port", type=int, default=0, help="CONNECT proxy port (0 picks a free one)")
    run.add_argument("--no-proxy", action="store_true", help="do not start the CONNECT proxy")
    run.add_argument("--scale", type=int, default=0, help="generate a demo org of about SCALE×1000 rows")
    run.add_argument("--seed", type=int, default=0, help="seed of the generated data (same seed, same org)")
    run.add_argument("--data-dir", type=Path, help="keep orgs and TLS files here across restarts")
    run.add_argument("--org-definition", type=Path, help="YAML with custom objects and fields")
    run.add_argument("--log-level", default="WARNING")
    demo = commands.add_parser("demo", help="start a demo org and read every collection with simple-salesforce")
    demo.add_argument("--scale", type=int, default=20)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "demo":
        from .demo import print_table, run_demo

        print(f"Starting the emulator with a demo org of about {args.scale * 1000:,} rows ...")
        print_table(run_demo(args.scale, args.seed))
        print("\nRun `make emulator` to keep an org running on https://127.0.0.1:8443 (see sf_emulator/README.md).")
        return
    options = ServeOptions(
        port=args.port,
        http_only=args.http,
        proxy_port=None if args.no_proxy else args.proxy_port,
        scale=args.scale,
        seed=args.seed,
        data_dir=args.data_dir,
        org_definition=args.org_definition,
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(options))


if __name__ == "__main__":
    main()
