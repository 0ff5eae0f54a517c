"""When the vector leg sorts the kept vectors exactly instead of walking the HNSW graph."""

from __future__ import annotations

import pytest

from tfdb_dam.services.search_vector import EXACT_BELOW, EXACT_BELOW_FOR, exact_below


def test_the_calibrated_size_keeps_the_calibrated_threshold():
    assert exact_below(EXACT_BELOW_FOR) == pytest.approx(EXACT_BELOW)


def test_fewer_rows_wanted_walk_sooner_more_rows_wanted_sort_sooner():
    # A walk passes about fetch x (all / kept) neighbours: with 4x more rows wanted, the exact
    # sort stays cheaper up to twice as many kept assets.
    assert exact_below(EXACT_BELOW_FOR * 4) == pytest.approx(EXACT_BELOW * 2)
    assert exact_below(10) < exact_below(50) < exact_below(150)
    assert exact_below(0) == exact_below(1) > 0
