"""The `fieldline` command: serve, migrate, create-user, demo."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

import typer

from server.settings import Settings, SettingsError, load_settings

cli = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="Fieldline server for field-sales teams.")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        typer.echo(f"fieldline: {error}", err=True)
        raise typer.Exit(2) from None


def _run(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    from server import runtime
    from server.db import close_database, open_database
    from server.logs import configure_logging

    configure_logging(settings.log_level, _json_logs(settings))

    async def main() -> Any:
        runtime.enter(runtime.Runtime(settings))  # the command's own: settings, no services
        await open_database(settings.database_url)
        try:
            return await work()
        finally:
            await close_database()

    try:
        return asyncio.run(main())
    except OSError as error:
        typer.echo(f"fieldline: cannot reach the database ({error})", err=True)
        raise typer.Exit(1) from None


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (use PostgreSQL + Redis for more than 1)."),
    log_level: str | None = typer.Option(None, help="debug, info, warning or error (default FIELDLINE_LOG_LEVEL, info)."),
    proxy_headers: bool = typer.Option(False, "--proxy-headers", help="Trust X-Forwarded-For/-Proto and X-Request-ID from --forwarded-allow-ips."),
    forwarded_allow_ips: str | None = typer.Option(None, help="Proxy addresses or networks to trust, comma-separated (default 127.0.0.1)."),
    root_path: str | None = typer.Option(None, help="The path prefix the proxy serves Fieldline under, e.g. /fieldline."),
) -> None:
    """Serve the HTTP API and the WebSocket on HOST:PORT."""
    # Workers read their settings from the environment: the flags go there first.
    for variable, value in (("FIELDLINE_LOG_LEVEL", log_level), ("FIELDLINE_FORWARDED_ALLOW_IPS", forwarded_allow_ips),
                            ("FIELDLINE_SERVE_WORKERS", str(workers)),
                            ("FIELDLINE_ROOT_PATH", root_path), ("FIELDLINE_PROXY_HEADERS", "true" if proxy_headers else None)):
        if value is not None:
            os.environ[variable] = value
    settings = _settings()
    if workers > 1 and not settings.is_postgres:
        typer.echo("fieldline: --workers > 1 needs DATABASE_URL=postgres://… (SQLite serves one process)", err=True)
        raise typer.Exit(2)
    _check_port(host, port)
    _metrics_folder()
    import uvicorn

    from server.logs import logging_config

    uvicorn.run(
        "fieldline.asgi:app",
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        **websocket_options(),
        proxy_headers=False,  # fieldline.asgi trusts proxies itself (mobile_api.middleware.proxies)
        root_path=settings.root_path,
        log_config=logging_config(settings.log_level, _json_logs(settings)),
        access_log=False,  # fieldline.access logs each request, without its query string
        timeout_graceful_shutdown=5,
    )


def _check_port(host: str, port: int) -> None:
    """A busy port is one line and exit 1, before anything starts (uvicorn would
    start the app, then fail to bind and stop it again, with tracebacks)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        typer.echo(f"fieldline: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None


def _json_logs(settings: Settings) -> bool | None:
    return {"json": True, "text": False}.get(settings.log_format)


def _metrics_folder() -> None:
    """Where every worker writes its metrics (prometheus-client's multi-process mode).

    The operator's PROMETHEUS_MULTIPROC_DIR is emptied (values of a previous
    run must not be added to this one's); without one, a fresh folder.
    """
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="fieldline-metrics-")


def websocket_options() -> dict[str, Any]:
    """uvicorn's WebSocket settings for `serve` (docs/realtime.md)."""
    from realtime.socket import HEARTBEAT_S, WS_MAX_FRAME_BYTES

    return {
        # uvicorn's sans-I/O implementation (no task per socket but the endpoint's, and the
        # protocol object realtime.connection.DirectSocket writes frames to), keeping less
        # per socket: realtime.server_protocol.
        "ws": "realtime.server_protocol:LeanWebSocketProtocol",
        # Frames up to 1.1 MiB are read so an oversized one gets an error frame
        # (realtime.frames) instead of a dropped socket.
        "ws_max_size": WS_MAX_FRAME_BYTES,
        # No permessage-deflate: its zlib state costs tens of KiB per socket, and
        # every frame would be compressed again for each socket.
        "ws_per_message_deflate": False,
        "ws_ping_interval": HEARTBEAT_S,
        "ws_ping_timeout": HEARTBEAT_S,
    }


