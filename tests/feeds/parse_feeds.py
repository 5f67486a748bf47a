#!/usr/bin/python3
"""Reads every feed under OUT/feeds with python3-icalendar (Debian) and checks it against
OUT/plan.json: every timed event is zoned (not floating) at the right instant, all-day events
use the exclusive DTEND, and each feed holds exactly the events it should.

usage: /usr/bin/python3 parse_feeds.py OUT [OUT ...]
"""
import datetime
import json
import pathlib
import sys

import icalendar

CLOSURE_CATEGORIES = {"vakantie", "feestdag", "studiedag", "vrij"}


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def instant(iso):
    """plan.json's '2026-10-06T09:15:00+02:00' as an aware datetime."""
    return datetime.datetime.fromisoformat(iso)


def check_raw(path, data):
    if b"\n" in data.replace(b"\r\n", b""):
        fail(f"{path}: a line ends without CR")
    for n, line in enumerate(data.split(b"\r\n"), 1):
        if len(line) > 75:
            fail(f"{path}:{n}: line of {len(line)} octets")
        line.decode("utf-8")  # raises on a split sequence


def expected_uids(plan, feed, people, groups):
    """Which events of plan.json a feed should hold (from the contract, independently)."""
    kind = feed.parent.name if feed.parent.name != "feeds" else "school"
    ident = feed.stem
    out = set()
    teaches = {g["id"]: g for g in groups}
    for e in plan["events"]:
        if e["status"] == "cancelled":
            continue
        everyone = set(e["attendees"]) | set(e["optional_attendees"])
        if kind == "school":
            if e["visibility"] == "all":
                out.add(e["uid"])
        elif kind == "person":
            if e["kind"] == "test_period":
                if any(e["rule"] in g["periods"] and ident in g["teachers"] for g in groups):
                    out.add(e["uid"])
            elif ident in everyone:
                out.add(e["uid"])
        elif kind == "role":
            if e["kind"] != "test_period" and any(ident in people.get(p, ()) for p in everyone):
                out.add(e["uid"])
        elif kind == "group":
            if e["visibility"] != "all":
                continue
            if e["kind"] == "test_period":
                if e["rule"] in teaches.get(ident, {}).get("periods", ()):
                    out.add(e["uid"])
            elif e["kind"] == "test_session":
                if e["group"] == ident:
                    out.add(e["uid"])
            elif e["subject"] == ident:
                out.add(e["uid"])
    return out


def staff_names(out):
    """The names of the people in the school.toml beside plan.json, when there is one."""
    names = []
    for toml in list(out.glob("**/school.toml")) + list(out.parent.glob("**/school.toml")):
        table = ""
        for line in toml.read_text("utf-8").splitlines():
            line = line.strip()
            if line.startswith("["):
                table = line
            elif table == "[[person]]" and line.startswith('name = "'):
                names.append(line[8:line.index('"', 8)])
    return names


