#!/usr/bin/env python3
"""Parses iCalendar objects with Debian's python3-icalendar, as a calendar client would.

Input (stdin, JSON): a list of items, each {"raw": "<a whole email (MIME)>"} or {"ics": "<an
iCalendar object>"}. Output (stdout, JSON): per item, what the parser read: the calendar's METHOD
and X-WR-CALNAME, the VTIMEZONE TZIDs, and per VEVENT its UID, SEQUENCE, STATUS, SUMMARY,
DESCRIPTION, DTSTART/DTEND (ISO with offset) and their TZID; for an email, the text/calendar
part's bytes too (so a test compares them with what was stored). A parse error fails the run.
"""
import email
import json
import sys

from icalendar import Calendar


def calendar_part(raw):
    message = email.message_from_string(raw)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_payload(decode=True).decode("utf-8")
    raise ValueError("no text/calendar part in the message")


def read(ics):
    calendar = Calendar.from_ical(ics)
    events = []
    for event in calendar.walk("VEVENT"):
        start = event.get("DTSTART")
        end = event.get("DTEND")
        events.append(
            {
                "uid": str(event.get("UID")),
                "sequence": int(event.get("SEQUENCE", 0)),
                "status": str(event.get("STATUS")) if event.get("STATUS") else None,
                "summary": str(event.get("SUMMARY")),
                "description": str(event.get("DESCRIPTION")) if event.get("DESCRIPTION") else None,
                "start": start.dt.isoformat(),
                "end": end.dt.isoformat(),
                "tzid": start.params.get("TZID"),
                "endTzid": end.params.get("TZID"),
                "stamp": event.get("DTSTAMP").dt.isoformat(),
                "organizer": str(event.get("ORGANIZER")) if event.get("ORGANIZER") else None,
                "attendees": [str(a) for a in (event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list) else [event.get("ATTENDEE")] if event.get("ATTENDEE") else [])],
            }
        )
    return {
        "method": str(calendar.get("METHOD")) if calendar.get("METHOD") else None,
        "name": str(calendar.get("X-WR-CALNAME")) if calendar.get("X-WR-CALNAME") else None,
        "timezones": [str(tz.get("TZID")) for tz in calendar.walk("VTIMEZONE")],
        "events": events,
    }


def main():
    out = []
    for item in json.load(sys.stdin):
        ics = calendar_part(item["raw"]) if "raw" in item else item["ics"]
        parsed = read(ics)
        parsed["ics"] = ics
        out.append(parsed)
    json.dump(out, sys.stdout)


main()
