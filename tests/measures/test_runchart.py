"""The run-chart rules, one by one, with their edge cases."""

from __future__ import annotations

from math import comb

import pytest

from learnloop.measures import runchart
from learnloop.measures.runchart import analyze, find_shifts, find_trends, median, runs_test


def test_median_odd_even_and_empty():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None


def test_shift_of_six_above_the_median():
    values = [1, 2, 1, 2, 1, 2, 1, 9, 9, 9, 9, 9, 9, 1, 2]
    chart = analyze(values)
    assert chart.median == 2
    assert [(s.start, s.end, s.direction) for s in chart.shifts] == [(7, 12, "up")]


def test_five_on_one_side_is_not_a_shift():
    assert find_shifts([5, 5, 5, 5, 5, 0, 5], 2) == []
    assert len(find_shifts([5, 5, 5, 5, 5, 5], 2)) == 1


def test_points_on_the_median_neither_count_nor_break_a_shift():
    values = [3, 3, 2, 3, 3, 2, 3, 3]  # six above, with two points on the median
    spans = find_shifts(values, 2)
    assert len(spans) == 1
    assert spans[0].indices == (0, 1, 3, 4, 6, 7)
    assert find_shifts([3, 3, 2, 2, 2, 3, 3], 2) == []  # only four above


def test_shift_below_the_median():
    spans = find_shifts([1, 1, 1, 1, 1, 1, 5], 3)
    assert [(s.direction, s.indices) for s in spans] == [("down", (0, 1, 2, 3, 4, 5))]


def test_trend_of_five_going_up_and_down():
    up = find_trends([1, 2, 3, 4, 5])
    assert [(s.start, s.end, s.direction) for s in up] == [(0, 4, "up")]
    down = find_trends([9, 8, 7, 6, 5, 6])
    assert [(s.start, s.end, s.direction) for s in down] == [(0, 4, "down")]


def test_four_steps_are_not_a_trend():
    assert find_trends([1, 2, 3, 4, 3, 2, 1]) == []


def test_repeated_values_neither_make_nor_break_a_trend():
    assert find_trends([1, 2, 2, 3, 4]) == []  # only four distinct steps' worth of points
    spans = find_trends([1, 2, 2, 3, 4, 5])
    assert [(s.start, s.end) for s in spans] == [(0, 5)]
    assert spans[0].indices == (0, 1, 2, 3, 4, 5)


def test_a_turning_point_can_end_one_trend_and_start_the_next():
    spans = find_trends([1, 2, 3, 4, 5, 4, 3, 2, 1])
    assert [(s.start, s.end, s.direction) for s in spans] == [(0, 4, "up"), (4, 8, "down")]


def test_runs_skip_points_on_the_median():
    test = runs_test([1, 5, 3, 1, 5], 3)
    assert (test.useful, test.runs) == (4, 4)


def test_fewer_than_ten_useful_points_no_runs_test():
    values = [1, 1, 1, 1, 9, 9, 9, 9, 5]
    test = analyze(values).runs
    assert test is not None
    assert (test.applied, test.verdict, test.lower) == (False, "not_applied", None)


def test_ties_on_the_median_reduce_useful_observations_below_ten():
    values = [1, 9, 5, 5, 5, 1, 9, 1, 9, 1, 9, 5]  # median 5; 8 useful points
    test = analyze(values).runs
    assert test is not None
    assert (test.useful, test.applied) == (8, False)


def test_too_few_runs():
    values = [1] * 6 + [9] * 6  # 12 useful points, 2 runs; table says 3..11
    test = analyze(values).runs
    assert test is not None
    assert (test.useful, test.runs, test.lower, test.upper) == (12, 2, 3, 11)
    assert test.verdict == "too_few"


def test_too_many_runs():
    values = [1, 9] * 6  # 12 useful points, 12 runs
    chart = analyze(values)
    assert chart.runs is not None
    assert (chart.runs.runs, chart.runs.verdict) == (12, "too_many")
    assert chart.has_signal