def check(out_dir):
    out = pathlib.Path(out_dir)
    plan = json.loads((out / "plan.json").read_text("utf-8"))
    by_uid = {e["uid"]: e for e in plan["events"]}
    # Which group takes which test periods and who teaches it: from the test sessions in
    # plan.json. (Role feeds are parsed and checked per event, not for membership: roles are
    # not in plan.json.)
    people = {}
    groups_periods = {}
    group_teachers = {}
    for e in plan["events"]:
        if e["kind"] == "test_session":
            groups_periods.setdefault(e["group"], set()).add(e["rule"])
            group_teachers.setdefault(e["group"], set()).update(e["attendees"])
    groups = [{"id": g, "periods": groups_periods.get(g, set()), "teachers": group_teachers.get(g, set())}
              for g in set(groups_periods) | {p.stem for p in (out / "feeds" / "group").glob("*.ics")}]
    feeds = sorted((out / "feeds").rglob("*.ics"))
    if not feeds:
        fail(f"{out}: no feeds")
    n_events = 0
    closures_in = {}
    for feed in feeds:
        data = feed.read_bytes()
        check_raw(feed, data)
        cal = icalendar.Calendar.from_ical(data)
        for key in ("VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE",
                    "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            if key not in cal:
                fail(f"{feed}: no {key}")
        tzs = [c for c in cal.walk("VTIMEZONE")]
        if len(tzs) != 1 or str(tzs[0]["TZID"]) != "Europe/Amsterdam":
            fail(f"{feed}: expected one VTIMEZONE Europe/Amsterdam")
        seen = set()
        for ev in cal.walk("VEVENT"):
            n_events += 1
            uid = str(ev["UID"])
            for key in ("DTSTAMP", "SEQUENCE", "SUMMARY", "DTSTART", "DTEND", "STATUS", "LAST-MODIFIED", "CATEGORIES"):
                if key not in ev:
                    fail(f"{feed}: {uid} has no {key}")
            start = ev.decoded("DTSTART")
            end = ev.decoded("DTEND")
            cats = ev["CATEGORIES"]
            cat = str(cats.cats[0]) if hasattr(cats, "cats") else str(cats)
            if feed.name == "jaarrooster.ics" and cat == "schooldag":
                # The parents' first and last school day: all-day markers, not in plan.json.
                if isinstance(start, datetime.datetime) or str(ev.get("TRANSP", "")) != "TRANSPARENT":
                    fail(f"{feed}: the school day marker {uid} should be all-day and transparent")
                continue
            if feed.name == "jaarrooster.ics" and uid in by_uid:
                fail(f"{feed}: the parents' jaarrooster has a staff event {uid}")
            if uid not in by_uid:
                # Closed days are in every feed (all-day, transparent), not in plan.json's events.
                if cat not in CLOSURE_CATEGORIES:
                    fail(f"{feed}: {uid} is not in plan.json")
                if str(ev.get("TRANSP", "")) != "TRANSPARENT" or isinstance(start, datetime.datetime):
                    fail(f"{feed}: closed day {uid} should be all-day and transparent")
                closures_in.setdefault(feed, set()).add(uid)
                continue
            seen.add(uid)
            e = by_uid[uid]
            if e["all_day"]:
                if isinstance(start, datetime.datetime):
                    fail(f"{feed}: {uid} should be a date")
                if start.isoformat() != e["start"]:
                    fail(f"{feed}: {uid} starts {start}, plan says {e['start']}")
                if (end - datetime.timedelta(days=1)).isoformat() != e["end"]:
                    fail(f"{feed}: {uid} DTEND is not the exclusive end of {e['end']}")
            else:
                if not isinstance(start, datetime.datetime) or start.tzinfo is None:
                    fail(f"{feed}: {uid} DTSTART is floating")
                if start != instant(e["start"]) or end != instant(e["end"]):
                    fail(f"{feed}: {uid} {start}..{end} differs from plan {e['start']}..{e['end']}")
                if start.utcoffset() != instant(e["start"]).utcoffset():
                    fail(f"{feed}: {uid} offset {start.utcoffset()} differs from the plan")
            if int(ev["SEQUENCE"]) != e["sequence"] or str(ev["SUMMARY"]) != e["title"]:
                fail(f"{feed}: {uid} SEQUENCE or SUMMARY differs from the plan")
        if feed.parent.name in ("person", "group") or feed.name == "school.ics":
            want = expected_uids(plan, feed, people, groups)
            missing = want - seen
            extra = seen - want
            if feed.parent.name == "person":
                # A teacher's test periods follow from the groups they teach, which plan.json
                # shows only through test sessions; compare the rest.
                extra = {u for u in extra if by_uid[u]["kind"] != "test_period"}
                missing = {u for u in missing if by_uid[u]["kind"] != "test_period"}
            if missing or extra:
                fail(f"{feed}: missing {sorted(missing)[:3]} extra {sorted(extra)[:3]}")
    # The parents' jaarrooster names nobody: no staff name, no rule title.
    rooster = out / "feeds" / "jaarrooster.ics"
    if rooster.exists():
        text = rooster.read_bytes().decode("utf-8").replace("\r\n ", "")
        for e in plan["events"]:
            if e["kind"] == "rule" and e["title"] in text:
                fail(f"{rooster}: names a staff event ({e['title']})")
        for name in staff_names(out):
            if name in text:
                fail(f"{rooster}: names {name}")
        if "SUMMARY:Eerste schooldag" not in text or "SUMMARY:Laatste schooldag" not in text:
            fail(f"{rooster}: the first and last school day")
    # Every feed has the same closed days as the school feed.
    school_closures = next((v for f, v in closures_in.items() if f.name == "school.ics"), set())
    if plan.get("closures") and not school_closures:
        fail(f"{out}: the school feed has no closed days")
    for feed in feeds:
        if closures_in.get(feed, set()) != school_closures:
            fail(f"{feed}: its closed days differ from the school feed's")
    print(f"python3-icalendar {icalendar.__version__}: {len(feeds)} feeds, {n_events} events in {out} OK")


if __name__ == "__main__":
    for d in sys.argv[1:]:
        check(d)
