#!/usr/bin/env python3
"""Writes cftime-cases.json: what cftime's num2date and date2num answer for seeded cases.

Regenerate with `/usr/bin/python3 packages/format/test/time/cftime-cases.py` (Debian: apt-get install python3-cftime).
The cases were made with cftime 1.6.2 and numpy 1.24 on x86-64.
"""
import json
import os
import random
import warnings

import cftime
import numpy as np

warnings.simplefilter("ignore")  # CFWarning for years <= 0 in the real-world calendars
random.seed(20240601)

CALENDARS = ["standard", "gregorian", "proleptic_gregorian", "noleap", "365_day", "all_leap", "366_day", "360_day", "julian"]
RANDOM_UNITS = [
    "days since 1970-01-01", "hours since 1970-01-01 00:00:00", "seconds since 1582-10-15", "minutes since 1582-10-04 12:00",
    "days since 0001-01-01", "hours since 1-1-1 0:0:0", "days since 1850-1-1", "s since 2000-01-01T00:00:00Z",
    "h since 1990-06-15 06:30:00.25", "d since -100-03-01", "days since 1600-02-29 +05:30", "milliseconds since 2000-01-01",
    "microseconds since 1999-12-31 23:59:59", "hr since 1000-01-01 -06:00",
]
EDGE_UNITS = [
    "days since 1582-10-10", "days since 1582-10-04", "days since 1582-10-15", "days since -1-12-31", "days since 0-01-01",
    "seconds since 1970-01-01 00:00:00.123456789", "seconds since 1970-01-01 00:00:00.000001", "hours since 2000-02-30",
    "hours since 2001-02-29", "days since 1900-01-01T12:00:00+0130", "days since 1900-01-01 12:00:00-01",
    "minutes since 1900-13-01", "hours since 1900-01-01 24:00:00", "weeks since 1900-01-01", "months since 2000-01-01",
    "common_years since 2000-01-01", "days after 1900-01-01", "DAYS SINCE 1900-01-01", "days since 1900",
]
EDGE_VALUES = [0, 1, -1, 0.5, -0.5, 1e-6, 1.0000001, 366, -366, 730.25, 1 / 3, 2 / 3, 1e-11, 0.999999999, 59.000011574, -737000.123]


def case(value, units, calendar):
    try:
        date = cftime.num2date(np.float64(value), units, calendar)
    except Exception as error:  # noqa: BLE001 - any refusal is an expected outcome
        return {"value": value, "units": units, "calendar": calendar, "error": str(error)}
    back = cftime.date2num(date, units, calendar)
    return {"value": value, "units": units, "calendar": calendar, "date": str(date), "encoded": float(back)}


def random_value(units):
    kind = random.random()
    if kind < 0.3:
        value = random.randint(-10**6, 10**6)
    elif kind < 0.6:
        value = random.uniform(-1e6, 1e6)
    elif kind < 0.8:
        value = round(random.uniform(-1e5, 1e5), random.randint(0, 3))
    else:
        value = random.uniform(-1e9, 1e9)
    return value * 1000 if units.startswith(("milli", "micro")) else value


cases = [case(random_value(u), u, c) for u, c in ((random.choice(RANDOM_UNITS), random.choice(CALENDARS)) for _ in range(600))]
cases += [case(v, u, c) for u in EDGE_UNITS for c in ["standard", "proleptic_gregorian", "noleap", "360_day", "julian"] for v in EDGE_VALUES[::3]]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cftime-cases.json")
with open(out, "w") as f:
    header = json.dumps({"cftime": cftime.__version__, "numpy": np.__version__})[:-1]
    f.write(header + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n]}\n")
print(f"{len(cases)} cases -> {out}")
