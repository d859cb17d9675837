"""CalDAV sync against a real Radicale server, checked with the `caldav` client.

Needs ANVIL_E2E_BASE_URL (a running `anvil serve` with ANVIL_CALDAV_ALLOW_PRIVATE=1), ANVIL_E2E_RADICALE_URL,
ANVIL_E2E_RADICALE_USER and ANVIL_E2E_RADICALE_PASSWORD. Runs in the Radicale venv (radicale + caldav); talks to
Anvil with the standard library only, since caldav's urllib3-future must not meet the e2e venv's requests.
"""

import json
import os
import sys
import urllib.error
import urllib.request
import uuid

import caldav

BASE = os.environ["ANVIL_E2E_BASE_URL"].rstrip("/")
RADICALE = os.environ["ANVIL_E2E_RADICALE_URL"].rstrip("/") + "/"
DAV_USER = os.environ["ANVIL_E2E_RADICALE_USER"]
DAV_PASSWORD = os.environ["ANVIL_E2E_RADICALE_PASSWORD"]


def api(method, path, body=None, token=None, expect=200):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status != expect:
        sys.exit(f"{method} {path}: expected {expect}, got {status}: {text}")
    return json.loads(text) if text else None


def remote_uids(calendar):
    uids = {}
    for event in calendar.events():
        for line in event.data.splitlines():
            if line.startswith("UID:"):
                uids[line[4:].strip()] = event.data
    return uids


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)


email = f"caldav-{uuid.uuid4().hex[:8]}@example.com"
token = api("POST", "/api/v1/auth/register", {"email": email, "password": "correct horse battery"}, expect=201)[
    "access_token"
]

dav = caldav.DAVClient(url=RADICALE, username=DAV_USER, password=DAV_PASSWORD)
calendar = dav.principal().make_calendar(name=f"anvil-e2e-{uuid.uuid4().hex[:6]}")
calendar_url = str(calendar.url)
print("Radicale calendar:", calendar_url)

account = api(
    "PUT",
    "/api/v1/calendar/caldav",
    {"url": calendar_url, "username": DAV_USER, "password": DAV_PASSWORD},
    token=token,
)
check("password" not in json.dumps(account) and DAV_PASSWORD not in json.dumps(account), "password echoed")

single = api(
    "POST",
    "/api/v1/calendar/events",
    {"title": "Dentist", "start": "2026-12-02T15:00", "end": "2026-12-02T16:00", "time_zone": "Europe/Berlin",
     "location": "Main St. 1, Berlin"},
    token=token,
    expect=201,
)
weekly = api(
    "POST",
    "/api/v1/calendar/events",
    {"title": "Team sync", "start": "2026-12-01T09:00", "end": "2026-12-01T09:30", "time_zone": "Europe/Berlin",
     "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=10", "description": "Weekly; with a semicolon, and commas"},
    token=token,
    expect=201,
)
holiday = api(
    "POST",
    "/api/v1/calendar/events",
    {"title": "Holidays", "start": "2026-12-24", "end": "2026-12-27", "all_day": True, "time_zone": "Europe/Berlin"},
    token=token,
    expect=201,
)

report = api("POST", "/api/v1/calendar/caldav/sync", token=token)
print("first sync:", report)
check(report["pushed"] == 3, f"expected 3 pushed, got {report}")

uids = remote_uids(calendar)
for event in (single, weekly, holiday):
    check(event["uid"] in uids, f"{event['uid']} missing on Radicale: {list(uids)}")
check("RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU" in uids[weekly["uid"]], uids[weekly["uid"]])
check("DTSTART;TZID=Europe/Berlin:20261201T090000" in uids[weekly["uid"]], uids[weekly["uid"]])
check("DTSTART;VALUE=DATE:20261224" in uids[holiday["uid"]], uids[holiday["uid"]])
check(
    "Weekly\\; with a semicolon\\, and commas" in uids[weekly["uid"]].replace("\r\n ", "").replace("\n ", ""),
    uids[weekly["uid"]],
)

calendar.add_event(
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//e2e//EN\r\nBEGIN:VEVENT\r\n"
    "UID:added-in-radicale@example.com\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20261203T140000\r\nDTEND;TZID=Europe/Berlin:20261203T150000\r\n"
    "SUMMARY:Added in Radicale\r\nRRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
report = api("POST", "/api/v1/calendar/caldav/sync", token=token)
print("second sync:", report)
check(report["pulled"] == 1 and report["pushed"] == 0, f"expected 1 pulled, 0 pushed: {report}")

listed = api(
    "GET", "/api/v1/calendar/events?from=2026-11-30T00:00:00Z&to=2026-12-31T00:00:00Z&limit=100", token=token
)
added = [item for item in listed["data"] if item["title"] == "Added in Radicale"]
check(
    [item["local_start"] for item in added] == ["2026-12-03T14:00:00", "2026-12-04T14:00:00"],
    f"Radicale's event not listed as expected: {added}",
)
check(sum(1 for item in listed["data"] if item["title"] == "Team sync") == 5, "weekly occurrences in December")

# Deletions travel both ways.
api("DELETE", f"/api/v1/calendar/events/{single['id']}", token=token, expect=204)
for event in calendar.events():
    if "UID:added-in-radicale@example.com" in event.data:
        event.delete()
report = api("POST", "/api/v1/calendar/caldav/sync", token=token)
print("third sync:", report)
check(report["deleted_remotely"] == 1 and report["deleted_locally"] == 1, f"deletions: {report}")
uids = remote_uids(calendar)
check(single["uid"] not in uids, "the deleted event is still on Radicale")
listed = api(
    "GET", "/api/v1/calendar/events?from=2026-11-30T00:00:00Z&to=2026-12-31T00:00:00Z&limit=100", token=token
)
check(not any(item["title"] == "Added in Radicale" for item in listed["data"]), "remote deletion not applied")

# A change made in Anvil is written back; nothing else moves.
api("PATCH", f"/api/v1/calendar/events/{weekly['id']}", {"title": "Team sync (moved)", "start": "2026-12-01T10:00"},
    token=token)
report = api("POST", "/api/v1/calendar/caldav/sync", token=token)
print("fourth sync:", report)
check(report["pushed"] == 1 and report["pulled"] == 0 and report["updated_locally"] == 0, f"update: {report}")
check("DTSTART;TZID=Europe/Berlin:20261201T100000" in remote_uids(calendar)[weekly["uid"]], "update not on Radicale")

status = api("GET", "/api/v1/calendar/caldav", token=token)
check(status["last_sync_at"] is not None and status["last_error"] is None, f"status: {status}")
check(DAV_PASSWORD not in json.dumps(status), "password in status")
print("caldav sync ok")
