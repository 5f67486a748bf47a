#!/usr/bin/python3
"""Several daemons on one PostgreSQL (docs/deploy.md), end to end with the real binary: a
throw-away cluster (tests/support/pg_cluster.sh), two `jaarkalender serve` processes on one
database, a real SMTP server (aiosmtpd).

  cluster_test.py JAARKALENDER SOURCE_DIR

1. migrate-store copies the example school's SQLite store; counts compared; source untouched.
2. Both daemons serve the same feed bytes and ETags; a change made on one is served by the other
   within a second; a staff change is planned once (the other reads the plan).
3. A subscription made in the pages of one daemon works on both; the session, and the link shown
   once after the redirect, work on the other daemon.
4. The write limit holds across the daemons.
5. The database restarted during concurrent writes: every 2xx write is there afterwards.
6. The database away: feeds still served, writes 503 with Retry-After, /readyz says why.
7. 500 messages in the outbox, both daemons sending, one killed with SIGKILL mid-batch: every
   message arrives, at most one twice.
"""
import hashlib
import http.client
import json
import os
import re
import sqlite3
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from testlib import eventually  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
# A 409 that says another daemon changed the school at the same moment (a lost race).
CONFLICT = "conflict"
SCHOOL = "voorbeeldschool"
PG = os.path.join(SRC, "tests", "support", "pg_cluster.sh")
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)
    if not ok:
        failures.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, folder):
        self.dir = folder
        subprocess.run([PG, "start", folder], check=True)
        with open(os.path.join(folder, "conninfo")) as f:
            self.admin = f.read().strip()

    def sql(self, sql, db="postgres"):
        out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1",
                              self.admin.replace("dbname=postgres", "dbname=" + db), "-c", sql],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr)
        return out.stdout.strip()

    def conninfo(self, db):
        # Without the password: the daemon reads it from password_file.
        return re.sub(r" password=\S+", "", self.admin).replace("dbname=postgres", "dbname=" + db)

    def action(self, what):
        subprocess.run([PG, what, self.dir], check=True)

    def stop(self):
        subprocess.run([PG, "stop", self.dir])


class Daemon:
    def __init__(self, name, work, config):
        self.name = name
        self.log = os.path.join(work, name + ".log")
        self.proc = subprocess.Popen([BIN, "serve", "--config", config],
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        self.port = None
        for _ in range(300):
            with open(self.log) as f:
                m = re.search(r"luistert op http://127\.0\.0\.1:(\d+)", f.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(name + " did not start:\n" + open(self.log).read())

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k: v for k, v in r.getheaders()}, data

    def api(self, method, path, token, body=None):
        headers = {"Authorization": "Bearer " + token}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        return self.request(method, "/api/v1" + path, body, headers)

    def text(self):
        with open(self.log) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)


def config(work, name, store, mail=None):
    path = os.path.join(work, name + ".toml")
    mail = mail or 'mode = "off"'
    with open(path, "w") as f:
        f.write(f"""[server]
listen = "127.0.0.1"
port = 0
public_url = "http://localhost:8080"
[store]
{store}
[calendars]
folder = "{os.path.join(SRC, 'calendars')}"
[mail]
{mail}
""")
    return path


