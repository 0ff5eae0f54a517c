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
# The commands each module registers are listed so that a run imports only the module it needs
# (the service layers behind them take seconds to import); tests check the list.
COMMANDS: dict[str, tuple[str, ...]] = {
    "tfdb_dam.cli.setup": ("init", "user"),
    "tfdb_dam.cli.assets": ("show", "verify"),
    "tfdb_dam.cli.serve": ("serve",),
    "tfdb_dam.cli.demo": ("demo",),
    "tfdb_dam.cli.importing": ("import", "watch", "worker"),
    "tfdb_dam.cli.review": ("review", "audit"),
    "tfdb_dam.cli.searching": ("search", "reindex"),
    "tfdb_dam.cli.sharing": ("apikey", "export", "import-zip"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: exit 2, one sentence
        self.print_usage(sys.stderr)
        print(f"tfdb: {message[0].upper()}{message[1:]}.", file=sys.stderr)
        raise SystemExit(2)


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    """The one module owning the command in ``argv``; all of them for help or an unknown word."""
    words = [a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")]
    for module, names in COMMANDS.items():
        if words and words[0] in names:
            return [module]
    return list(COMMANDS)


def build_parser(argv: Sequence[str] | None = None, *, everything: bool = False) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's copy of the flag must not overwrite `tfdb --json verify`'s.
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    parser = _Parser(prog="tfdb", description="TFDB DAM — the foreign-information asset library.",
                     parents=[common])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in (list(COMMANDS) if everything else _modules_for(argv)):
        importlib.import_module(name).register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(argv)
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
