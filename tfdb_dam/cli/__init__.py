"""The `tfdb` command: one entry point, subcommands registered by the modules in COMMANDS.

Exit codes: 0 success, 1 some input was rejected (the rest was done), 2 usage or configuration
error. Every error is one sentence on stderr; a traceback only with --debug.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from tfdb_dam.errors import TfdbError

# Each module defines register(subparsers, common) and sets `handler` defaults on its parsers.
COMMANDS = (
    "tfdb_dam.cli.setup",
    "tfdb_dam.cli.assets",
    "tfdb_dam.cli.serve",
    "tfdb_dam.cli.demo",
    "tfdb_dam.cli.importing",
    "tfdb_dam.cli.review",
    "tfdb_dam.cli.searching",
    "tfdb_dam.cli.sharing",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: exit 2, one sentence
        self.print_usage(sys.stderr)
        print(f"tfdb: {message[0].upper()}{message[1:]}.", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's copy of the flag must not overwrite `tfdb --json verify`'s.
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    parser = _Parser(prog="tfdb", description="TFDB DAM — the foreign-information asset library.",
                     parents=[common])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv, namespace=argparse.Namespace(json=False, debug=False))
    try:
        return int(args.handler(args) or 0)
    except TfdbError as exc:
        if args.debug:
            raise
        print(f"tfdb: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tfdb: Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one sentence, details with --debug
        if args.debug:
            raise
        print(f"tfdb: Unexpected {type(exc).__name__}: {exc} (run again with --debug for details).",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