def cli(*args):
    out = subprocess.run([BIN, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{args}: {out.stderr}")
    return out.stdout.strip()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def feed(d, token):
    status, headers, body = d.request("GET", "/feeds/" + token + ".ics")
    return status, headers.get("ETag"), body


def sign_in(d, person, cfg):
    link = cli("login-link", "--config", cfg, SCHOOL, person)
    path = urllib.parse.urlparse(link).path
    host = f"127.0.0.1:{d.port}"
    status, headers, _ = d.request("POST", path, "", {"Origin": "http://" + host, "Host": host})
    return headers.get("Set-Cookie", "").split(";")[0]


def first_uids(d, token, n):
    _, _, body = feed(d, token)
    return re.findall(r"^UID:(\S+)", body.decode(), re.M)[:n]


# ---- 1: moving over ----------------------------------------------------------------------------
def migrate(work, cluster):
    sqlite_cfg = config(work, "sqlite", 'sqlite = "jk.db"')
    school_link = cli("subscribe", "--config", sqlite_cfg, SCHOOL, "school").splitlines()[0]
    token = school_link.rsplit("/", 1)[1][:-4]
    api = cli("token", "--config", sqlite_cfg, SCHOOL, "anna")
    d = Daemon("sqlite", work, sqlite_cfg)
    uid = first_uids(d, token, 1)[0]
    status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{uid}/cancel", api, {"reason": "ziek"})
    check("a change on the SQLite daemon", status == 200, status)
    _, etag_sqlite, body_sqlite = feed(d, token)
    d.stop()
    db = os.path.join(work, "jk.db")
    before = sha256(db)
    # An independent reader of the source: its tables from the schema itself, and their rows.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    schema_tables = {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    source_rows = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                   for t in schema_tables}
    con.close()
    cluster.sql("CREATE DATABASE jk")
    out = subprocess.run([BIN, "migrate-store", "--config", sqlite_cfg, "--to",
                          cluster.conninfo("jk"), "--password-file",
                          os.path.join(cluster.dir, "password")],
                         capture_output=True, text=True)
    check("migrate-store succeeds", out.returncode == 0, out.stderr)
    counts = dict(re.findall(r"^(\w+): (\d+) → \d+$", out.stdout, re.M))
    # Every table of the schema is copied, but these (said why).
    not_copied = {"leases": "a daemon's claim on periodic work for a few seconds; a new database "
                            "starts without"}
    copied = schema_tables - set(not_copied)
    check("migrate-store copies every table of the schema but the named exceptions",
          copied == set(counts), f"schema {sorted(copied)} vs copied {sorted(counts)}")
    for table in sorted(copied):
        n = int(cluster.sql(f"SELECT count(*) FROM {table}", "jk"))
        check(f"{table}: {n} rows in PostgreSQL, {source_rows[table]} in the SQLite file",
              n == source_rows[table], out.stdout)
    for table in ["input_versions", "plans", "event_changes", "subscriptions", "api_tokens",
                  "audit_log"]:
        check(f"{table} has rows to copy", source_rows[table] > 0, str(source_rows))
    check("the SQLite file is untouched", sha256(db) == before)
    again = subprocess.run([BIN, "migrate-store", "--config", sqlite_cfg, "--to",
                            cluster.conninfo("jk"), "--password-file",
                            os.path.join(cluster.dir, "password")], capture_output=True, text=True)
    check("a second migration into a database with data is refused",
          again.returncode == 2 and "niet leeg" in again.stderr, again.stderr)
    return token, api, etag_sqlite, body_sqlite


def main():
    work = tempfile.mkdtemp(prefix="jk-cluster-")
    cluster = Cluster(os.path.join(tempfile.gettempdir(), f"jk-pg-cluster-{os.getpid()}"))
    daemons = []
    smtp = None
    try:
        token, api, etag_sqlite, body_sqlite = migrate(work, cluster)
        store = (f'postgresql = "{cluster.conninfo("jk")}"\n'
                 f'password_file = "{os.path.join(cluster.dir, "password")}"')
        smtp_port = free_port()
        mail = (f'mode = "smtp"\nurl = "smtp://127.0.0.1:{smtp_port}"\nrequire_starttls = false\n'
                'from = "jaarkalender@voorbeeld.nl"\nmax_per_second = 100\nscan_seconds = 2\n'
                'claim_seconds = 6\nconnections = 3')
        cfg = config(work, "pg", store, mail)
        a = Daemon("a", work, cfg)
        b = Daemon("b", work, cfg)
        daemons += [a, b]

        # ---- 2: the same feeds; a change on one served by the other within a second --------
        sa, ea, fa = feed(a, token)
        sb, eb, fb = feed(b, token)
        check("both daemons serve the migrated subscription", sa == 200 and sb == 200, (sa, sb))
        check("feed bytes and ETag equal on both daemons", fa == fb and ea == eb, (ea, eb))
        check("and equal to what the SQLite daemon served", fa == body_sqlite and ea == etag_sqlite,
              (ea, etag_sqlite))
        uids = first_uids(a, token, 12)
        delays = []
        for i, (one, other) in enumerate([(a, b), (b, a), (a, b)]):
            _, before, _ = feed(other, token)
            t0 = time.monotonic()
            status, _, _ = one.api("POST", f"/schools/{SCHOOL}/events/{uids[i + 1]}/cancel", api,
                                   {"reason": "ziek"})
            check(f"change {i + 1} stored on daemon {one.name}", status == 200, status)
            while time.monotonic() - t0 < 5:
                _, now, _ = feed(other, token)
                if now != before:
                    break
                time.sleep(0.02)
            delays.append(time.monotonic() - t0)
            _, e1, f1 = feed(one, token)
            _, e2, f2 = feed(other, token)
            check(f"change {i + 1}: the same bytes on both afterwards", f1 == f2 and e1 == e2)
        # Served by the other daemon at all is what the poll above waits for (5 s); "within a
        # second" (docs/deploy.md) is the typical case, judged on the median, so that one
        # scheduling hiccup of a loaded 2-core machine under ctest -j does not decide it.
        check("every change is served by the other daemon", max(delays) < 5, delays)
        check(f"a change is served by the other daemon within a second "
              f"(median {sorted(delays)[1]:.3f} s, slowest {max(delays):.3f} s)",
              sorted(delays)[1] < 1.0, delays)

        status, _, body = a.api("POST", f"/schools/{SCHOOL}/changes", api,
                                {"kind": "closure", "from": "2027-03-12",
                                 "closure_kind": "studiedag", "name": "Studiedag cluster"})
        check("a staff change on daemon a", status in (200, 201), (status, body[:200]))
        version = json.loads(body).get("version") if status in (200, 201) else None
        check("daemon b serves the staff change",
              eventually(lambda: feed(a, token)[1:] == feed(b, token)[1:], 5))
        planned = [d.name for d in (a, b)
                   if f"planned from input version {version}:" in d.text()]
        check("the staff change was planned once, by daemon a", planned == ["a"], planned)

        # ---- 3: pages across daemons -------------------------------------------------------
        cookie = sign_in(a, "hanna", cfg)
        check("signed in on daemon a", cookie.startswith("jk_"), cookie)
        _, _, page = b.request("GET", "/", headers={"Cookie": cookie})
        m = re.search(rb'name="csrf" value="([^"]+)"', page)
        check("the session works on daemon b", m is not None, page[:200])
        status, headers, _ = a.request(
            "POST", "/abonnement", urllib.parse.urlencode({"csrf": m.group(1).decode()}),
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        check("a subscribe link made on daemon a", status == 303, status)
        _, _, page = b.request("GET", headers.get("Location", "/").split("#")[0],
                               headers={"Cookie": cookie})
        link = re.search(rb"/feeds/([0-9a-f]{32})\.ics", page)
        check("the link is shown once on daemon b, after the redirect", link is not None)
        if link:
            personal = link.group(1).decode()
            fa, fb = eventually(lambda: (lambda x, y: (x, y) if x[0] == y[0] == 200 else None)(
                feed(a, personal), feed(b, personal)), 5) or (feed(a, personal), feed(b, personal))
            check("the new personal feed works on both daemons",
                  fa[0] == 200 and fb[0] == 200 and fa[2] == fb[2], (fa[0], fb[0]))
            _, _, again = a.request("GET", headers.get("Location", "/").split("#")[0],
                                    headers={"Cookie": cookie})
            check("a reload shows it no more", personal.encode() not in again)

        # ---- 4: the write limit across daemons ---------------------------------------------
        lotte = cli("token", "--config", cfg, SCHOOL, "erik")
        allowed = 0
        for i in range(30):
            d = (a, b)[i % 2]
            uid = uids[4 + i % 4]
            action = "done" if (i // 4) % 2 == 0 else "undo"
            status, _, _ = d.api("POST", f"/schools/{SCHOOL}/events/{uid}/{action}", lotte,
                                 {} if action == "done" else None)
            if status == 429:
                break
            allowed += 1
        # One bucket: a burst of 15 and one a second (two buckets would allow 30).
        check(f"the write limit counts both daemons ({allowed} writes before 429)",
              14 <= allowed <= 22, allowed)

        # ---- 5: the database restarted during concurrent writes ----------------------------
        writers = {"anna": api, "erik": lotte}
        results = {}  # uid -> list of (action, status)
        stop_at = [time.monotonic() + 1e9]

        def write(person, uid, daemon):
            log = results.setdefault(uid, [])
            action = "done"
            # Until the end, and then until one more write is acknowledged: the last
            # acknowledged write says what the event must be.
            while time.monotonic() < stop_at[0] or not log or log[-1][1] != 200:
                if time.monotonic() > stop_at[0] + 30:
                    break
                try:
                    status, _, body = daemon.api("POST", f"/schools/{SCHOOL}/events/{uid}/{action}",
                                                 writers[person], {} if action == "done" else None)
                except OSError:
                    status, body = 0, None
                if status == 409 and "op hetzelfde moment" in str(body):
                    # The other daemon kept changing the school: nothing stored, try again.
                    status = CONFLICT
                log.append((action, status))
                lost = len(log) > 1 and log[-2][1] in (0, 503)
                if status == 200 or (status == 409 and lost):
                    # A 409 after a lost answer: the write before it was stored after all.
                    action = "undo" if action == "done" else "done"
                elif status == 429:
                    time.sleep(1.0)
                else:
                    time.sleep(0.1)

        threads = [threading.Thread(target=write, args=(p, uids[8 + i], (a, b)[i % 2]))
                   for i, p in enumerate(["anna", "erik", "anna", "erik"])]
        time.sleep(2)  # let the write limit refill
        for t in threads:
            t.start()
        # The restart comes once every writer has had a write acknowledged.
        # (A generous deadline: under ctest -j on 2 cores the writers share the machine with
        # PostgreSQL, two daemons and other tests, and erik's account starts near its limit.)
        check("every writer wrote before the restart", eventually(
            lambda: len(results) == len(threads) and
            all(any(s == 200 for _, s in log) for log in list(results.values())), 30),
            {uid[:8]: log[-6:] for uid, log in list(results.items())})
        cluster.action("restart")
        stop_at[0] = time.monotonic() + 4
        for t in threads:
            t.join()
        ok_writes = sum(1 for log in results.values() for _, s in log if s == 200)
        refused = sum(1 for log in results.values() for _, s in log if s in (503, CONFLICT))
        # After a 503 the write may have been stored all the same (the reply was lost with the
        # connection); the repeat may then find nothing to undo. Anything else is wrong.
        other = [s for log in results.values() for i, (_, s) in enumerate(log)
                 if s not in (200, 429, 503, CONFLICT)
                 and not (i > 0 and log[i - 1][1] in (0, 503))]
        check(f"writes during the restart: {ok_writes} stored, {refused} refused with 503 or "
              "as lost races",
              ok_writes > 0 and not other, other)
        for uid, log in results.items():
            done = [a_ for a_, s in log if s == 200]
            stored = int(cluster.sql(
                f"SELECT count(*) FROM event_changes WHERE uid = '{uid}' "
                "AND created_at > to_char(now() - interval '1 hour', 'YYYY-MM-DD')", "jk"))
            check(f"every acknowledged write of {uid[:8]} is stored ({len(done)} ≤ {stored})",
                  len(done) <= stored, (len(done), stored))
            last = done[-1] if done else None
            expect = "done" if last == "done" else "planned"

            def states():
                return [json.loads(d.api("GET", f"/schools/{SCHOOL}/events/{uid}", api)[2])
                        .get("status") for d in (a, b)]
            # The other daemon hears of the last write by news or its 2-second comparison.
            state = eventually(lambda: (lambda s: s if s == [expect, expect] else None)(
                states()), 10) or states()
            check(f"both daemons show {uid[:8]} as its last acknowledged write ({expect})",
                  state == [expect, expect], state)

        # ---- 6: the database away ----------------------------------------------------------
        cluster.action("halt")
        try:
            sa, _, _ = feed(a, token)
            sb, _, _ = feed(b, token)
            check("feeds are served without the database", sa == 200 and sb == 200, (sa, sb))
            status, headers, body = a.api("POST", f"/schools/{SCHOOL}/events/{uids[1]}/undo", api)
            check("a write without the database: 503 with Retry-After",
                  status == 503 and headers.get("Retry-After") == "5", (status, headers))
            # The daemon notices the outage at its next look at the database.
            status, _, ready = eventually(
                lambda: (lambda r: r if b"alleen lezen" in r[2] else None)(b.request("GET", "/readyz")),
                10) or b.request("GET", "/readyz")
            # 200 on purpose (docs/deploy.md): a balancer must not take every daemon out.
            check("/readyz says why, and stays 200",
                  status == 200 and b"alleen lezen" in ready and b"postgresql" in ready,
                  (status, ready))
        finally:
            cluster.action("resume")
        status, _, ready = eventually(
            lambda: (lambda r: r if r[2] == b"klaar\n" else None)(b.request("GET", "/readyz")),
            10) or b.request("GET", "/readyz")
        check("/readyz is ready again", status == 200 and ready == b"klaar\n", (status, ready))
        status, _, _ = a.api("POST", f"/schools/{SCHOOL}/events/{uids[1]}/undo", api)
        check("writes work again", status == 200, status)

        # ---- 7: 500 messages, one daemon killed mid-batch ----------------------------------
        received = []
        lock = threading.Lock()

        class Inbox:
            async def handle_DATA(self, server, session, envelope):
                m = re.search(rb"Message-ID: <([^>]+)>", envelope.content)
                with lock:
                    received.append(m.group(1).decode() if m else "?")
                return "250 OK"

        smtp = Controller(Inbox(), hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        cluster.sql("""INSERT INTO mail_outbox (key, school, person, address, kind, uid, sequence,
            due_at, late, message, next_attempt_at, created_at)
            SELECT 'bulk|' || g, 'voorbeeldschool', 'anna', 'anna@voorbeeld.nl', 'digest', '', 0,
                   0, 0, 'From: jaarkalender@voorbeeld.nl' || chr(13) || chr(10) ||
                   'To: anna@voorbeeld.nl' || chr(13) || chr(10) ||
                   'Message-ID: <bulk-' || g || '@test>' || chr(13) || chr(10) ||
                   'Subject: bericht ' || g || chr(13) || chr(10) || chr(13) || chr(10) ||
                   'Tekst' || chr(13) || chr(10), 0, extract(epoch from now())::bigint
            FROM generate_series(1, 500) g""", "jk")
        t0 = time.monotonic()

        def senders():
            return cluster.sql("SELECT count(DISTINCT lease_owner) FROM mail_outbox "
                               "WHERE key LIKE 'bulk|%' AND state = 'sent'", "jk")

        # Kill a mid-batch, once both daemons are sending: a daemon looks at the outbox every
        # scan_seconds, so the other may have sent the first 120 before it looked at all.
        while (len(received) < 120 or senders() != "2") and time.monotonic() - t0 < 30:
            time.sleep(0.02)
        a.stop(signal.SIGKILL)
        killed_at = len(received)
        while time.monotonic() - t0 < 60:
            if len(set(r for r in received if r.startswith("bulk-"))) >= 500:
                break
            time.sleep(0.1)
        took = time.monotonic() - t0
        bulk = [r for r in received if r.startswith("bulk-")]
        dupes = len(bulk) - len(set(bulk))
        check(f"all 500 messages arrived after a was killed at {killed_at} ({took:.1f} s)",
              len(set(bulk)) == 500, len(set(bulk)))
        check(f"at most one message twice ({dupes})", dupes <= 1, dupes)
        sent_by = cluster.sql("SELECT count(DISTINCT lease_owner) FROM mail_outbox "
                              "WHERE key LIKE 'bulk|%'", "jk")
        check("both daemons sent", sent_by == "2", sent_by)
        pending = cluster.sql("SELECT count(*) FROM mail_outbox WHERE key LIKE 'bulk|%' "
                              "AND state <> 'sent'", "jk")
        check("every message is marked sent", pending == "0", pending)
    finally:
        for d in daemons:
            d.stop(signal.SIGKILL)
        if smtp:
            smtp.stop()
        cluster.stop()
        if failures:
            for d in daemons:
                print(f"---- {d.name} log (tail)")
                print(d.text()[-3000:])
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
