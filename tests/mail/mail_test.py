#!/usr/bin/python3
"""Reminder e-mail end to end: the daemon's mail path (jk_mail_driver: the same Service, outbox,
Mailer and libcurl SMTP as `jaarkalender serve`) against a real SMTP server (aiosmtpd) on
loopback, with the clock in the test's hands.

  mail_test.py DRIVER SOURCE_DIR [scenario ...]     scenarios: year, outage, greylist, catchup, starttls, crash (default: all)

Messages are read with Python's `email` package and their attachments with `icalendar`; the
expected counts are computed here, from plan.json-style events, rules.toml and the school's days,
independently of the C++ schedule.
"""
import datetime as dt
import email
import email.policy
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter
from zoneinfo import ZoneInfo

import icalendar
from aiosmtpd.controller import Controller

AMS = ZoneInfo("Europe/Amsterdam")
BAD_ADDRESS = "bestaat-niet@voorbeeld.invalid"
PUPIL = "Sanne Leerling"  # typed into notes; must never reach a mail
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


class Inbox:
    """An aiosmtpd handler that keeps every message, refuses BAD_ADDRESS with 550 and answers a
    greylisted address with 451 (a temporary refusal) as often as `grey` says."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (rcpt, bytes)
        self.refused = Counter()
        # Greylisting: address → how many more times to answer 451 (None: always).
        self.grey = {}
        self.grey_tries = Counter()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.grey:
            with self.lock:
                self.grey_tries[address] += 1
                left = self.grey[address]
                if left is None or left > 0:
                    if left is not None:
                        self.grey[address] = left - 1
                    return "451 4.7.1 Greylisted, probeer het over enkele minuten opnieuw"
        if address == BAD_ADDRESS:
            with self.lock:
                self.refused[address] += 1
            return "550 5.1.1 Mailbox bestaat niet"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for r in envelope.rcpt_tos:
                self.messages.append((r, envelope.content))
        return "250 Message accepted"

    def count(self):
        with self.lock:
            return len(self.messages)

    def parsed(self):
        with self.lock:
            msgs = list(self.messages)
        return [(r, email.message_from_bytes(b, policy=email.policy.default)) for r, b in msgs]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Smtp:
    def __init__(self, inbox, port):
        self.inbox, self.port, self.controller = inbox, port, None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


class Driver:
    def __init__(self, exe, db, calendars, port, start, rate=None, starttls=False):
        args = [exe, db, calendars, f"smtp://127.0.0.1:{port}", str(rate or 10000)] + \
            (["starttls"] if starttls else [])
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.p.stdin.write(f"now {start}\n")
        self.p.stdin.flush()
        assert json.loads(self.p.stdout.readline())["ready"]

    def __call__(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        out = json.loads(self.p.stdout.readline())
        if "error" in out:
            raise RuntimeError(f"{line}: {out['error']}")
        return out

    def send_only(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def close(self):
        if self.p.poll() is None:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
            self.p.wait(timeout=30)


def epoch(day, hh=7, mm=0, ss=30):
    return int(dt.datetime.combine(day, dt.time(hh, mm, ss), AMS).timestamp())


def date(s):
    return dt.date.fromisoformat(s[:10])


def school_people(folder):
    with open(os.path.join(folder, "school.toml"), "rb") as f:
        school = tomllib.load(f)
    return {p["id"]: p for p in school["person"]}


def rule_offsets(folder):
    with open(os.path.join(folder, "rules.toml"), "rb") as f:
        rules = tomllib.load(f)
    return {r["id"]: r.get("remind_days_before", []) for r in rules["rule"]}


class Days:
    """The school's days as the driver reports them; the send-day logic is rebuilt here."""

    def __init__(self, rows, quiet=()):
        self.staff = {date(d) for d, staff, _ in rows if staff}
        self.school = {date(d) for d, _, school in rows if school}
        self.first = date(rows[0][0])
        self.last = date(rows[-1][0])

    def send_day(self, d):
        return d in self.staff

    def send_on_or_before(self, d):
        for i in range(21):
            if self.send_day(d - dt.timedelta(days=i)):
                return d - dt.timedelta(days=i)
        for i in range(21):
            c = d - dt.timedelta(days=i)
            if c.weekday() < 5:
                return c
        return d

    def grace(self, end):
        c = end + dt.timedelta(days=1)
        while c not in self.school and c <= self.last:
            c += dt.timedelta(days=1)
        return c


