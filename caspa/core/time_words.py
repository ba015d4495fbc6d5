"""Times as a person reads them, in GOV.UK style: "7am", "1:15pm", "midday", "midnight", and
a moment relative to today: "at 7am tomorrow, 3 December 2026"."""

from datetime import date, datetime, timedelta


def time_of_day(moment: datetime) -> str:
    """`moment`'s time of day: "7am", "1:15pm", "midday", "midnight"."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def date_in_words(day: date) -> str:
    """ "2 December 2026": a date as GOV.UK writes it."""
    return f"{day:%-d %B %Y}"


def day_in_words(day: date, today: date) -> str:
    """ "today, 2 December 2026", "tomorrow, 3 December 2026", or "on Friday 4 December 2026"."""
    if day == today:
        return f"today, {date_in_words(day)}"
    if day == today + timedelta(days=1):
        return f"tomorrow, {date_in_words(day)}"
    return f"on {day:%A} {date_in_words(day)}"


def moment_in_words(moment: datetime, today: date) -> str:
    """ "at 7am tomorrow, 3 December 2026": `moment` in local time, `today` the local date."""
    return f"at {time_of_day(moment)} {day_in_words(moment.date(), today)}"
