"""Time references (spec §6.2): ``<unit> since <reference date>`` with a unit of the format's list and a reference
date that exists in the declared calendar. Only checked, never converted: cftime does that for Python users."""
import re

CALENDARS = {"standard", "gregorian", "proleptic_gregorian", "noleap", "365_day", "all_leap", "366_day", "360_day", "julian", "none"}
_SYNONYMS = {"gregorian": "standard", "365_day": "noleap", "366_day": "all_leap"}
UNITS = {
    "microseconds", "microsecond", "microsec", "microsecs",
    "milliseconds", "millisecond", "millisec", "millisecs", "msec", "msecs", "ms",
    "seconds", "second", "sec", "secs", "s",
    "minutes", "minute", "min", "mins",
    "hours", "hour", "hr", "hrs", "h",
    "days", "day", "d",
    "months", "month",  # 30 days; any calendar reads them, only converting needs 360_day
    "common_years", "common_year",  # 365 days; converting needs noleap
}  # fmt: skip
_WS = r"\s"  # JavaScript's \s and Python's differ only in a few control and format characters
_UNITS = re.compile(rf"^{_WS}*(\S+){_WS}+(\S+){_WS}+(.*)\Z", re.S)
# [±]Y-M-D[(T|space)h:m[:s[.fraction]]][zone][UTC|GMT]; ASCII digits only.
_REFERENCE = re.compile(
    rf"^([+-]?[0-9]+)-([0-9]{{1,2}})-([0-9]{{1,2}})(?:(?:T|{_WS}+)([0-9]{{1,2}}):([0-9]{{1,2}})(?::([0-9]{{1,2}})(?:\.([0-9]+))?)?)?"
    rf"{_WS}*(Z|UTC|GMT|[+-][0-9]{{1,2}}(?::?[0-9]{{2}})?)?(?:{_WS}*(?:UTC|GMT))?\Z",
    re.I,
)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MAX_SAFE = 2**53 - 1


def is_calendar(name):
    return name.lower() in CALENDARS


def _gregorian_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days_in_month(calendar, year, month):
    """Days of a month; ``standard`` and ``julian`` number years historically (no year 0: −1 is 1 BC, a Julian leap
    year), so their leap rule looks at the astronomical year."""
    if calendar == "360_day":
        return 30
    if month != 2:
        return _MONTH_DAYS[month - 1]
    astronomical = year + 1 if year < 0 else year
    leap = {
        "noleap": False,
        "all_leap": True,
        "proleptic_gregorian": _gregorian_leap(year),
        "julian": astronomical % 4 == 0,
        "standard": _gregorian_leap(astronomical) if astronomical > 1581 else astronomical % 4 == 0,
    }[calendar]
    return 29 if leap else 28


def _date_problem(calendar, year, month, day, hour, minute, second):
    if any(abs(v) > MAX_SAFE for v in (year, month, day, hour, minute, second)):
        return "a field is too large"
    if year == 0 and calendar in ("standard", "julian"):
        return f"there is no year 0 in the {calendar} calendar"
    if not 1 <= month <= 12:
        return f"there is no month {month} in the {calendar} calendar"
    days = _days_in_month(calendar, year, month)
    if not 1 <= day <= days:
        return f"{year}-{month:02d} has {days} days in the {calendar} calendar, not a day {day}"
    if calendar == "standard" and year == 1582 and month == 10 and 4 < day < 15:
        return f"1582-10-{day:02d} falls in the Julian-to-Gregorian switch of the standard calendar"
    if hour > 23:
        return f"hour {hour} is out of range 0-23"
    if minute > 59:
        return f"minute {minute} is out of range 0-59"
    if second > 59:
        return f"second {second} is out of range 0-59"
    return None


def time_reference_problem(units, calendar):
    """Why ``units`` is not a time reference in ``calendar`` (a CF calendar), or None when it is."""
    m = _UNITS.match(units)
    if not m or m.group(2).lower() != "since":
        return "expected '<unit> since <reference date>'"
    if m.group(1).lower() not in UNITS:
        return f"unknown time unit '{m.group(1)}' (use days, hours, minutes, seconds, milliseconds, microseconds, months or common_years)"
    r = _REFERENCE.match(m.group(3).strip())
    if not r:
        return f"cannot read the reference date '{m.group(3).strip()}' (expected e.g. 1970-01-01 00:00:00)"
    fields = [int(r.group(i)) if r.group(i) is not None else 0 for i in range(1, 7)]
    name = calendar.lower()
    # The none calendar has no dates: a date that some CF calendar has (all_leap or 360_day between them) will do.
    names = ["all_leap", "360_day"] if name == "none" else [_SYNONYMS.get(name, name)]
    problems = [_date_problem(n, *fields) for n in names]
    if any(p is None for p in problems):
        return None
    return f"the reference date does not exist: {problems[0]}"
