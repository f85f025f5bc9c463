"""The `kinboard` command: `kinboard serve` (the default) starts the server;
`kinboard staff add|list|disable` looks after staff accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
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
    staff = commands.add_parser("staff", help="staff accounts")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser(
        "add", help="add an account (asks for the password, or reads it from standard input)"
    )
    add.add_argument("email")
    staff_commands.add_parser("list", help="list the accounts")
    disable = staff_commands.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("email")
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
    if args.command == "staff":
        return asyncio.run(staff_command(settings, args))
    return serve_forever(settings)


async def staff_command(settings: Settings, args: argparse.Namespace) -> int:
    from .board.errors import KinboardError
    from .clock import system_clock
    from .staff import Staff
    from .store import store_for

    store = store_for(settings)
    await store.open()
    try:
        staff = Staff(store, system_clock)
        if args.staff_command == "add":
            await staff.add(args.email, _read_password())
            print(f"Added {args.email.strip().lower()}.")
        elif args.staff_command == "disable":
            await staff.disable(args.email)
            print(f"{args.email.strip().lower()} can no longer sign in.")
        else:
            for member in await staff.members():
                state = "disabled" if member.disabled else "active"
                print(f"{member.email}\t{state}\tadded {member.created_at[:10]}")
    except KinboardError as error:
        print(f"kinboard: {error.message}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    return 0


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != first:
        print("kinboard: the two passwords were different", file=sys.stderr)
        raise SystemExit(1)
    return first


def serve_forever(settings: Settings) -> int:
    import uvicorn

    from .app import create_app
    from .serving import (
        GRACEFUL_SECONDS,
        KEEP_ALIVE_SECONDS,
        MAX_HEADERS,
        Server,
        TimedH11Protocol,
    )

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    store = (
        "Redis at " + settings.redis_url.split("@")[-1]
        if settings.redis_url
        else (f"the embedded store in {settings.data_dir}")
    )
    print(f"Kinboard is starting on {settings.base_url} with {store}", flush=True)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=TimedH11Protocol,
        h11_max_incomplete_event_size=MAX_HEADERS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        ws_max_size=64 * 1024,
        log_level="info",
        server_header=False,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default: only the proxies
        # named in KINBOARD_TRUSTED_PROXIES may say who the client is.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
    )
    Server(config, app).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
