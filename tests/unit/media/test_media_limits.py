"""The time limit on parsing one untrusted file."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.limits import run_with_time_limit


def _loop_forever() -> None:
    while True:
        pass


def _loop_forever_swallowing_errors() -> None:
    # Parsers catch Exception broadly; the limit must get through them.
    while True:
        try:  # noqa: SIM105 - written like the parsers it stands for
            sum(range(1000))
        except Exception:
            pass


@pytest.mark.parametrize("endless", [_loop_forever, _loop_forever_swallowing_errors])
def test_an_endless_parser_is_stopped_and_the_file_refused(endless) -> None:
    started = time.monotonic()
    with pytest.raises(RejectedFile) as refused:
        run_with_time_limit(endless, seconds=0.2)
    assert time.monotonic() - started < 2
    assert str(refused.value) == (
        "Reading the file took longer than 0.2 seconds; it may be crafted to hang the parser."
    )


def test_a_quick_call_returns_its_result_with_its_arguments() -> None:
    assert run_with_time_limit(lambda a, *, b: a + b, 2, b=3, seconds=5) == 5


def test_exceptions_of_the_call_pass_through_unchanged() -> None:
    with pytest.raises(KeyError):
        run_with_time_limit({}.__getitem__, "missing", seconds=5)


def test_the_previous_handler_and_no_alarm_remain_afterwards() -> None:
    def previous(signum, frame):  # pragma: no cover - never fires
        raise AssertionError("stray alarm")

    saved = signal.signal(signal.SIGALRM, previous)
    try:
        run_with_time_limit(lambda: None, seconds=5)
        assert signal.getsignal(signal.SIGALRM) is previous
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, saved)


def test_an_outer_alarm_is_restored_with_its_remaining_time() -> None:
    saved = signal.signal(signal.SIGALRM, lambda signum, frame: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        run_with_time_limit(time.sleep, 0.05, seconds=5)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 29 < remaining < 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, saved)


def test_outside_the_main_thread_the_call_runs_without_a_limit() -> None:
    # Signals reach only the main thread, so the limit cannot apply; the call still runs.
    results: list[object] = []
    slow = lambda: (time.sleep(0.1), 42)[1]  # noqa: E731 - longer than the limit below
    worker = threading.Thread(target=lambda: results.append(run_with_time_limit(slow, seconds=0.01)))
    worker.start()
    worker.join(timeout=5)
    assert results == [42]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        run_with_time_limit(lambda: None, seconds=0)
