"""The `kinboard` command: `kinboard serve` (the default) starts the server;
`kinboard staff add|list|disable|enable|admin|unadmin` looks after staff accounts; `kinboard keys
add|list|revoke` after integration keys."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys

from .board.errors import KinboardError
from .keys import GRANTABLE, IntegrationKeys
from .settings import Settings, SettingsError
from .staff import Staff

# Who the audit log says acted, for what is done here.
BY_COMMAND = "command line"


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
    add.add_argument("--admin", action="store_true", help="as an administrator")
    staff_commands.add_parser("list", help="list the accounts")
    disable = staff_commands.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("email")
    enable = staff_commands.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("email")
    make_admin = staff_commands.add_parser("admin", help="make an account an administrator")
    make_admin.add_argument("email")
    unadmin = staff_commands.add_parser("unadmin", help="make an administrator an account only")
    unadmin.add_argument("email")
    keys = commands.add_parser("keys", help="integration keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    add_key = key_commands.add_parser("add", help="make a key (its token is shown once)")
    add_key.add_argument("name")
    add_key.add_argument(
        "--scope",
        action="append",
        required=True,
        choices=[scope.value for scope in GRANTABLE],
        help="what the key may do; repeat for more than one",
    )
    key_commands.add_parser("list", help="list the keys, revoked ones too")
    revoke = key_commands.add_parser("revoke", help="refuse a key from now on")
    revoke.add_argument("id")
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
    if args.command in ("staff", "keys"):
        return asyncio.run(store_command(settings, args))
    return serve_forever(settings)


async def store_command(settings: Settings, args: argparse.Namespace) -> int:
    """`kinboard staff ...` and `kinboard keys ...`: straight on the store."""
    from .clock import system_clock
    from .store import store_for

    # Opening the store may upgrade its data: say so, as `serve` does.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    store = store_for(settings)
    try:
        await store.open()
    except KinboardError as error:  # the store away, or data of a newer release
        print(f"kinboard: {error.message}", file=sys.stderr)
        return 1
    try:
        if args.command == "keys":
            await keys_command(IntegrationKeys(settings, store, store, system_clock), args)
        else:
            await staff_command(Staff(store, system_clock), args)
    except KinboardError as error:
        print(f"kinboard: {error.message}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    return 0


async def staff_command(staff: Staff, args: argparse.Namespace) -> None:
    email = args.email.strip().lower() if hasattr(args, "email") else ""
    if args.staff_command == "add":
        await staff.add(args.email, _read_password(), admin=args.admin)
        print(f"Added {email}{' as an administrator' if args.admin else ''}.")
    elif args.staff_command == "disable":
        await staff.disable(args.email, BY_COMMAND)
        print(f"{email} can no longer sign in.")
    elif args.staff_command == "enable":
        await staff.enable(args.email, BY_COMMAND)
        print(f"{email} can sign in again.")
    elif args.staff_command in ("admin", "unadmin"):
        admin = args.staff_command == "admin"
        await staff.set_admin(args.email, admin, BY_COMMAND)
        print(f"{email} is {'now' if admin else 'no longer'} an administrator.")
    else:
        for member in await staff.members():
            state = "disabled" if member.disabled else "active"
            role = "\tadministrator" if member.admin else ""
            print(f"{member.email}\t{state}\tadded {member.created_at[:10]}{role}")


async def keys_command(keys: IntegrationKeys, args: argparse.Namespace) -> None:
    if args.keys_command == "add":
        key, token = await keys.add(args.name, args.scope, BY_COMMAND)
        print(f"Made key {key.id} ({key.name}: {', '.join(key.scopes)}). Its token, shown")
        print("this once (Kinboard keeps only its hash):")
        print(f"    {token}")
    elif args.keys_command == "revoke":
        key = await keys.revoke(args.id, BY_COMMAND)
        print(f"Key {key.id} ({key.name}) is refused from now on.")
    else:
        for key in await keys.all():
            state = f"revoked {key.revoked_at[:10]}" if key.revoked_at else "active"
            print(f"{key.id}\t{key.name}\t{' '.join(key.scopes)}\t{state}")


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != first:
        print("kinboard: the two passwords were different", file=sys.stderr)
        raise SystemExit(1)
    return first


async def _upgrade_data(settings: Settings) -> None:
    """Before serving: opening the store brings its data to this release's version, or
    says why it cannot (data of a newer release)."""
    from .store import store_for

    store = store_for(settings)
    await store.open()
    await store.close()


def serve_forever(settings: Settings) -> int:
    import uvicorn

    from . import collector
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
    try:
        asyncio.run(_upgrade_data(settings))
    except KinboardError as error:
        print(f"kinboard: {error.message}", file=sys.stderr)
        return 1
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
    collector.report_on_signal()
    Server(config, app).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
