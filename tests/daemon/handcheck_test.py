#!/usr/bin/python3
"""Overdue, compliance and cycle timeliness over a school year, against figures checked by hand.

The real daemon runs on loopback with its clock set by `--now`; each step of the year restarts it
at a later moment on the same SQLite file, records what the school did through the API (moves,
held, cancelled) and compares the three views with numbers counted by hand on the calendar of
tests/daemon/handcheck (regio midden 2026-2027), written out beside each expectation.

The school's figures (held of expected, overdue by kind, cycle on time, consultations, what
cannot be planned) are counted by hand as well, and compared in every place they are shown:
`/figures`, the schoolleider's and the bestuur's pages, and the weekly digests of the IB'er,
the schoolleider and the bestuurder (mail mode log: the .eml files the daemon writes).

usage: handcheck_test.py JAARKALENDER SOURCE_DIR
"""
import email
import email.policy
import glob
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from testlib import wait_for_port  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
SCHOOL = "handcheck"
WORK = tempfile.mkdtemp(prefix="jk-handcheck-")
CONFIG = os.path.join(WORK, "jk.toml")
MAIL = os.path.join(WORK, "mail")

passed = 0
failures = []


def check(name, got, expected):
    global passed
    if got == expected:
        passed += 1
    else:
        failures.append(f"{name}: got {got!r}, expected {expected!r}")
        print(f"FAIL: {failures[-1]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


TOKENS = {}


class Daemon:
    """`jaarkalender serve --now MOMENT` on a free port, stopped with SIGTERM."""

    def __init__(self, now):
        self.now = now
        self.log_path = os.path.join(WORK, f"serve-{now.replace(':', '')}.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([BIN, "serve", "--config", CONFIG, "--now", now],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.port = wait_for_port(self.log_path, self.proc, 10, f"the daemon at {now}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        if self.proc.wait(timeout=20) != 0:
            failures.append(f"daemon at {self.now} stopped with {self.proc.returncode}")
        self.log.close()

    def call(self, method, path, token, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/v1{path}", data=data,
                                     method=method)
        req.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def get(self, path, token):
        status, body = self.call("GET", f"/schools/{SCHOOL}{path}", token)
        if status != 200:
            raise SystemExit(f"FAIL: GET {path} at {self.now}: {status} {body}")
        return body

    def page(self, path, person):
        """A page as `person` sees it, signed in with a link made by the CLI."""
        link = subprocess.run([BIN, "login-link", "--config", CONFIG, SCHOOL, person, "--now",
                               self.now], check=True, capture_output=True, text=True).stdout
        sign_in = urllib.request.Request(
            f"http://127.0.0.1:{self.port}" + urllib.parse.urlparse(link.strip()).path,
            data=b"", method="POST")
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(sign_in, timeout=10)
            raise SystemExit(f"FAIL: signing in {person} at {self.now} did not redirect")
        except urllib.error.HTTPError as e:
            if e.code != 303:
                raise SystemExit(f"FAIL: signing in {person} at {self.now}: {e.code}")
            cookie = e.headers["Set-Cookie"].split(";")[0]
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        req.add_header("Cookie", cookie)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode()

    def change(self, uid, action, token, body=None, expect=200):
        status, answer = self.call("POST", f"/schools/{SCHOOL}/events/{uid}/{action}", token,
                                   body if body is not None else {})
        check(f"{self.now} {action} {uid[:8]} {body}", status, expect)
        return answer


def overdue(d, token, owner=None):
    """(rule, subject, occurrence, due, school days overdue, owner), oldest first."""
    items = d.get("/overdue" + (f"?owner={owner}" if owner else ""), token)
    return [(o["event"]["rule"], o["event"].get("subject"), o["event"]["occurrence"], o["due"],
             o["school_days_overdue"], o["owner"]) for o in items]


def compliance(d, token):
    """subject → (held, planned, overdue, unplannable, cancelled, [status per window])."""
    rules = {r["rule"]: r for r in d.get("/compliance", token)}
    return {s["subject"]: (s["held"], s["planned"], s["overdue"], s["unplannable"], s["cancelled"],
                           [c["status"] for c in s["occurrences"]])
            for s in rules["klassenconsultatie"]["subjects"]}


def timeliness(d, token):
    """period → (on_time, due, share, {(rule, subject): (status, days late, deadline)})."""
    out = {}
    for p in d.get("/timeliness", token):
        cells = {(c["rule"], c["subject"]): (c["status"], c["days_late"], c.get("deadline"))
                 for c in p["cells"]}
        out[p["period"]] = (p["on_time"], p["due"], p["share_on_time"], cells)
    return out


class Figures:
    """The school's figures at one moment, counted by hand: held of what was expected by now,
    overdue by kind, cycle steps on time of those due, and klassenconsultaties held of required
    (tara, wout and vera twice each: 6 all year, vera's 2 unplannable but still required). Six
    things cannot be planned all year: vera's two consultations (no IB'er on Friday), groep 5's
    two groepsbesprekingen (wout and vera never share a day) and the two leerlingenbesprekingen
    that follow them."""

    def __init__(self, held, consultatie=0, bespreking=0, toets=0, cycle=(0, 0), consulted=0):
        self.held, self.cycle, self.consulted = held, cycle, consulted
        self.by = {"consultatie": consultatie, "bespreking": bespreking, "toets": toets}
        self.overdue = consultatie + bespreking + toets
        self.expected = held + self.overdue

    @staticmethod
    def share(part, whole):
        """share_nl: "3 van 4 (75%)", rounded half up; "nog niets te beoordelen" for 0 of 0."""
        if whole == 0:
            return "nog niets te beoordelen"
        return f"{part} van {whole} ({(part * 100 + whole // 2) // whole}%)"


def text_of(page):
    """A page's visible text on one line: tags out, entities decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def check_figures(d, when, want, mail=True):
    """/figures, the schoolleider's and the bestuur's pages and, when a digest is due at this
    start, the three digests: each against the figures counted by hand."""
    f = d.get("/figures", TOKENS["sander"])
    check(f"/figures on {when}", (
        f["overdue"], {k: f["overdue_by_category"][k] for k in want.by},
        f["overdue_by_category"]["taak"] + f["overdue_by_category"]["vergadering"] +
        f["overdue_by_category"]["overleg"],
        (f["cycle"]["on_time"], f["cycle"]["due"]),
        (f["consultations"]["held"], f["consultations"]["required"]),
        (f["counted"]["held"], f["counted"]["required"]),
        f["held_by_now"], f["expected_by_now"], f["unplanned"]),
        (want.overdue, want.by, 0, want.cycle, (want.consulted, 6), (want.consulted, 6),
         want.held, want.expected, 6))
    cycle = Figures.share(*want.cycle)
    held = Figures.share(want.held, want.expected)
    lead = text_of(d.page("/schoolleider", "sander"))
    check(f"schoolleider's page on {when}",
          re.search(r"Vandaag, [^:]+: (.*?) achterstallig\.", lead).group(1),
          f"cyclus op tijd {cycle}; gehouden van wat tot nu toe verwacht werd {held}; "
          f"{want.overdue}")
    board = d.page("/bestuur", "bea")
    row = re.search(r"<tr><th scope=\"row\"><a [^>]*>Basisschool De Telling</a>.*?</th>(.*?)</tr>",
                    board)
    cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row.group(1))]
    check(f"bestuur's page on {when}", cells,
          [cycle, f"{want.consulted} van 6", held, str(want.overdue), str(want.by["consultatie"]),
           str(want.by["bespreking"]), str(want.by["toets"]), "0", "6"])
    if not mail:
        return
    by = want.by
    overdue_line = f"Achterstallig: {want.overdue}" + (
        f" (consultaties {by['consultatie']}, besprekingen {by['bespreking']}, toetsen "
        f"{by['toets']}, overig 0)" if want.overdue else "")
    lines = {
        "iris": [f"Achterstallig: {want.overdue}\n"],
        "sander": [f"Alle toetsperioden samen: {cycle}\n",
                   f"Gehouden van wat tot nu toe verwacht werd: {held}; achterstallig: "
                   f"{want.overdue}\n"],
        "bea": [f"Cyclus op tijd: {cycle}\n",
                f"Klassenconsultaties gehouden: {want.consulted} van 6\n",
                f"Gehouden van wat tot nu toe verwacht werd: {held}\n", overdue_line + "\n",
                "Niet in te plannen: 6\n"],
    }
    for who, texts in digests(d, when).items():
        for text in texts:
            missing = [line for line in lines[who] if line not in text]
            check(f"{who}'s digest on {when}", missing, [])
            if missing:
                print(text)


SEEN_MAIL = set()


def digests(d, when):
    """person → the texts of the digests this start of the daemon wrote for them: every week's
    digest since the last start is composed now, with today's figures. Waits until each of the
    three has one and nothing is left in the outbox."""
    deadline = time.time() + 20
    fresh = {}
    while time.time() < deadline:
        fresh = {who: sorted(f for f in glob.glob(os.path.join(MAIL, f"*-digest-{who}.eml"))
                             if f not in SEEN_MAIL) for who in ("iris", "sander", "bea")}
        if all(fresh.values()) and d.get("/mail?state=pending", TOKENS["iris"]) == []:
            break
        time.sleep(0.05)
    else:
        failures.append(f"the digests of {when} were not all written: {fresh}")
    out = {}
    for who, files in fresh.items():
        SEEN_MAIL.update(files)
        out[who] = []
        for name in files:
            with open(name, "rb") as fh:
                m = email.message_from_binary_file(fh, policy=email.policy.default)
            out[who].append(m.get_body(preferencelist=("plain",)).get_content())
    return out


def main():
    os.makedirs(os.path.join(WORK, "calendars"))
    shutil.copytree(os.path.join(SRC, "tests/daemon/handcheck"),
                    os.path.join(WORK, "calendars", SCHOOL))
    with open(CONFIG, "w") as f:
        f.write('[server]\nlisten = "127.0.0.1"\nport = 0\nthreads = 2\n'
                '[store]\nsqlite = "var/jk.db"\n[calendars]\nfolder = "calendars"\n'
                '[mail]\nmode = "log"\nfolder = "mail"\nmax_per_second = 1000\n')

    def token(person):
        return subprocess.run([BIN, "token", "--config", CONFIG, SCHOOL, person], check=True,
                              capture_output=True, text=True).stdout.strip()

    iris, sander, tara = token("iris"), token("sander"), token("tara")  # IB'er, leider, teacher
    TOKENS.update(iris=iris, sander=sander)

    # --- 1 September 2026: the IB'er fixes the year's dates -------------------------------
    d = Daemon("2026-09-01T08:00")
    uid = {}
    for e in d.get("/events", iris):
        uid[(e["rule"], e.get("subject"), e["occurrence"])] = e["uid"]
    kc = lambda who, n: uid[("klassenconsultatie", who, n)]
    gb = lambda n: uid[("groepsbespreking", "groep-4", n)]
    lb = lambda n: uid[("leerlingenbespreking", "groep-4", n)]
    toets = lambda period, group: uid[(period, group, 1)]

    def move(u, date, start):
        d.change(u, "move", iris, {"date": date, "start": start})

    move(kc("tara", 1), "2026-10-06", "09:00")  # a Tuesday: Tara teaches, Iris works
    move(kc("wout", 1), "2026-11-10", "10:00")
    move(kc("tara", 2), "2027-03-09", "09:00")
    move(kc("wout", 2), "2027-03-10", "09:00")
    move(toets("midden", "groep-4"), "2027-01-19", "09:00")
    move(toets("midden", "groep-5"), "2027-01-22", "09:00")  # Friday: Vera's day
    move(toets("eind", "groep-4"), "2027-06-08", "09:00")
    move(toets("eind", "groep-5"), "2027-06-10", "09:00")  # Thursday: Wout's day
    move(gb(1), "2027-02-08", "15:00")
    # The leerlingenbespreking must follow within 10 school days of 8 February: 9–12 Feb (4),
    # 15–19 Feb (9), voorjaarsvakantie, 1 March (10). Tuesday 2 March is too late: refused with
    # the reason, then forced by the IB'er.
    refused = d.change(lb(1), "move", iris, {"date": "2027-03-02", "start": "15:00"}, expect=409)
    check("refused move names a conflict", bool(refused.get("conflicts")), True)
    d.change(lb(1), "move", iris, {"date": "2027-03-02", "start": "15:00", "force": True})
    move(gb(2), "2027-06-22", "15:00")
    move(lb(2), "2027-07-01", "15:00")

    check("overdue on 1 Sep", overdue(d, iris), [])
    vera = ("unplannable", "unplannable")
    check("compliance on 1 Sep", compliance(d, iris), {
        "tara": (0, 2, 0, 0, 0, ["planned", "planned"]),
        "wout": (0, 2, 0, 0, 0, ["planned", "planned"]),
        "vera": (0, 0, 0, 2, 0, list(vera)),
    })
    reasons = [c.get("reason", "") for r in d.get("/compliance", iris)
               for s in r["subjects"] if s["subject"] == "vera" for c in s["occurrences"]]
    check("vera's reason", all("geen IB'er werkt op vr" in r for r in reasons), True)
    # Deadlines: midden ends Fri 29 Jan; 10 school days after it, the studiedag of Wed 3 Feb not
    # counted: 1, 2, 4, 5 Feb (4), 8–12 Feb (9), Mon 15 Feb (10). Eind ends Fri 11 Jun: 14–18
    # (5), 21–25 Jun (10). The leerlingenbespreking counts from its groepsbespreking: from Mon 8
    # Feb to Mon 1 Mar (above); from Tue 22 Jun: 23–25 (3), 28 Jun–2 Jul (8), 5–6 Jul (10).
    pending = lambda deadline: ("pending", 0, deadline)

    def cells(groepsbespreking, leerlingenbespreking, deadline):
        """A test period's three cells: groep 4's two steps, and groep 5's that cannot be."""
        return {("groepsbespreking", "groep-4"): groepsbespreking,
                ("leerlingenbespreking", "groep-4"): leerlingenbespreking,
                ("groepsbespreking", "groep-5"): ("unplannable", 0, deadline)}
    check("timeliness on 1 Sep", timeliness(d, sander), {
        "midden": (0, 0, None, cells(pending("2027-02-15"), pending("2027-03-01"), "2027-02-15")),
        "eind": (0, 0, None, cells(pending("2027-06-25"), pending("2027-07-06"), "2027-06-25")),
    })
    check("a teacher may not read compliance",
          d.call("GET", f"/schools/{SCHOOL}/compliance", tara)[0], 403)
    # Figures on the first day: nothing expected yet; everything moved is still ahead. The
    # first start only sets the mail cursor: no digest.
    check_figures(d, "1 Sep", Figures(held=0), mail=False)
    d.stop()

    # --- Wed 7 Oct: Tuesday's consultation is in its grace day --------------------------
    d = Daemon("2026-10-07T12:00")
    # Figures: nothing held or overdue yet; no cycle step due; 0 of 6 consultations.
    check_figures(d, "7 Oct", Figures(held=0))
    check("overdue on 7 Oct", overdue(d, iris), [])
    d.stop()

    # --- Thu 8 Oct: one school day overdue, owned by the IB'er; Tara sees it too ----------
    d = Daemon("2026-10-08T12:00")
    # Figures: tara's consultation is the one overdue (and the one expected) thing. No Monday
    # since yesterday's start, so no digest.
    check_figures(d, "8 Oct", Figures(held=0, consultatie=1), mail=False)
    item = ("klassenconsultatie", "tara", 1, "2026-10-07", 1, "iris")
    check("overdue on 8 Oct", overdue(d, iris), [item])
    check("overdue on 8 Oct, Tara", overdue(d, tara), [item])
    check("overdue on 8 Oct, owner iris", overdue(d, iris, owner="iris"), [item])
    check("overdue on 8 Oct, owner sander", overdue(d, iris, owner="sander"), [])
    check("compliance on 8 Oct", compliance(d, iris)["tara"],
          (0, 1, 1, 0, 0, ["overdue", "planned"]))
    d.stop()

    # --- Mon 26 Oct, after the herfstvakantie (17–25 Oct): 8 Oct, 9 Oct, 12–16 Oct, 26 Oct
    # are 8 school days. The IB'er records that it was held on the 6th after all. -----------
    d = Daemon("2026-10-26T09:00")
    # Figures, before the IB'er records it: still tara's consultation, 0 held of 1 expected.
    check_figures(d, "26 Oct", Figures(held=0, consultatie=1))
    check("overdue on 26 Oct", overdue(d, iris),
          [("klassenconsultatie", "tara", 1, "2026-10-07", 8, "iris")])
    d.change(kc("tara", 1), "done", iris, {"held_on": "2026-10-06", "note": "Goede instructie"})
    check("overdue on 26 Oct, after done", overdue(d, iris), [])
    check("compliance on 26 Oct", compliance(d, iris)["tara"],
          (1, 1, 0, 0, 0, ["held", "planned"]))
    d.stop()

    # --- Thu 12 Nov: Wout's consultation of Tuesday 10 Nov is overdue; it is cancelled ------
    d = Daemon("2026-11-12T09:00")
    # Figures: tara's first consultation held (1 of 6); wout's overdue: 1 held of 2 expected.
    check_figures(d, "12 Nov", Figures(held=1, consultatie=1, consulted=1))
    check("overdue on 12 Nov", overdue(d, iris),
          [("klassenconsultatie", "wout", 1, "2026-11-11", 1, "iris")])
    d.change(kc("wout", 1), "cancel", iris, {"reason": "Wout ziek, niet ingehaald"})
    check("overdue on 12 Nov, after cancel", overdue(d, iris), [])
    check("compliance on 12 Nov", compliance(d, iris)["wout"],
          (0, 1, 0, 0, 1, ["cancelled", "planned"]))
    d.stop()

    # --- Mon 1 Feb: both midden toets sessions unrecorded. Tue 19 Jan: grace Wed 20, then
    # 21, 22, 25–29 Jan and 1 Feb = 8. Fri 22 Jan: grace Mon 25, then 26–29 Jan, 1 Feb = 5. ---
    d = Daemon("2027-02-01T09:00")
    # Figures: wout's first consultation was cancelled (not expected any more); the two midden
    # sessions are overdue toetsen: 1 held of 3 expected; no cycle deadline passed yet.
    check_figures(d, "1 Feb", Figures(held=1, toets=2, consulted=1))
    check("overdue on 1 Feb", overdue(d, iris), [
        ("midden", "groep-4", 1, "2027-01-20", 8, "tara"),
        ("midden", "groep-5", 1, "2027-01-25", 5, "vera")])
    check("overdue on 1 Feb, owner tara", overdue(d, iris, owner="tara"),
          [("midden", "groep-4", 1, "2027-01-20", 8, "tara")])
    d.change(toets("midden", "groep-4"), "done", tara)  # the teacher records her own
    d.change(toets("midden", "groep-5"), "done", iris)
    check("overdue on 1 Feb, after done", overdue(d, iris), [])
    check("timeliness on 1 Feb", timeliness(d, iris)["midden"][:3], (0, 0, None))
    d.stop()

    # --- Tue 16 Feb: the groepsbespreking of Mon 8 Feb was not recorded: grace Tue 9, then
    # 10, 11, 12, 15, 16 Feb = 5 school days overdue; against its deadline (Mon 15 Feb) it is
    # 1 school day late. Recorded as held on the 8th: on time. ----------------------------------
    d = Daemon("2027-02-16T09:00")
    # Figures: held are tara's consultation and both midden sessions (3); the groepsbespreking
    # is overdue (4 expected) and is the one cycle step due, not on time: 0 of 1.
    check_figures(d, "16 Feb", Figures(held=3, bespreking=1, cycle=(0, 1), consulted=1))
    check("overdue on 16 Feb", overdue(d, iris),
          [("groepsbespreking", "groep-4", 1, "2027-02-09", 5, "iris")])
    check("timeliness on 16 Feb", timeliness(d, iris)["midden"], (0, 1, 0.0, cells(
        ("overdue", 1, "2027-02-15"), pending("2027-03-01"), "2027-02-15")))
    d.change(gb(1), "done", iris, {"held_on": "2027-02-08"})
    check("timeliness on 16 Feb, after done", timeliness(d, iris)["midden"][:3], (1, 1, 1.0))
    d.stop()

    # --- Thu 4 Mar: the forced leerlingenbespreking of Tue 2 Mar: grace Wed 3, so 1 school
    # day overdue. In the cycle view it is 2, 3 and 4 Mar = 3 school days past its deadline (Mon
    # 1 Mar). Held on the 2nd: late by 1 school day (2 Mar). ---------------------------------
    d = Daemon("2027-03-04T09:00")
    # Figures: 4 held (+ the groepsbespreking, on time); the leerlingenbespreking overdue, 5
    # expected; cycle: 1 on time of 2 due.
    check_figures(d, "4 Mar", Figures(held=4, bespreking=1, cycle=(1, 2), consulted=1))
    check("overdue on 4 Mar", overdue(d, iris),
          [("leerlingenbespreking", "groep-4", 1, "2027-03-03", 1, "iris")])
    check("timeliness on 4 Mar", timeliness(d, iris)["midden"], (1, 2, 0.5, cells(
        ("on_time", 0, "2027-02-15"), ("overdue", 3, "2027-03-01"), "2027-02-15")))
    d.change(lb(1), "done", iris)
    check("timeliness on 4 Mar, after done", timeliness(d, iris)["midden"], (1, 2, 0.5, cells(
        ("on_time", 0, "2027-02-15"), ("late", 1, "2027-03-01"), "2027-02-15")))
    d.stop()

    # --- Thu 11 Mar: Tara's second consultation (Tue 9 Mar) is 1 school day overdue; Wout's
    # (Wed 10 Mar) is in its grace day. --------------------------------------------------------
    d = Daemon("2027-03-11T09:00")
    # Figures: 5 held (+ the leerlingenbespreking, late); tara's second consultation overdue.
    check_figures(d, "11 Mar", Figures(held=5, consultatie=1, cycle=(1, 2), consulted=1))
    check("overdue on 11 Mar", overdue(d, iris),
          [("klassenconsultatie", "tara", 2, "2027-03-10", 1, "iris")])
    d.change(kc("tara", 2), "done", iris)
    check("compliance on 11 Mar", compliance(d, iris), {
        "tara": (2, 0, 0, 0, 0, ["held", "held"]),
        "wout": (0, 1, 0, 0, 1, ["cancelled", "planned"]),
        "vera": (0, 0, 0, 2, 0, list(vera)),
    })
    d.stop()

    # --- Mon 14 Jun: Wout's consultation, grace Thu 11 Mar, is 57 school days overdue:
    # March 12, 15–19, 22–25 (Goede Vrijdag), 30–31 (2e Paasdag) = 12; April 1–2, 5–23 = 17
    # (meivakantie from the 24th); May 3, 4, 7 (Bevrijdingsdag, Hemelvaart), 10–14, 18–21
    # (2e Pinksterdag), 24–28, 31 = 18; June 1–4, 7–11, 14 = 10. The eind toets of Tue 8 Jun:
    # grace Wed 9, then 10, 11, 14 = 3. Thu 10 Jun: grace Fri 11, then 14 = 1. ----------------
    d = Daemon("2027-06-14T09:00")
    # Figures: 6 held (+ tara's second consultation: 2 of 6); wout's second consultation and
    # the two eind sessions overdue, 9 expected; the eind deadline (25 Jun) is still ahead.
    check_figures(d, "14 Jun", Figures(held=6, consultatie=1, toets=2, cycle=(1, 2),
                                       consulted=2))
    check("overdue on 14 Jun", overdue(d, iris), [
        ("klassenconsultatie", "wout", 2, "2027-03-11", 57, "iris"),
        ("eind", "groep-4", 1, "2027-06-09", 3, "tara"),
        ("eind", "groep-5", 1, "2027-06-11", 1, "wout")])
    check("compliance on 14 Jun", compliance(d, sander)["wout"],
          (0, 0, 1, 0, 1, ["cancelled", "overdue"]))
    d.change(toets("eind", "groep-4"), "done", tara)
    d.change(toets("eind", "groep-5"), "done", iris)
    check("timeliness on 14 Jun", timeliness(d, sander)["eind"][:3], (0, 0, None))
    d.stop()

    # --- Thu 24 Jun: the groepsbespreking of Tue 22 Jun, grace Wed 23, is 1 school day overdue,
    # but its cycle deadline (Fri 25 Jun) is still ahead: 0 days past it. Wout's consultation:
    # 57 + 15–18 and 21–24 Jun = 65. ----------------------------------------------------------
    d = Daemon("2027-06-24T09:00")
    # Figures: 8 held (+ both eind sessions); wout's consultation and the groepsbespreking
    # overdue, 10 expected; cycle: the eind groepsbespreking is due and not on time: 1 of 3.
    check_figures(d, "24 Jun", Figures(held=8, consultatie=1, bespreking=1, cycle=(1, 3),
                                       consulted=2))
    check("overdue on 24 Jun", overdue(d, iris), [
        ("klassenconsultatie", "wout", 2, "2027-03-11", 65, "iris"),
        ("groepsbespreking", "groep-4", 2, "2027-06-23", 1, "iris")])
    check("timeliness on 24 Jun", timeliness(d, sander)["eind"], (0, 1, 0.0, cells(
        ("overdue", 0, "2027-06-25"), pending("2027-07-06"), "2027-06-25")))
    d.stop()

    # --- Tue 29 Jun: the groepsbespreking of Tue 22 Jun: grace Wed 23, then 24, 25, 28, 29 =
    # 4 overdue; 2 school days past its deadline (Fri 25 Jun). Wout's consultation: 57 + 15–18,
    # 21–25, 28–29 Jun = 68. Recorded as held today: late by 2; its leerlingenbespreking, moved
    # by hand to Thu 1 Jul, stays there and now counts from 29 Jun: 30 Jun–2 Jul (3), 5–9 Jul
    # (8), 12–13 Jul (10). --------------------------------------------------------------------
    d = Daemon("2027-06-29T09:00")
    # Figures: as on 24 Jun (nothing recorded since).
    check_figures(d, "29 Jun", Figures(held=8, consultatie=1, bespreking=1, cycle=(1, 3),
                                       consulted=2))
    check("overdue on 29 Jun", overdue(d, iris), [
        ("klassenconsultatie", "wout", 2, "2027-03-11", 68, "iris"),
        ("groepsbespreking", "groep-4", 2, "2027-06-23", 4, "iris")])
    check("timeliness on 29 Jun", timeliness(d, sander)["eind"], (0, 1, 0.0, cells(
        ("overdue", 2, "2027-06-25"), pending("2027-07-06"), "2027-06-25")))
    d.change(gb(2), "done", iris, {"held_on": "2027-06-29"})
    check("timeliness on 29 Jun, after done", timeliness(d, sander)["eind"], (0, 1, 0.0, cells(
        ("late", 2, "2027-06-25"), pending("2027-07-13"), "2027-06-25")))
    lb2 = d.get(f"/events/{lb(2)}", iris)
    check("the hand-moved leerlingenbespreking stays", (lb2["start"][:10], lb2["status"]),
          ("2027-07-01", "moved"))
    d.stop()

    # --- Fri 16 Jul, the last school day: the leerlingenbespreking of Thu 1 Jul, grace Fri 2
    # Jul, is 5–9 and 12–16 Jul = 10 overdue, 14–16 Jul = 3 past its deadline (Tue 13 Jul).
    # Wout's consultation: 68 + 30 Jun–2 Jul (3) + 10 = 81. The year's figures: --------------
    d = Daemon("2027-07-16T09:00")
    # Figures: 9 held (+ the eind groepsbespreking, late); wout's consultation and the eind
    # leerlingenbespreking overdue, 11 expected; cycle 1 of 4 (25%): midden's groepsbespreking
    # was the only step on time.
    check_figures(d, "16 Jul", Figures(held=9, consultatie=1, bespreking=1, cycle=(1, 4),
                                       consulted=2))
    check("overdue on 16 Jul", overdue(d, iris), [
        ("klassenconsultatie", "wout", 2, "2027-03-11", 81, "iris"),
        ("leerlingenbespreking", "groep-4", 2, "2027-07-02", 10, "iris")])
    check("timeliness on 16 Jul", timeliness(d, sander), {
        "midden": (1, 2, 0.5, cells(
            ("on_time", 0, "2027-02-15"), ("late", 1, "2027-03-01"), "2027-02-15")),
        "eind": (0, 2, 0.0, cells(
            ("late", 2, "2027-06-25"), ("overdue", 3, "2027-07-13"), "2027-06-25")),
    })
    check("compliance on 16 Jul", compliance(d, sander), {
        "tara": (2, 0, 0, 0, 0, ["held", "held"]),
        "wout": (0, 0, 1, 0, 1, ["cancelled", "overdue"]),
        "vera": (0, 0, 0, 2, 0, list(vera)),
    })
    d.stop()

    # The IB'er's note stays inside: in no log of the year's daemons.
    logs = "".join(open(f, errors="replace").read()
                   for f in glob.glob(os.path.join(WORK, "serve-*.log")))
    check("the daemons logged the year", logs.count("luistert op"), 13)
    check("no log holds the note", "Goede instructie" in logs, False)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        if os.environ.get("JK_KEEP_WORK"):
            print("work folder:", WORK)
        else:
            shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(code)
