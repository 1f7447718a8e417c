"""Interval algebra: half-open semantics and set laws."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce

import pytest
import scheduling_strategies as strat
from hypothesis import given

from shared.scheduling.intervals import Interval, IntervalSet, normalise, subtract

T0 = datetime(2026, 1, 19, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def iv(start: int, end: int) -> Interval:
    return Interval(at(start), at(end))


def covered_minutes(intervals: IntervalSet | list[Interval]) -> set[int]:
    """Every whole minute (relative to T0) inside the intervals — a brute-force model."""
    minutes: set[int] = set()
    for piece in intervals:
        first = int((piece.start - T0).total_seconds() // 60)
        last = int((piece.end - T0).total_seconds() // 60)
        minutes.update(range(first, last))
    return minutes


def model(intervals: list[Interval]) -> set[int]:
    return covered_minutes(intervals)


class TestInterval:
    def test_touching_intervals_do_not_overlap(self) -> None:
        assert not iv(0, 30).overlaps(iv(30, 60))
        assert iv(0, 31).overlaps(iv(30, 60))

    def test_empty_or_naive_intervals_are_rejected(self) -> None:
        with pytest.raises(ValueError, match="after start"):
            Interval(at(10), at(10))
        with pytest.raises(ValueError, match="aware"):
            Interval(datetime(2026, 1, 1), datetime(2026, 1, 2))
        assert Interval.maybe(at(10), at(5)) is None

    def test_instants_are_normalised_to_utc(self) -> None:
        plus_one = timezone(timedelta(hours=1))
        local = Interval(datetime(2026, 1, 19, 10, tzinfo=plus_one), at(120))
        assert local.start == T0
        assert local.start.tzinfo is UTC

    def test_contains_is_half_open(self) -> None:
        window = iv(0, 60)
        assert at(0) in window
        assert at(60) not in window
        assert window.contains(iv(0, 60))
        assert not window.contains(iv(30, 61))

    def test_intersection_and_difference(self) -> None:
        assert (iv(0, 60) & iv(30, 90)) == iv(30, 60)
        assert (iv(0, 30) & iv(30, 60)) is None
        assert list(iv(0, 60) - iv(20, 30)) == [iv(0, 20), iv(30, 60)]
        assert list(iv(0, 30) | iv(30, 60)) == [iv(0, 60)]


class TestIntervalSet:
    def test_first_overlap_finds_the_earliest_member(self) -> None:
        busy = IntervalSet.of([iv(60, 90), iv(0, 30), iv(120, 150)])
        assert busy.first_overlap(iv(30, 61)) == iv(60, 90)
        assert busy.first_overlap(iv(30, 60)) is None
        assert busy.covers(iv(0, 30))
        assert not busy.covers(iv(0, 31))

    @strat.SETTINGS
    @given(strat.interval_lists())
    def test_normalise_is_sorted_disjoint_and_keeps_every_instant(
        self, pieces: list[Interval]
    ) -> None:
        normal = normalise(pieces)
        assert all(a.end < b.start for a, b in itertools.pairwise(normal))
        assert covered_minutes(list(normal)) == model(pieces)

    @strat.SETTINGS
    @given(strat.interval_lists(), strat.interval_lists())
    def test_set_operations_match_the_minute_model(
        self, left: list[Interval], right: list[Interval]
    ) -> None:
        a, b = IntervalSet.of(left), IntervalSet.of(right)
        assert covered_minutes(a | b) == model(left) | model(right)
        assert covered_minutes(a & b) == model(left) & model(right)
        assert covered_minutes(a - b) == model(left) - model(right)

    @strat.SETTINGS
    @given(strat.interval_lists(), strat.interval_lists())
    def test_subtraction_then_union_restores_the_original(
        self, left: list[Interval], right: list[Interval]
    ) -> None:
        a, b = IntervalSet.of(left), IntervalSet.of(right)
        assert (a - b) | (a & b) == a
        assert ((a - b) & b) == IntervalSet()
        assert (a - b).total + (a & b).total == a.total
        assert IntervalSet(subtract(left, right)) == a - b

    @strat.SETTINGS
    @given(strat.interval_lists(), strat.intervals())
    def test_overlap_lookup_matches_brute_force(
        self, pieces: list[Interval], probe: Interval
    ) -> None:
        busy = IntervalSet.of(pieces)
        assert busy.overlaps(probe) == any(piece.overlaps(probe) for piece in pieces)
        assert busy.covers(probe) == (model([probe]) <= model(pieces))

    @strat.SETTINGS
    @given(strat.interval_lists(max_size=5))
    def test_union_is_order_independent(self, pieces: list[Interval]) -> None:
        singles = [IntervalSet.of([piece]) for piece in pieces]
        forward = reduce(lambda x, y: x | y, singles, IntervalSet())
        backward = reduce(lambda x, y: x | y, reversed(singles), IntervalSet())
        assert forward == backward == IntervalSet.of(pieces)
