"""`tfdb serve`: the Streamlit app, the HTTP API and background workers, supervised together."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

from tfdb_dam.cli.output import context, say
from tfdb_dam.config import PROJECT_ROOT


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    serve = subparsers.add_parser("serve", parents=[common], help="serve the app, the API and workers")
    serve.add_argument("--port", type=int, default=8501, help="Streamlit app port (default 8501)")
    serve.add_argument("--api-port", type=int, default=8600, help="HTTP API and OAI-PMH port (default 8600)")
    serve.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--no-api", action="store_true", help="do not start the HTTP API")
    serve.add_argument("--no-worker", action="store_true", help="do not start background workers here")
    serve.set_defaults(handler=run_serve)


def _children(args: argparse.Namespace, max_upload_mb: int) -> list[list[str]]:
    py = sys.executable
    # config.toml cannot read the environment, so the upload limit (TFDB_APP_MAX_UPLOAD_MB)
    # reaches Streamlit as a flag.
    commands = [[py, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
                 "--server.port", str(args.port), "--server.address", args.address,
                 "--server.headless", "true", "--browser.gatherUsageStats", "false",
                 "--server.maxUploadSize", str(max_upload_mb)]]
    if not args.no_api:
        commands.append([py, "-m", "uvicorn", "tfdb_dam.api.app:create_app", "--factory",
                         "--host", args.address, "--port", str(args.api_port), "--log-level", "warning"])
    if not args.no_worker:
        commands.append([py, "-m", "tfdb_dam", "worker"])
    return commands


def run_serve(args: argparse.Namespace) -> int:
    # Start (or join) the embedded database once here so the children share one server,
    # and fail early with one sentence if the configuration is wrong.
    ctx = context()
    try:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", ctx.db.url if not ctx.config.database_url else ctx.config.database_url)
        env["TFDB_HOME"] = str(ctx.config.home)
        procs = [subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT)
                 for cmd in _children(args, ctx.config.tfdb_app_max_upload_mb)]
        say(f"TFDB DAM: app on http://{args.address}:{args.port}"
            + ("" if args.no_api else f", API on http://{args.address}:{args.api_port}/api/v1"))
        return _supervise(procs)
    finally:
        ctx.close()


def _supervise(procs: list[subprocess.Popen]) -> int:
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and all(p.poll() is None for p in procs):
        time.sleep(0.5)
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    failed = [p for p in procs if p.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stopping else 0
