"""Owns the wall-clock limit put on parsing one untrusted file, so a crafted file cannot hang a worker."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tfdb_dam.errors import RejectedFile

T = TypeVar("T")


class _TimeLimitReached(BaseException):
    """Raised by the alarm handler.

    A BaseException on purpose: parsers (exifread, our own tolerant readers) catch
    ``Exception`` broadly, and must not swallow the alarm and carry on looping.
    """


def _on_alarm(signum: int, frame: Any) -> None:
    raise _TimeLimitReached()


def _alarm_available() -> bool:
    # Python runs signal handlers only in the main thread, and only the main thread may
    # install them; Windows has no SIGALRM. Elsewhere we cannot interrupt the parser.
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def run_with_time_limit(fn: Callable[..., T], *args: Any, seconds: float, **kwargs: Any) -> T:
    """Call ``fn(*args, **kwargs)``; refuse the file if it runs longer than ``seconds``.

    Uses SIGALRM (``setitimer``) in the main thread of a process, which is how workers run.
    In any other thread it runs ``fn`` without a limit, because a signal cannot be aimed at
    a thread and a thread cannot be killed; the job runner's own per-job timeout is then the
    only guard. Python handlers run between bytecodes, so a loop inside C code (libav,
    pdfium) is interrupted only when it returns to Python; the job-level timeout covers that.
    An alarm already set by a caller is restored afterwards, minus the time spent here.
    """
    if seconds <= 0:
        raise ValueError("seconds must be above zero")
    if not _alarm_available():
        return fn(*args, **kwargs)
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        try:
            return fn(*args, **kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeLimitReached as exc:
        # Outside the inner block so an alarm landing just as fn returns is still converted.
        raise RejectedFile("file.parse_timeout", seconds=f"{seconds:g}") from exc
    finally:
        signal.signal(signal.SIGALRM, previous_handler if previous_handler is not None else signal.SIG_DFL)
        _restore_outer_alarm(previous_delay, time.monotonic() - started)


def _restore_outer_alarm(previous_delay: float, elapsed: float) -> None:
    if previous_delay > 0:
        # The outer deadline may already have passed; fire it almost at once rather than never.
        signal.setitimer(signal.ITIMER_REAL, max(previous_delay - elapsed, 0.001))
