"""The `kinboard` command: `kinboard serve` (the default) starts the server."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from .settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kinboard", description="Run Kinboard.")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="start the server (the default)")
    serve.add_argument("--host", help="overrides KINBOARD_HOST")
    serve.add_argument("--port", type=int, help="overrides KINBOARD_PORT")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if getattr(args, "host", None):
        env["KINBOARD_HOST"] = args.host
    if getattr(args, "port", None):
        env["KINBOARD_PORT"] = str(args.port)
    try:
        settings = Settings.from_env(env)
    except SettingsError as error:
        print(f"kinboard: {error}", file=sys.stderr)
        return 2
    return serve_forever(settings)


def serve_forever(settings: Settings) -> int:
    import uvicorn

    from .app import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    store = (
        "Redis at " + settings.redis_url.split("@")[-1]
        if settings.redis_url
        else (f"the embedded store in {settings.data_dir}")
    )
    print(f"Kinboard is starting on {settings.base_url} with {store}", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ws_max_size=64 * 1024,
        log_level="info",
        server_header=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
