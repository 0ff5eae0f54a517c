"""Recent: the small LRU memory behind the query vectors, the vector statements and slow facets."""

from __future__ import annotations

from tfdb_dam.services.recent import Recent


def test_the_least_recently_used_goes_first():
    recent: Recent[str] = Recent(2)
    recent.put("a", "A")
    recent.put("b", "B")
    assert recent.get("a") == "A"  # "a" is now the most recently used
    recent.put("c", "C")
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == ("A", None, "C")


def test_a_value_is_made_once_then_kept_and_size_zero_keeps_nothing():
    made: list[str] = []

    def make(key: str):  # noqa: ANN202
        return lambda: made.append(key) or key.upper()

    recent: Recent[str] = Recent(4)
    assert [recent.get_or_make(k, make(k)) for k in "aba"] == ["A", "B", "A"]
    assert made == ["a", "b"]
    nothing: Recent[str] = Recent(0)
    assert [nothing.get_or_make("a", make("a")) for _ in range(2)] == ["A", "A"]
    assert made == ["a", "b", "a", "a"] and nothing.get("a") is None


def test_put_replaces_a_value_and_clear_forgets_everything():
    recent: Recent[int] = Recent(3)
    recent.put("a", 1)
    recent.put("a", 2)
    assert recent.get("a") == 2
    recent.clear()
    assert recent.get("a") is None
