"""The dates of a member's record (organizations.rules): pure, so every case is cheap."""

import datetime as dt

import pytest

from organizations.rules import age_on, member_date_reasons

D = dt.date
TODAY = D(2026, 11, 24)


def _codes(**dates) -> list[str]:
    return [r.code for r in member_date_reasons(today=TODAY, **dates)]


@pytest.mark.parametrize(("dates", "codes"), [
    ({"birth_date": D(1990, 2, 3), "join_date": D(2010, 1, 1), "official_date": D(2011, 1, 1),
      "start": D(2010, 1, 1)}, []),
    ({}, []),
    ({"join_date": D(2010, 1, 1), "official_date": D(2009, 12, 31)}, ["person_official_before_join"]),
    ({"birth_date": D(1990, 2, 3), "join_date": D(1990, 2, 3)}, ["person_join_before_birth"]),
    ({"birth_date": D(1990, 2, 3), "join_date": D(1980, 1, 1)}, ["person_join_before_birth"]),
    ({"birth_date": D(1990, 2, 3), "join_date": D(2008, 2, 2)}, ["person_under_18"]),
    ({"birth_date": D(1990, 2, 3), "join_date": D(2008, 2, 3)}, []),  # eighteen that very day
    ({"join_date": D(2010, 1, 1), "start": D(2009, 12, 31)}, ["person_start_before_join"]),
    ({"join_date": D(2010, 1, 1), "start": D(2010, 1, 1)}, []),
    ({"birth_date": TODAY + dt.timedelta(days=1)}, ["person_future_date"]),
    ({"join_date": TODAY, "start": TODAY + dt.timedelta(days=1)}, ["person_future_date"]),
    ({"birth_date": D(2000, 1, 1), "join_date": D(2010, 1, 1), "official_date": D(2009, 1, 1),
      "start": D(2009, 6, 1)}, ["person_official_before_join", "person_under_18", "person_start_before_join"]),
])
def test_the_dates_of_a_record(dates, codes):
    assert _codes(**dates) == codes


def test_the_reasons_carry_their_figures_as_plain_values():
    (under_18,) = member_date_reasons(today=TODAY, birth_date=D(1995, 6, 1), join_date=D(2012, 5, 31))
    assert under_18.params == {"join": "2012-05-31", "age": 16}
    (future,) = member_date_reasons(today=TODAY, official_date=D(2027, 1, 1))
    assert future.params == {"field": "official_date", "d": "2027-01-01"}


def test_age_counts_whole_years():
    assert age_on(D(2000, 2, 29), D(2018, 2, 28)) == 17 and age_on(D(2000, 2, 29), D(2018, 3, 1)) == 18
