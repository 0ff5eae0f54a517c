"""`tfdb init` and `tfdb user …`."""

from __future__ import annotations

import argparse
import getpass
import sys

from tfdb_dam.cli.output import context, emit_json, say
from tfdb_dam.errors import UsageError
from tfdb_dam.services import setup, users
from tfdb_dam.services.actors import SYSTEM


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    init = subparsers.add_parser("init", parents=[common], help="create or migrate the database and data root")
    init.add_argument("--no-admin", action="store_true", help="do not create the first admin account")
    init.set_defaults(handler=run_init)

    user = subparsers.add_parser("user", parents=[common], help="manage user accounts")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION")
    user_sub.required = True
    add = user_sub.add_parser("add", parents=[common], help="add a user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["admin", "approver", "contributor", "viewer"])
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--display-name")
    add.add_argument("--email")
    add.add_argument("--source-unit", help="the agency the user works for")
    add.set_defaults(handler=run_user_add)
    listing = user_sub.add_parser("list", parents=[common], help="list users")
    listing.set_defaults(handler=run_user_list)
    from tfdb_dam.cli.review import register_user_actions  # set-role, disable, enable, passwd

    register_user_actions(user_sub, common)


def run_init(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        report = setup.initialize(ctx, create_admin=not args.no_admin)
    finally:
        ctx.close()
    admin = report.first_admin
    if args.json:
        emit_json({"migrated": report.migrated, "revision": report.revision, "home": str(ctx.config.home),
                   "first_admin": {"username": admin.username, "password": admin.password} if admin else None})
        return 0
    say(f"Database at revision {report.revision} ({'migrated' if report.migrated else 'already up to date'}).")
    say(f"Data root: {ctx.config.home}")
    if admin:
        say(f"Created the first administrator. Sign in as '{admin.username}' with password: {admin.password}")
        say("Change this password after signing in (Tài khoản → Đổi mật khẩu).")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("cli.no_password")
        return password
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.name}: ")
    return ""


def run_user_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    generated = not password
    password = password or users.generate_password()
    ctx = context()
    try:
        with ctx.db.begin() as session:
            user = users.create_user(session, SYSTEM, username=args.name, role=args.role, password=password,
                                     display_name=args.display_name, email=args.email,
                                     source_unit=args.source_unit)
            result = {"id": user.id, "username": user.username, "role": user.role.value}
    finally:
        ctx.close()
    if generated:
        result["password"] = password
    if args.json:
        emit_json(result)
    else:
        say(f"Added {result['username']} ({result['role']}).")
        if generated:
            say(f"Generated password: {password}")
    return 0


def run_user_list(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            rows = [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role.value,
                     "email": u.email, "active": u.is_active} for u in users.list_users(session)]
    finally:
        ctx.close()
    if args.json:
        emit_json(rows)
    else:
        for row in rows:
            say(f"{row['id']:>4}  {row['username']:<20} {row['role']:<12} {row['display_name']}")
    return 0