def test_runs_within_limits_is_ok():
    values = [1, 9, 9, 1, 1, 9, 1, 9, 9, 1]  # 10 useful, 7 runs; table 3..9
    test = analyze(values).runs
    assert test is not None
    assert (test.runs, test.verdict) == (7, "ok")


def test_runs_limits_beyond_the_table_use_the_normal_approximation():
    lower, upper = runchart.runs_limits(80, 40, 40)  # type: ignore[misc]
    assert 31 <= lower <= 33
    assert 47 <= upper <= 49


def _swed_eisenhart(n: int) -> tuple[int, int]:
    """Exact 2.5 % tails of the number of runs for n/2 points above and below."""
    n1, n2 = n // 2, n - n // 2
    total = comb(n, n1)
    pmf = {}
    for r in range(2, n + 1):
        k = r // 2
        if r % 2 == 0:
            pmf[r] = 2 * comb(n1 - 1, k - 1) * comb(n2 - 1, k - 1) / total
        else:
            pmf[r] = (
                comb(n1 - 1, k) * comb(n2 - 1, k - 1) + comb(n1 - 1, k - 1) * comb(n2 - 1, k)
            ) / total
    cum, lower = 0.0, 2
    for r in sorted(pmf):
        if cum + pmf[r] > 0.025:
            lower = r
            break
        cum += pmf[r]
    cum, upper = 0.0, n
    for r in sorted(pmf, reverse=True):
        if cum + pmf[r] > 0.025:
            upper = r
            break
        cum += pmf[r]
    return lower, upper


@pytest.mark.parametrize("n", range(10, 61))
def test_published_table_agrees_with_the_exact_distribution(n):
    lower, upper = runchart.RUNS_TABLE[n]
    exact_lower, exact_upper = _swed_eisenhart(n)
    # The published table was rounded by its authors; it stays within two runs of the
    # exact 2.5 % tails, which catches any typo in the constants.
    assert abs(lower - exact_lower) <= 2
    assert abs(upper - exact_upper) <= 2
    assert lower < upper


def test_table_limits_never_shrink_as_points_grow():
    table = runchart.RUNS_TABLE
    assert sorted(table) == list(range(10, 61))
    assert all(table[n - 1][0] <= table[n][0] for n in range(11, 61))
    assert all(table[n - 1][1] <= table[n][1] for n in range(11, 61))


def test_astronomical_point_beyond_the_far_out_fences():
    values = [10, 11, 9, 10, 12, 10, 11, 9, 40]
    chart = analyze(values)
    assert chart.fences == (7.0, 14.0)  # quartiles 10 and 11, three IQRs beyond each
    assert chart.astronomical == [8]
    assert chart.signals_at(8) == ["astronomical"]


def test_astronomical_below_too():
    assert analyze([50, 52, 51, 49, 50, 51, 2]).astronomical == [6]


def test_a_lasting_change_in_level_is_not_astronomical():
    values = [80, 82, 81, 83, 80, 84, 87, 90, 89, 91, 92, 90]
    chart = analyze(values)
    assert chart.astronomical == []
    assert chart.shifts


def test_no_astronomical_test_when_iqr_is_zero_or_points_are_few():
    assert analyze([5, 5, 5, 5, 5, 5, 100]).astronomical == []
    assert analyze([1, 1, 2, 100]).astronomical == []


def test_empty_and_single_point_series():
    empty = analyze([])
    assert (empty.median, empty.shifts, empty.has_signal) == (None, [], False)
    one = analyze([4])
    assert (one.median, one.trends, one.astronomical) == (4, [], [])


def test_signals_at_marks_points_in_each_signal():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    chart = analyze(values)
    assert chart.signals_at(0) == ["shift", "trend"]
    assert chart.signals_at(11) == ["shift", "trend"]
