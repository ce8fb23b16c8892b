"""``schoon serve``: the web pages and the JSON API (``/api/v1``) over the audit store, with Uvicorn."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from schoon.cli.options import db_option
from schoon.cli.output import say
from schoon.errors import SchoonError
from schoon.settings import DbUse, check_db_url


def serve(
    host: str = typer.Option("127.0.0.1", "--host", metavar="HOST",
                             help="Address to listen on (default loopback only)."),
    port: int = typer.Option(8000, "--port", metavar="PORT", min=1, max=65535, help="Port to listen on."),
    db: str = db_option(),
    demo: bool = typer.Option(False, "--demo", help="Serve the demo estate in a temporary store, with a demo "
                              "user per role (passwords printed once)."),
    behind_tls: bool = typer.Option(False, "--behind-tls", help="A TLS proxy fronts the app: Secure cookies "
                                    "and HSTS."),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate", help="Create or upgrade the schema at start; "
                                 "--no-migrate when the database role may not (PostgreSQL application role: run "
                                 "'schoon audit init' as the owner first)."),
    upload_dir: Path = typer.Option(None, "--upload-dir", metavar="DIR",
                                    help="Folder for uploaded files (default: 'uploads' beside a SQLite store)."),
) -> None:
    """Serve the web pages and the API (/api/v1, OpenAPI at /api/v1/openapi.json).

    Example: schoon serve --demo
    """
    import logging

    import uvicorn

    from schoon.web.app import create_app
    from schoon.web.settings import WebSettings
    from schoon.web.state import AppState

    if demo and db is not None:
        raise SchoonError("--demo builds its own temporary store; leave out --db")
    holder = None
    if demo:
        holder = tempfile.TemporaryDirectory(prefix="schoon-demo-")
        url = f"sqlite:///{Path(holder.name) / 'demo.db'}"
    else:
        url = check_db_url(db, DbUse.WRITE)
    from schoon.web.oidc import config_from_env

    settings = WebSettings(db_url=url, upload_dir=upload_dir, secure_cookies=behind_tls, migrate=migrate or demo,
                           oidc=config_from_env())
    state = AppState.open(settings)
    try:
        if demo:
            from schoon.web.demo import build_demo

            say("building the demo estate ...")
            users = build_demo(state.store, state.accounts)
            say("demo users (these passwords are shown once):")
            for user in users:
                say(f"  {user.role:<12} {user.org_id:<14} {user.email:<40} {user.password}")
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        web_log = logging.getLogger("schoon.web")
        web_log.addHandler(handler)
        web_log.setLevel(logging.INFO)
        say(f"serving on http://{host}:{port}/ (API: http://{host}:{port}/api/v1/openapi.json); Ctrl-C stops")
        uvicorn.run(create_app(settings, state), host=host, port=port, log_level="info", server_header=False,
                    access_log=False)  # schoon.web.access writes one JSON line per request instead
    finally:
        state.close()
        if holder is not None:
            holder.cleanup()