def recipients(e, people):
    ids = []
    for pid in e["attendees"] + e.get("optional_attendees", []):
        if pid not in ids and people.get(pid, {}).get("email"):
            ids.append(pid)
    return ids


def check_message(rcpt, m, source):
    """Headers a mail client expects, both parts, the attachment, Dutch, no pupil data."""
    for h in ("Date", "Message-ID", "From", "To", "Subject", "List-Unsubscribe"):
        check(m[h] is not None, f"{source}: header {h}")
    check(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", f"{source}: one-click")
    check(m["To"].addresses[0].addr_spec == rcpt, f"{source}: To is the recipient")
    body_text = m.get_body(preferencelist=("plain",))
    body_html = m.get_body(preferencelist=("html",))
    check(body_text is not None and body_html is not None, f"{source}: text and HTML parts")
    text = body_text.get_content()
    html = body_html.get_content()
    check(text.startswith("Beste "), f"{source}: Dutch greeting")
    check("/mail/uit/" in text and "/mail/uit/" in html, f"{source}: unsubscribe link")
    raw = m.as_string()
    check(PUPIL not in text and PUPIL not in html and PUPIL not in raw, f"{source}: no pupil data")
    ics = [p for p in m.iter_attachments() if p.get_content_type() == "text/calendar"]
    # A reminder or a change carries the event to import; a cancelled event carries none.
    if source.startswith(("reminder", "late reminder", "change")):
        cancelled = str(m["Subject"]).startswith("Geannuleerd")
        check(len(ics) == (0 if cancelled else 1),
              f"{source}: " + ("no event attached" if cancelled else "the event attached"))
    if ics:
        cal = icalendar.Calendar.from_ical(ics[0].get_content())
        check(str(cal.get("METHOD")) == "PUBLISH", f"{source}: METHOD:PUBLISH")
        events = [c for c in cal.walk("VEVENT")]
        check(len(events) == 1, f"{source}: one event")
        ev = events[0]
        check(str(ev["UID"]).startswith("mail-"), f"{source}: its own UID")
        check("ORGANIZER" not in ev and "ATTENDEE" not in ev, f"{source}: not an invitation")
        check(PUPIL not in ics[0].get_content(), f"{source}: no pupil data in the attachment")
    return text


def example(src, work, name, edit=None):
    """A copy of the example school (edited by `edit(school_toml_text)`) and a running SMTP
    server: (calendars folder, school folder, inbox, smtp, port)."""
    cal = os.path.join(work, f"{name}-cal")
    folder = os.path.join(cal, "voorbeeldschool")
    shutil.copytree(os.path.join(src, "calendars", "voorbeeldschool"), folder)
    if edit:
        path = os.path.join(folder, "school.toml")
        text = open(path, encoding="utf-8").read()
        open(path, "w", encoding="utf-8").write(edit(text))
    inbox, port = Inbox(), free_port()
    smtp = Smtp(inbox, port)
    smtp.start()
    return cal, folder, inbox, smtp, port


def year(driver_exe, src, work):
    """A whole school year, day by day: every reminder, overdue notice and digest, once."""
    cal, folder, inbox, smtp, port = example(src, work, "year")
    start_day = dt.date(2026, 8, 3)
    d = Driver(driver_exe, os.path.join(work, "year.db"), cal, port, epoch(start_day, 0, 0, 0))
    try:
        days = Days(d("days voorbeeldschool")["days"])
        events = d("events voorbeeldschool")["events"]
        people = school_people(folder)
        offsets = rule_offsets(folder)
        d(f"now {epoch(start_day, 0, 0, 0)}")
        d("tick")  # the first scan only sets the cursor
        # Two events are forgotten: a klassenconsultatie and a groepsbespreking, resolved 20
        # days after their date.
        forgotten = {}
        for rule in ("klassenconsultatie", "groepsbespreking"):
            e = next(e for e in events if e["rule"] == rule and e["status"] == "planned"
                     and date(e["start"]) > dt.date(2026, 10, 1) and e.get("owner"))
            forgotten[e["uid"]] = date(e["start"]) + dt.timedelta(days=20)
        by_day = {}
        for e in events:
            by_day.setdefault(date(e["end"]) if e["all_day"] else date(e["start"]), []).append(e)
        end_day = days.last + dt.timedelta(days=7)
        day = start_day
        noted = 0
        while day <= end_day:
            d(f"now {epoch(day)}")
            d("tick")
            d(f"now {epoch(day, 18, 0, 0)}")
            for e in by_day.get(day, []):
                if e["uid"] in forgotten or e["kind"] == "test_period":
                    continue
                note = f" Besproken met {PUPIL} erbij" if noted < 5 else ""
                noted += 1
                check(d(f"change voorbeeldschool {e['uid']} done{note}")["status"] == 200,
                      f"done {e['uid']}")
            for uid, when in forgotten.items():
                if when == day:
                    d(f"change voorbeeldschool {uid} done")
            d("tick")
            day += dt.timedelta(days=1)
        received = inbox.parsed()
        kinds = Counter()
        for rcpt, m in received:
            subject = m["Subject"]
            kind = ("reminder" if subject.startswith("Herinnering") else
                    "overdue" if subject.startswith("Nog af te ronden") else
                    "digest" if subject.startswith("Weekoverzicht") else "other")
            kinds[kind] += 1
            check_message(rcpt, m, f"{kind} to {rcpt}")

        # Expected, from the plan and the rules.
        exp_reminders = 0
        for e in events:
            if e["kind"] != "rule":
                continue
            for off in offsets.get(e["rule"], []):
                exp_reminders += len(recipients(e, people))
        # Overdue lists: one message per owner and send day. An event is in the list of its
        # first notice day (the first send day after its grace day), then in the weekly list
        # (the week's first send day) while it is open; marked at 18:00, the 07:00 list of that
        # day still has it.
        def week_first_send_day(c):
            monday = c - dt.timedelta(days=c.weekday())
            return next((monday + dt.timedelta(days=i) for i in range(5)
                         if days.send_day(monday + dt.timedelta(days=i))), None)
        lists = set()
        for uid, resolved in forgotten.items():
            e = next(e for e in events if e["uid"] == uid)
            first = days.grace(date(e["end"])) + dt.timedelta(days=1)
            while not days.send_day(first) and first <= days.last:
                first += dt.timedelta(days=1)
            c = first
            while c <= min(resolved, days.last):
                if c == first or (days.send_day(c) and week_first_send_day(c) == c):
                    lists.add((e["owner"], c))
                c += dt.timedelta(days=1)
        exp_overdue = len(lists)
        digest_people = [p for p in people.values() if p.get("email") and
                         {"ib", "schoolleider", "bestuurder"} & set(p.get("roles", []))]
        weeks = 0
        monday = start_day - dt.timedelta(days=start_day.weekday())
        while monday <= end_day:
            if any(days.send_day(monday + dt.timedelta(days=i)) for i in range(5)):
                weeks += 1
            monday += dt.timedelta(days=7)
        exp_digests = weeks * len(digest_people)
        print(f"year: received {dict(kinds)}; expected reminder={exp_reminders} "
              f"overdue={exp_overdue} digest={exp_digests}", flush=True)
        check(kinds["reminder"] == exp_reminders, "reminders match the plan")
        check(kinds["overdue"] == exp_overdue, "overdue notices match")
        check(exp_overdue >= 3, "the forgotten events were in several lists")
        check(kinds["digest"] == exp_digests, "digests: one per staff week per person")
        check(kinds["other"] == 0, "no other mail")
        ids = Counter(m["Message-ID"] for _, m in received)
        check(all(n == 1 for n in ids.values()), "every message once")
        counts = d("counts")
        check(counts.get("pending", 0) == 0 and counts.get("failed", 0) == 0,
              f"outbox settled: {counts}")
    finally:
        d.close()
        smtp.stop()


def outage(driver_exe, src, work):
    """Moves and cancellations at once; the SMTP server down for a day; a refused address."""
    # One teacher's address is refused by the server: Gijs, who attends the first event of
    # the coming days in the example's plan (its change notice is refused).
    cal, folder, inbox, smtp, port = example(
        src, work, "outage",
        lambda t: t.replace('email = "gijs.deboer@voorbeeld.nl"', f'email = "{BAD_ADDRESS}"'))
    day = dt.date(2026, 10, 5)
    d = Driver(driver_exe, os.path.join(work, "outage.db"), cal, port, epoch(day, 6, 0, 0))
    try:
        people = school_people(folder)
        d("tick")
        events = d("events voorbeeldschool")["events"]
        soon = [e for e in events if e["kind"] == "rule" and not e["all_day"] and
                day + dt.timedelta(days=2) <= date(e["start"]) <= day + dt.timedelta(days=10)]
        moved, cancelled = soon[0], soon[1]
        target = date(moved["start"]) + dt.timedelta(days=1)
        while target.weekday() >= 5:
            target += dt.timedelta(days=1)
        d(f"now {epoch(day, 10, 0, 0)}")
        check(d(f"change voorbeeldschool {moved['uid']} move {target} "
                f"{moved['start'][11:16]}")["status"] == 200, "move")
        check(d(f"change voorbeeldschool {cancelled['uid']} cancel {PUPIL} is ziek")["status"]
              == 200, "cancel")
        d("send")
        exp_change = len(recipients(moved, people)) + len(recipients(cancelled, people))
        bad = sum(1 for e in (moved, cancelled) for p in recipients(e, people)
                  if people[p]["email"] == BAD_ADDRESS)
        changes = [(r, m) for r, m in inbox.parsed()
                   if m["Subject"].startswith(("Verplaatst", "Geannuleerd"))]
        print(f"outage: {len(changes)} change notices, expected {exp_change - bad}", flush=True)
        check(len(changes) == exp_change - bad, "change notices to every attendee")
        for r, m in changes:
            check_message(r, m, f"change to {r}")

        # The server goes down for a day: reminders fail and are retried.
        smtp.stop()
        before = inbox.count()
        nxt = day + dt.timedelta(days=1)
        for hour in range(7, 24):
            d(f"now {epoch(nxt, hour, 0, 30)}")
            d("tick")
        for hour in range(0, 8):
            d(f"now {epoch(nxt + dt.timedelta(days=1), hour, 0, 30)}")
            d("tick")
        pending = d("counts").get("pending", 0)
        check(pending > 0, f"messages wait while the server is down ({pending})")
        smtp.start()
        for minutes in range(0, 130, 10):
            d(f"now {epoch(nxt + dt.timedelta(days=1), 8 + minutes // 60, minutes % 60, 30)}")
            d("send")
        counts = d("counts")
        print(f"outage: after the outage {counts}, received {inbox.count() - before}",
              flush=True)
        check(counts.get("pending", 0) == 0, "everything delivered after the outage")
        ids = Counter(m["Message-ID"] for _, m in inbox.parsed())
        check(all(n == 1 for n in ids.values()), "nothing twice after the outage")
        failed = d("failed")["failed"]
        check(len(failed) >= 1 and all(f["address"] == BAD_ADDRESS for f in failed),
              f"the refused address is failed: {failed}")
        # (Attempts also count connection failures during the outage; after the 550 it is not
        # tried again, which the server's count of refusals shows.)
        check(inbox.refused[BAD_ADDRESS] == len(failed), "the server saw each refusal once")
    finally:
        d.close()
        smtp.stop()


def greylist(driver_exe, src, work):
    """Temporary refusals (451, greylisting) are tried again with a growing pause, delivered once
    the server takes them, and given up ('failed') only after retry_hours (48) of trying."""
    cal, folder, inbox, smtp, port = example(src, work, "greylist")
    day = dt.date(2026, 10, 5)
    d = Driver(driver_exe, os.path.join(work, "greylist.db"), cal, port, epoch(day, 6, 0, 0))
    try:
        people = school_people(folder)
        d("tick")  # the cursor; from here on only "send": no scan adds other mail
        events = d("events voorbeeldschool")["events"]
        moved = next(e for e in events if e["kind"] == "rule" and not e["all_day"] and
                     len(recipients(e, people)) >= 2 and
                     day + dt.timedelta(days=2) <= date(e["start"]) <= day + dt.timedelta(days=10))
        addresses = sorted(people[p]["email"] for p in recipients(moved, people))
        forever, later = addresses[0], addresses[1:]
        inbox.grey = {forever: None, **{a: 3 for a in later}}
        target = date(moved["start"]) + dt.timedelta(days=1)
        while target.weekday() >= 5:
            target += dt.timedelta(days=1)
        t0 = epoch(day, 10, 0, 0)
        d(f"now {t0}")
        check(d(f"change voorbeeldschool {moved['uid']} move {target} "
                f"{moved['start'][11:16]}")["status"] == 200, "greylist: move")
        tries = {a: [] for a in addresses}  # the driver's clock at each attempt the server saw

        def step(t):
            d(f"now {t}")
            d("send")
            for a in addresses:
                while len(tries[a]) < inbox.grey_tries[a]:
                    tries[a].append(t)

        for t in range(t0, t0 + 3600, 10):
            step(t)
        for a in later:
            delivered = sum(1 for r, m in inbox.parsed() if r == a)
            check(delivered == 1 and inbox.grey_tries[a] == 4,
                  f"greylist: {a} delivered once, at the fourth try ({delivered}, "
                  f"{inbox.grey_tries[a]} tries)")
        # The pause grows: 60 s << attempts, less up to half of it at random (10 s steps).
        gaps = [b - a for a, b in zip(tries[forever], tries[forever][1:])]
        check(len(gaps) >= 4 and all(30 * 2**k - 10 <= g <= 60 * 2**k + 10
                                     for k, g in enumerate(gaps[:5])),
              f"greylist: the pauses double ({gaps[:6]})")
        t = t0 + 3600
        while t < t0 + 46 * 3600:
            step(t)
            t += 60
        failed = [f for f in d("failed")["failed"] if f["address"] == forever]
        waiting = d("waiting")["waiting"]
        check(not failed and waiting and all("451" in w["error"] for w in waiting),
              f"greylist: after 46 hours still waiting, not failed ({failed}, {waiting[:1]})")
        gaps = [b - a for a, b in zip(tries[forever], tries[forever][1:])]
        check(max(gaps) <= 3600 + 60, f"greylist: at least once an hour ({max(gaps)} s)")
        while t < t0 + 49 * 3600:
            step(t)
            t += 60
        failed = [f for f in d("failed")["failed"] if f["address"] == forever]
        check(len(failed) == 1 and "opgegeven na 48 uur" in failed[0]["error"] and
              "451" in failed[0]["error"],
              f"greylist: given up after 48 hours, saying why ({failed})")
        last = tries[forever][-1]
        check(t0 + 47 * 3600 <= last <= t0 + 48 * 3600 + 60,
              f"greylist: the last try within the 48th hour ({(last - t0) / 3600:.2f} h)")
        check(not any(r == forever for r, _ in inbox.parsed()),
              "greylist: nothing delivered to the address that never took it")
        print(f"greylist: {len(tries[forever])} tries in 48 hours; the first pauses "
              f"{[b - a for a, b in zip(tries[forever], tries[forever][1:])][:7]} s", flush=True)
    finally:
        d.close()
        smtp.stop()


def catchup(driver_exe, src, work):
    """A stopped daemon catches up: a reminder that fell due while it was down is still sent,
    marked late, unless its event has begun; only the newest per event and person."""
    cal, folder, inbox, smtp, port = example(src, work, "catchup")
    db = os.path.join(work, "catchup.db")
    stop_at = epoch(dt.date(2026, 11, 2), 6, 0, 0)
    try:
        d = Driver(driver_exe, db, cal, port, stop_at)
        d("tick")  # sets the cursor, then the daemon is down
        days = Days(d("days voorbeeldschool")["days"])
        events = d("events voorbeeldschool")["events"]
        d.close()
        # Down until three hours after the last reminder of the first event after the stop that
        # is timed in the afternoon: that reminder comes late (nothing later is still to come),
        # the earlier ones of events further ahead are left to their on-time successors.
        offs = rule_offsets(folder)
        restart_at = None
        for e in sorted(events, key=lambda e: e["start"]):
            if e["kind"] != "rule" or e["all_day"] or not offs.get(e["rule"]):
                continue
            starts = int(dt.datetime.fromisoformat(e["start"]).timestamp())
            last = epoch(days.send_on_or_before(date(e["start"]) -
                                                dt.timedelta(days=min(offs[e["rule"]]))), 7, 0, 0)
            if last > stop_at + 86400 and last + 3 * 3600 < starts:
                restart_at = last + 3 * 3600
                break
        check(restart_at is not None, "an event whose last reminder falls in the stop")
        d = Driver(driver_exe, db, cal, port, restart_at)
        d("tick")
        d.close()
        people = school_people(folder)
        offsets = rule_offsets(folder)
        expected = set()
        for e in events:
            if e["kind"] != "rule" or e["all_day"]:
                continue
            starts = int(dt.datetime.fromisoformat(e["start"]).timestamp())
            if starts <= restart_at:
                continue
            for off in offsets.get(e["rule"], []):
                due = epoch(days.send_on_or_before(date(e["start"]) - dt.timedelta(days=off)),
                            7, 0, 0)
                # A late reminder is not sent beside a later one of the same event that is
                # still to come: that one says it on time.
                later = any(restart_at < epoch(days.send_on_or_before(
                    date(e["start"]) - dt.timedelta(days=o)), 7, 0, 0) < starts
                    for o in offsets.get(e["rule"], []) if o != off)
                if stop_at < due <= restart_at and due < starts and not later:
                    for p in recipients(e, people):
                        expected.add((e["title"], people[p]["email"]))
        reminders = [(r, m) for r, m in inbox.parsed() if "Herinnering" in m["Subject"]]
        got = Counter((m["Subject"].split("Herinnering: ")[1].rsplit(" (", 1)[0], r)
                      for r, m in reminders)
        print(f"catchup: {len(reminders)} late reminders, expected {len(expected)}", flush=True)
        check(len(expected) > 0, "the scenario has reminders that fell due while down")
        check(set(got) == expected, "the late reminders are those whose event is still ahead")
        check(all(n == 1 for n in got.values()), "one per event and person")
        check(all(m["Subject"].startswith("[later verstuurd]") for _, m in reminders),
              "marked as late")
        for r, m in reminders:
            text = check_message(r, m, f"late reminder to {r}")
            check("later dan gepland" in text, "the text says it is late")
    finally:
        smtp.stop()


def big_school(folder, staff, meetings=1, day="2026-11-26"):
    """A school with `staff` people who all attend `meetings` meetings on one day."""
    os.makedirs(folder, exist_ok=True)
    persons = "".join(
        f'[[person]]\nid = "p{i:05d}"\nname = "Medewerker {i}"\n'
        f'email = "p{i:05d}@voorbeeld.nl"\nworks = ["ma", "di", "wo", "do", "vr"]\n'
        + ('roles = ["ib"]\n' if i == 0 else "") + "\n" for i in range(staff))
    open(os.path.join(folder, "school.toml"), "w").write(
        '[school]\nid = "groot"\nname = "Grote School"\nregion = "midden"\n'
        'school_year = "2026-2027"\n\n[school.hours]\nma = "08:30-14:30"\ndi = "08:30-14:30"\n'
        'wo = "08:30-12:15"\ndo = "08:30-14:30"\nvr = "08:30-14:30"\n\n' + persons +
        '[[group]]\nid = "groep-1"\nname = "Groep 1"\ngrades = [1]\n'
        'teachers = [{ person = "p00000", days = ["ma", "di", "wo", "do", "vr"] }]\n')
    rules = "".join(
        f'[[rule]]\nid = "studiemiddag-{k}"\ntitle = "Studiemiddag {k}"\nfor_each = "school"\n'
        f'attendees = ["all_staff"]\nminutes = 30\nslot = "{15 + k // 2:02d}:{30 * (k % 2):02d}"\n'
        f'dates = ["{day}"]\nremind_days_before = [1]\n\n' for k in range(meetings))
    open(os.path.join(folder, "rules.toml"), "w").write(rules)


def starttls(driver_exe, src, work):
    """STARTTLS is required by default: a server that does not offer it gets nothing, and the
    messages wait (retried) with the reason, instead of going out in plain text."""
    cal = os.path.join(work, "tls-cal")
    big_school(os.path.join(cal, "groot"), 3)
    inbox, port = Inbox(), free_port()
    smtp = Smtp(inbox, port)
    smtp.start()
    day = dt.date(2026, 11, 25)
    try:
        d = Driver(driver_exe, os.path.join(work, "tls.db"), cal, port, epoch(day, 6, 0, 0),
                   starttls=True)
        d("tick")
        d(f"now {epoch(day)}")
        d("tick")
        waiting = d("waiting")["waiting"]
        d.close()
        print(f"starttls: {len(waiting)} waiting; {waiting[0]['error'] if waiting else ''}",
              flush=True)
        check(inbox.count() == 0, "nothing sent without STARTTLS")
        check(len(waiting) == 3, "the messages wait for a retry")
        check(all("SSL" in w["error"] or "TLS" in w["error"] for w in waiting),
              "the reason names TLS")
    finally:
        smtp.stop()


def crash(driver_exe, src, work):
    """kill -9 in the middle of a batch of 500, then a restart: all arrive, at most one twice."""
    cal = os.path.join(work, "crash-cal")
    big_school(os.path.join(cal, "groot"), 500)
    inbox, port = Inbox(), free_port()
    smtp = Smtp(inbox, port)
    smtp.start()
    db = os.path.join(work, "crash.db")
    day = dt.date(2026, 11, 25)
    try:
        d = Driver(driver_exe, db, cal, port, epoch(day, 6, 0, 0), rate=250)
        d("tick")
        d(f"now {epoch(day)}")
        d.send_only("tick")
        while inbox.count() < 150:
            time.sleep(0.01)
        d.p.send_signal(signal.SIGKILL)
        d.p.wait()
        at_kill = inbox.count()
        print(f"crash: killed after {at_kill} of 500", flush=True)
        check(at_kill < 500, "killed in the middle of the batch")
        d = Driver(driver_exe, db, cal, port, epoch(day, 7, 1, 0))
        d("tick")
        d.close()
        per = Counter(r for r, _ in inbox.messages)
        missing = 500 - len(per)
        dups = sum(n - 1 for n in per.values())
        print(f"crash: {len(per)} recipients, {dups} duplicate(s)", flush=True)
        check(missing == 0, f"every message arrives ({missing} missing)")
        check(dups <= 1, f"at most one duplicate per kill ({dups})")
    finally:
        smtp.stop()


def main():
    driver_exe, src = sys.argv[1], sys.argv[2]
    scenarios = sys.argv[3:] or ["year", "outage", "greylist", "catchup", "starttls", "crash"]
    work = tempfile.mkdtemp(prefix="jk-mail-")
    try:
        for s in scenarios:
            t = time.time()
            globals()[s](driver_exe, src, work)
            print(f"{s}: {time.time() - t:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("all mail checks passed")


if __name__ == "__main__":
    main()