@cli.command()
def migrate() -> None:
    """Apply the database migrations (safe to run again)."""
    from server.migrate import apply_migrations

    settings = _settings()
    try:
        applied = asyncio.run(apply_migrations(settings.database_url))
    except OSError as error:
        typer.echo(f"fieldline: cannot reach the database ({error})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"migrations applied: {applied}" if applied else "database is up to date")


@cli.command("create-user")
def create_user(
    login: str = typer.Option(..., help="Login name."),
    name: str = typer.Option(..., help="Display name."),
    role: str = typer.Option(..., help="admin, manager or rep."),
    department: str | None = typer.Option(None, help='Department id, path ("Head Office/East") or unique name.'),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Add a user (e.g. the first administrator)."""
    if role not in ("admin", "manager", "rep"):
        typer.echo(f"fieldline: --role must be admin, manager or rep, got {role!r}", err=True)
        raise typer.Exit(2)
    if not password_stdin:
        typer.echo("fieldline: pass --password-stdin and send the password on standard input", err=True)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\r\n")
    from fieldline.bootstrap import create_user_from_cli

    user_id = _run_refusing(_settings(), lambda: create_user_from_cli(login, name, role, department, password))
    typer.echo(f"created user {login} (id {user_id})")


@cli.command()
def demo() -> None:
    """Create a demo organisation if the database has no users yet."""
    from fieldline.demo import create_demo

    settings = _settings()
    result = _run(settings, create_demo)
    typer.echo(result)


def _run_refusing(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    """`_run`, with a refusal (AppError: bad input) as one line and exit 1."""
    from server.errors import AppError

    try:
        return _run(settings, work)
    except AppError as error:
        fields = (error.details or {}).get("fields")
        problem = "; ".join(f"{k}: {v}" for k, v in fields.items()) if fields else error.message
        typer.echo(f"fieldline: {problem}", err=True)
        raise typer.Exit(1) from None


departments = typer.Typer(no_args_is_help=True, help="List and create departments.")
users = typer.Typer(no_args_is_help=True, help="Add users in bulk.")
cli.add_typer(departments, name="departments")
cli.add_typer(users, name="users")


@departments.command("list")
def departments_list() -> None:
    """The department tree with ids and member counts."""
    from fieldline.bootstrap import department_lines

    lines = _run_refusing(_settings(), department_lines)
    typer.echo("\n".join(lines) if lines else "no departments yet: fieldline departments create \"Head Office\"")


@departments.command("create")
def departments_create(path: str = typer.Argument(..., help='Path from the top, e.g. "Head Office/East/Shanghai".')) -> None:
    """Create a department and any missing level above it."""
    from fieldline.bootstrap import ensure_department_path

    department, created = _run_refusing(_settings(), lambda: ensure_department_path(path))
    for made in created:
        typer.echo(f"created {made}")
    if not created:
        typer.echo(f"{path} exists (id {department.id})")
    else:
        typer.echo(f"{path} is id {department.id}")


@users.command("import")
def users_import(
    file: typer.FileText = typer.Argument(..., help="CSV: login,name,role[,department,email,mobile,title,timezone]; - for standard input."),
    passwords_out: str = typer.Option(..., help="Where to write login,password of each new user (mode 0600) to hand them over."),
) -> None:
    """Create users from a CSV file; each gets a random first password."""
    from fieldline.bootstrap import import_users

    text = file.read()
    result = _run_refusing(_settings(), lambda: import_users(text))
    if result.created:
        descriptor = os.open(passwords_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", newline="") as out:
            out.write("login,password\n" + "".join(f"{login},{password}\n" for login, password in result.created))
    for line, problem in result.errors:
        typer.echo(f"fieldline: line {line}: {problem}", err=True)
    typer.echo(f"created {len(result.created)} users" + (f"; passwords in {passwords_out}" if result.created else "")
               + (f"; {len(result.errors)} rows refused" if result.errors else ""))
    if result.errors:
        raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"fieldline {version('fieldline')}")
        raise typer.Exit()


@cli.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Fieldline server for field-sales teams."""


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
