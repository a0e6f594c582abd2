#!/usr/bin/env python3
"""Generate the holiday fixtures for the two built-in calendars, 1990..=2100.

This is an independent reference implementation, written from the domain text
(shared/domain/legal-terms-nl.md sections 1.2-1.4 and 4.2, and terms.md), not
translated from the Rust code. It exists so that
crates/servicenorm-core/tests/holiday_fixture.rs can compare the engine against
a second implementation: a bug would have to be made twice, the same way, to
go unnoticed. For the same reason Easter is computed here with Gauss's
algorithm (with Lichtenberg's corrections), not with the Meeus/Jones/Butcher
algorithm the Rust code uses.

Only the royal-decree days (Atw art. 3 lid 3) are copied from
crates/servicenorm-core/src/calendar/royal_decrees.rs: they cannot be computed,
they are data (legal-terms-nl.md section 1.4), and the table there matches the
one in the domain text.

Standard library only. Run from anywhere:

    python3 scripts/gen_holiday_fixture.py

It writes
    crates/servicenorm-core/tests/data/holidays_atw_1990_2100.tsv
    crates/servicenorm-core/tests/data/holidays_gemeente_1990_2100.tsv
with one line per holiday, "YYYY-MM-DD<TAB>name", sorted by date then name.
Two holidays on the same date (Hemelvaartsdag on 5 May, as in 2005 and 2016)
are two lines: the fixture lists holidays, not non-working days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIRST_YEAR = 1990
LAST_YEAR = 2100

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "crates" / "servicenorm-core" / "tests" / "data"

# Atw art. 3 lid 3: days equated with holidays by royal decree. Data, not a
# rule: copied from royal_decrees.rs (same as legal-terms-nl.md section 1.4).
# Years without a known decree (before 2017, 2020-2022, after 2028) have none.
ROYAL_DECREE_DAYS: list[tuple[dt.date, str]] = [
    # Besluit van 24 oktober 2016, BWBR0038666
    (dt.date(2017, 4, 28), "vrijdag na Koningsdag"),
    (dt.date(2017, 5, 26), "vrijdag na Hemelvaartsdag"),
    (dt.date(2018, 5, 11), "vrijdag na Hemelvaartsdag"),
    (dt.date(2018, 12, 24), "maandag voor Eerste Kerstdag"),
    (dt.date(2018, 12, 31), "maandag voor Nieuwjaarsdag"),
    (dt.date(2019, 5, 31), "vrijdag na Hemelvaartsdag"),
    (dt.date(2019, 12, 27), "vrijdag na Tweede Kerstdag"),
    # Besluit gelijkstelling 2023-2025, Stcrt. 2022, 7812
    (dt.date(2023, 4, 28), "vrijdag na Koningsdag"),
    (dt.date(2023, 5, 19), "vrijdag na Hemelvaartsdag"),
    (dt.date(2024, 5, 10), "vrijdag na Hemelvaartsdag"),
    (dt.date(2024, 12, 27), "vrijdag na Tweede Kerstdag"),
    (dt.date(2025, 5, 30), "vrijdag na Hemelvaartsdag"),
    # Besluit gelijkstelling 2026-2028, Stcrt. 2025, 24713
    (dt.date(2026, 1, 2), "vrijdag na Nieuwjaarsdag"),
    (dt.date(2026, 5, 15), "vrijdag na Hemelvaartsdag"),
    (dt.date(2027, 5, 7), "vrijdag na Hemelvaartsdag"),
    (dt.date(2028, 4, 28), "vrijdag na Koningsdag"),
    (dt.date(2028, 5, 26), "vrijdag na Hemelvaartsdag"),
]


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian) by Gauss's algorithm with Lichtenberg's
    corrections (valid for every Gregorian year)."""
    k = year // 100  # century
    m = 15 + (3 * k + 3) // 4 - (8 * k + 13) // 25  # secular lunar shift
    s = 2 - (3 * k + 3) // 4  # secular solar shift
    a = year % 19  # lunar parameter
    d = (19 * a + m) % 30  # seed for the first spring full moon
    r = (d + a // 11) // 29  # calendrical correction (the two exceptions)
    og = 21 + d - r  # Easter limit: paschal full moon, as a day of March
    sz = 7 - (year + year // 4 + s) % 7  # first Sunday in March
    oe = 7 - (og - sz) % 7  # distance from the full moon to the next Sunday
    os_ = og + oe  # Easter Sunday as a day of March (32 = 1 April)
    return dt.date(year, 3, 1) + dt.timedelta(days=os_ - 1)


def kings_day(year: int) -> tuple[dt.date, str]:
    """The day the monarch's birthday is celebrated (Atw art. 3 lid 1).

    From 2014 Koningsdag, 27 April; until 2013 Koninginnedag, 30 April. In
    both cases a Sunday moves it to the Saturday before (section 1.2/1.3)."""
    if year >= 2014:
        day, name = dt.date(year, 4, 27), "Koningsdag"
    else:
        day, name = dt.date(year, 4, 30), "Koninginnedag"
    if day.weekday() == 6:  # Sunday
        day -= dt.timedelta(days=1)
    return day, name


def atw_holidays(year: int) -> list[tuple[dt.date, str]]:
    """Atw art. 3 lid 1, lid 2 (Goede Vrijdag) and lid 3 (decree days)."""
    e = easter(year)
    days = [
        (dt.date(year, 1, 1), "Nieuwjaarsdag"),
        (e - dt.timedelta(days=2), "Goede Vrijdag"),
        (e + dt.timedelta(days=1), "Tweede Paasdag"),
        kings_day(year),
        # "de vijfde mei": every year, no lustrum condition for the Atw.
        (dt.date(year, 5, 5), "Bevrijdingsdag"),
        (e + dt.timedelta(days=39), "Hemelvaartsdag"),
        (e + dt.timedelta(days=50), "Tweede Pinksterdag"),
        (dt.date(year, 12, 25), "Eerste Kerstdag"),
        (dt.date(year, 12, 26), "Tweede Kerstdag"),
    ]
    days += [
        (day, f"Gelijkgestelde dag ({what})")
        for day, what in ROYAL_DECREE_DAYS
        if day.year == year
    ]
    return sorted(days)


def gemeente_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The paid holidays of the cao Gemeenten (section 4.2). No Goede Vrijdag
    and no decree days. Bevrijdingsdag every year from 2024; before that a
    local choice, for which the built-in calendar takes every fifth year."""
    e = easter(year)
    days = [
        (dt.date(year, 1, 1), "Nieuwjaarsdag"),
        (e + dt.timedelta(days=1), "Tweede Paasdag"),
        kings_day(year),
        (e + dt.timedelta(days=39), "Hemelvaartsdag"),
        (e + dt.timedelta(days=50), "Tweede Pinksterdag"),
        (dt.date(year, 12, 25), "Eerste Kerstdag"),
        (dt.date(year, 12, 26), "Tweede Kerstdag"),
    ]
    if year >= 2024 or year % 5 == 0:
        days.append((dt.date(year, 5, 5), "Bevrijdingsdag"))
    return sorted(days)


def self_check() -> None:
    """Guard the reference itself against the dates the domain text states
    (legal-terms-nl.md sections 0, 1.2 and 5), so that a wrong fixture is not
    written in the first place."""
    for year, expected in [
        (1990, "1990-04-15"), (2000, "2000-04-23"), (2008, "2008-03-23"),
        (2011, "2011-04-24"), (2019, "2019-04-21"), (2024, "2024-03-31"),
        (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
        (2038, "2038-04-25"), (2043, "2043-03-29"), (2049, "2049-04-18"),
        (2100, "2100-03-28"), (1818, "1818-03-22"), (2285, "2285-03-22"),
        (1943, "1943-04-25"),
    ]:
        assert easter(year).isoformat() == expected, (year, easter(year))
    for year in range(1583, 4100):
        e = easter(year)
        assert e.weekday() == 6, year  # a Sunday
        assert dt.date(year, 3, 22) <= e <= dt.date(year, 4, 25), year
    # Section 0 point 4: the years 27 April (30 April) falls on a Sunday.
    kings_saturdays = [y for y in range(FIRST_YEAR, LAST_YEAR + 1)
                       if kings_day(y)[0].day in (26, 29)]
    assert kings_saturdays == [1995, 2000, 2006, 2014, 2025, 2031, 2036, 2042,
                               2053, 2059, 2064, 2070, 2081, 2087, 2092,
                               2098], kings_saturdays
    # Section 1.2: Hemelvaartsdag from 1 May (2008) to 3 June (2038).
    ascensions = [easter(y) + dt.timedelta(days=39)
                  for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    assert min((d.month, d.day) for d in ascensions) == (5, 1)
    assert max((d.month, d.day) for d in ascensions) == (6, 3)
    # Every decree day is a weekday.
    assert all(d.weekday() < 5 for d, _ in ROYAL_DECREE_DAYS)


def write(path: Path, calendar: str, holidays) -> int:
    lines = [
        f"# {calendar} holidays {FIRST_YEAR}-{LAST_YEAR}, one per line: "
        "date<TAB>name, sorted by date then name. Generated by "
        "`python3 scripts/gen_holiday_fixture.py` (independent reference; "
        "do not edit by hand).",
    ]
    count = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in holidays(year):
            lines.append(f"{day.isoformat()}\t{name}")
            count += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def main() -> None:
    self_check()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for calendar, holidays in [("atw", atw_holidays),
                               ("gemeente", gemeente_holidays)]:
        path = OUT_DIR / f"holidays_{calendar}_{FIRST_YEAR}_{LAST_YEAR}.tsv"
        count = write(path, calendar, holidays)
        print(f"{path.relative_to(REPO)}: {count} holidays")


if __name__ == "__main__":
    main()
