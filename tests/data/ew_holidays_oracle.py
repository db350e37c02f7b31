#!/usr/bin/env python3
"""Writes ew-holidays-1980-2099.txt: the England and Wales bank holidays for
every year from 1980 to 2099, one "YYYY-MM-DD name" a line.

This is the independent oracle for src/core/calendar.c, so it is built a
different way on purpose:

  * Easter comes from Carter's method (valid for 1900..2099), checked year by
    year against Gauss's method with its two exception corrections; the C code
    uses the anonymous Gregorian (Meeus/Jones/Butcher) computation.
  * Weekend substitutes come from explicit tables keyed by the weekday of
    1 January and 25 December (what the annual Royal Proclamations and the
    Banking and Financial Dealings Act 1971, Schedule 1, give), not from the
    C code's "next free weekday" walk.
  * The one-off changes are listed here by hand from the proclamations.

Run it with python3 (not needed on CI: its output is committed):
    python3 tests/data/ew_holidays_oracle.py > tests/data/ew-holidays-1980-2099.txt
"""

import datetime
import sys

FIRST, LAST = 1980, 2099
SUB = " (substitute day)"
NEW_YEAR = "New Year\u2019s Day"


def easter_carter(y):
    # Carter's method, Sunday after the paschal full moon, 1900..2099 only.
    d = 225 - 11 * (y % 19)
    while d > 50:
        d -= 30
    if d > 48:
        d -= 1
    e = (y + y // 4 + d + 1) % 7
    q = d + 7 - e
    return datetime.date(y, 3, q) if q < 32 else datetime.date(y, 4, q - 31)


def easter_gauss(y):
    # Gauss's Easter algorithm for the Gregorian calendar.
    a, b, c = y % 19, y % 4, y % 7
    k = y // 100
    p = (13 + 8 * k) // 25
    q = k // 4
    m = (15 - p + k - q) % 30
    n = (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    day = 22 + d + e  # in March; may run into April
    if d == 29 and e == 6:
        return datetime.date(y, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return datetime.date(y, 4, 18)
    return datetime.date(y, 3, day) if day <= 31 else datetime.date(y, 4, day - 31)


def first_monday(y, month):
    d = datetime.date(y, month, 1)
    return d + datetime.timedelta(days=(7 - d.weekday()) % 7)


def last_monday(y, month):
    nxt = datetime.date(y + (month == 12), month % 12 + 1, 1)
    d = nxt - datetime.timedelta(days=1)
    return d - datetime.timedelta(days=d.weekday())


# New Year's Day by weekday of 1 January (0 = Monday): (day of January, substitute?)
NEW_YEAR_TABLE = {0: (1, False), 1: (1, False), 2: (1, False), 3: (1, False),
                  4: (1, False), 5: (3, True), 6: (2, True)}

# Christmas by weekday of 25 December: list of (day of December, name)
CHRISTMAS_TABLE = {
    0: [(25, "Christmas Day"), (26, "Boxing Day")],
    1: [(25, "Christmas Day"), (26, "Boxing Day")],
    2: [(25, "Christmas Day"), (26, "Boxing Day")],
    3: [(25, "Christmas Day"), (26, "Boxing Day")],
    4: [(25, "Christmas Day"), (28, "Boxing Day" + SUB)],
    5: [(27, "Christmas Day" + SUB), (28, "Boxing Day" + SUB)],
    6: [(26, "Boxing Day"), (27, "Christmas Day" + SUB)],
}

# One-off changes, each checked against the proclamation for its year.
# (year, rule moved or None, new date, name on that date)
ONE_OFFS = [
    (1981, None, (7, 29), "Wedding of Prince Charles and Lady Diana Spencer"),
    (1995, "Early May bank holiday", (5, 8), "Early May bank holiday (VE day)"),
    (1999, None, (12, 31), "Millennium Day"),
    (2002, "Spring bank holiday", (6, 4), "Spring bank holiday"),
    (2002, None, (6, 3), "Golden Jubilee bank holiday"),
    (2011, None, (4, 29), "Wedding of Prince William and Catherine Middleton"),
    (2012, "Spring bank holiday", (6, 4), "Spring bank holiday"),
    (2012, None, (6, 5), "Diamond Jubilee bank holiday"),
    (2020, "Early May bank holiday", (5, 8), "Early May bank holiday (VE day)"),
    (2022, "Spring bank holiday", (6, 2), "Spring bank holiday"),
    (2022, None, (6, 3), "Platinum Jubilee bank holiday"),
    (2022, None, (9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II"),
    (2023, None, (5, 8), "Bank holiday for the coronation of King Charles III"),
]


def year_holidays(y):
    out = {}
    nd, sub = NEW_YEAR_TABLE[datetime.date(y, 1, 1).weekday()]
    out[datetime.date(y, 1, nd)] = NEW_YEAR + (SUB if sub else "")
    easter = easter_carter(y)
    out[easter - datetime.timedelta(days=2)] = "Good Friday"
    out[easter + datetime.timedelta(days=1)] = "Easter Monday"
    moved = {}
    for (oy, rule, (m, d), name) in ONE_OFFS:
        if oy == y:
            if rule:
                moved[rule] = (datetime.date(y, m, d), name)
            else:
                out[datetime.date(y, m, d)] = name
    for rule, date in (("Early May bank holiday", first_monday(y, 5)),
                       ("Spring bank holiday", last_monday(y, 5)),
                       ("Summer bank holiday", last_monday(y, 8))):
        if rule in moved:
            date, name = moved[rule]
        else:
            name = rule
        out[date] = name
    for d, name in CHRISTMAS_TABLE[datetime.date(y, 12, 25).weekday()]:
        out[datetime.date(y, 12, d)] = name
    return out


def main():
    # Known Easter Sundays as a sanity anchor for both methods.
    for known in ("1981-04-19", "2000-04-23", "2008-03-23", "2011-04-24",
                  "2019-04-21", "2038-04-25", "2049-04-18", "2076-04-19"):
        d = datetime.date.fromisoformat(known)
        assert easter_carter(d.year) == d == easter_gauss(d.year), known
    w = sys.stdout.write
    w("# England and Wales bank holidays %d..%d, generated by ew_holidays_oracle.py\n"
      % (FIRST, LAST))
    w("# (an oracle independent of src/core/calendar.c; see that script).\n")
    for y in range(FIRST, LAST + 1):
        assert easter_carter(y) == easter_gauss(y), y
        days = year_holidays(y)
        for d in sorted(days):
            assert d.weekday() < 5, (d, days[d])
            w("%s %s\n" % (d.isoformat(), days[d]))


if __name__ == "__main__":
    main()
