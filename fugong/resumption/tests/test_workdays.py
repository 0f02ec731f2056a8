import datetime as dt

import pytest

from fugong.lib.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


def test_a_friday_deadline_of_two_working_days_skips_the_weekend():
    assert add_working_days(D(2020, 3, 6), 2) == D(2020, 3, 10)


def test_the_spring_festival_2020_holidays_are_not_working_days():
    for day in range(24, 32):
        assert not is_working_day(D(2020, 1, day))
    assert not is_working_day(D(2020, 2, 1))
    assert not is_working_day(D(2020, 2, 2))
    assert is_working_day(D(2020, 2, 3))


def test_a_submission_on_the_eve_of_the_spring_festival_is_due_after_the_holiday():
    # Thursday 23 Jan 2020 was the last working day before the (extended) holiday.
    assert add_working_days(D(2020, 1, 23), 1) == D(2020, 2, 3)
    assert add_working_days(D(2020, 1, 23), 2) == D(2020, 2, 4)


def test_a_submission_during_the_holiday_counts_from_the_first_working_day():
    assert add_working_days(D(2020, 1, 28), 2) == D(2020, 2, 4)


def test_the_make_up_working_sunday_19_january_2020_counts():
    assert is_working_day(D(2020, 1, 19))
    # Friday 17 Jan: Saturday 18 is off, Sunday 19 is a make-up working day.
    assert add_working_days(D(2020, 1, 17), 1) == D(2020, 1, 19)
    assert add_working_days(D(2020, 1, 17), 2) == D(2020, 1, 20)


def test_the_day_itself_is_never_counted_and_n_must_be_positive():
    assert add_working_days(D(2020, 3, 9), 1) == D(2020, 3, 10)
    with pytest.raises(ValueError):
        add_working_days(D(2020, 3, 9), 0)


def test_working_days_between_counts_the_half_open_interval():
    assert working_days_between(D(2020, 1, 23), D(2020, 2, 4)) == 2
    assert working_days_between(D(2020, 2, 4), D(2020, 2, 4)) == 0


def test_a_year_without_calendar_data_falls_back_to_monday_to_friday():
    # Saturday → Monday, Monday → Tuesday.
    assert add_working_days(D(2099, 1, 3), 1) == D(2099, 1, 5)
