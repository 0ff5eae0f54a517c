"""`python -m tfdb_dam.jobs`: one worker process, as `tfdb import` starts them (without the whole CLI).

Loading every `tfdb` subcommand costs seconds that a worker started for an import should not wait.
"""

from __future__ import annotations

import argparse
import sys

from tfdb_dam.errors import TfdbError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tfdb_dam.jobs", description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="compute threads for this worker")
    parser.add_argument("--until-idle", action="store_true", help="stop once the queue is empty")
    parser.add_argument("--stop-with-parent", action="store_true", help="stop when standard input closes")
    parser.add_argument("--log-jobs", action="store_true", help="log each job's start and end")
    args = parser.parse_args(argv)
    from tfdb_dam.jobs.worker import configure_logging, run_worker
    from tfdb_dam.services.context import open_context

    configure_logging(jobs=args.log_jobs)  # for an import, stderr is the user's terminal: problems only

    try:
        ctx = open_context()
    except TfdbError as exc:
        print(f"tfdb worker: {exc}", file=sys.stderr)
        return exc.exit_code
    try:
        run_worker(ctx, wait=not args.until_idle, threads=max(1, args.threads), stop_on_eof=args.stop_with_parent)
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
