#!/usr/bin/python3
"""Crash safety: kill -9 in the middle of a stream of API writes, restart, and every write that was
answered 200 must be there.

Eight writers change their own events (a new note each time, so that every request is a real
write) as fast as the daemon answers, the write limit lifted so that no request is answered
early with a 429. In each of ROUNDS rounds the daemon is killed at a random moment after the
first answer, with requests in flight (counted: started and not answered). After the restart
each event's stored note must be the last one acknowledged for it, or a later one (a request
that was committed but not answered before the kill). The store must say it syncs every commit
(synchronous=full, read back from the connection).

usage: crash_test.py JAARKALENDER SOURCE_DIR
"""
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from testlib import Checks, wait_for_port  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="jk-crash-")
CONFIG = os.path.join(WORK, "jk.toml")
SCHOOL = "voorbeeldschool"
ROUNDS = 8
WRITERS = 8

check = Checks()


def setup():
    os.makedirs(os.path.join(WORK, "calendars"))
    shutil.copytree(os.path.join(SRC, "calendars", SCHOOL), os.path.join(WORK, "calendars", SCHOOL))
    with open(CONFIG, "w") as f:
        f.write('[server]\nport = 0\nthreads = 4\nwrite_burst = 10000\nwrites_per_second = 10000\n'
                '[store]\nsqlite = "var/jk.db"\n[calendars]\nfolder = "calendars"\n'
                '[log]\nlevel = "debug"\n')


class Daemon:
    def __init__(self, n):
        self.log_path = os.path.join(WORK, f"serve-{n}.log")
        self.proc = subprocess.Popen([BIN, "serve", "--config", CONFIG],
                                     stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        self.port = wait_for_port(self.log_path, self.proc, 30)


def request(port, method, path, token, body=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        c.request(method, path, body=json.dumps(body) if body is not None else None,
                  headers=headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def main():
    setup()
    token = subprocess.run([BIN, "token", "--config", CONFIG, SCHOOL, "anna"], check=True,
                           capture_output=True, text=True).stdout.strip()
    d = Daemon(0)
    log = open(d.log_path).read()
    check("the store syncs every acknowledged write (synchronous=full, read back)",
          re.search(r"store: sqlite \S+: synchronous=full \(writes the API acknowledges\)", log)
          is not None, "no such line in the debug log")
    status, body = request(d.port, "GET", f"/api/v1/schools/{SCHOOL}/events?status=planned", token)
    uids = [e["uid"] for e in json.loads(body) if e["kind"] != "test_period"]
    random.seed(int(os.environ.get("JK_CRASH_SEED", time.time())))
    for rnd in range(1, ROUNDS + 1):
        port = d.port
        stop = threading.Event()
        lock = threading.Lock()
        started = [0]
        answered = [0]
        acked = {}  # uid → (writer, counter) of the last write answered 200

        def writer(w):
            mine = uids[w * 10:(w + 1) * 10]
            n = 0
            while not stop.is_set():
                uid = mine[n % len(mine)]
                n += 1
                with lock:
                    started[0] += 1
                try:
                    status, _ = request(port, "POST", f"/api/v1/schools/{SCHOOL}/events/{uid}/done",
                                        token, {"note": f"ronde {rnd} w{w} n{n}"}, timeout=5)
                except OSError:
                    status = None
                with lock:
                    answered[0] += 1
                    if status == 200:
                        acked[uid] = (w, n)
                if status is None:
                    return  # the daemon is gone

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
        for t in threads:
            t.start()
        deadline = time.time() + 30
        while not acked and time.time() < deadline:
            time.sleep(0.01)
        time.sleep(random.uniform(0.05, 0.8))  # a random moment in the stream
        with lock:
            in_flight = started[0] - answered[0]
            before_kill = len(acked)
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait()
        stop.set()
        for t in threads:
            t.join()
        check(f"round {rnd}: requests were in flight at the kill", in_flight > 0,
              f"{in_flight} in flight")
        d = Daemon(rnd)
        status, body = request(d.port, "GET", f"/api/v1/schools/{SCHOOL}/events", token)
        notes = {e["uid"]: e.get("note", "") for e in json.loads(body)}
        lost = []
        for uid, (w, n) in acked.items():
            m = re.fullmatch(rf"ronde {rnd} w{w} n(\d+)", notes.get(uid, ""))
            if not m or int(m.group(1)) < n:
                lost.append((uid, n, notes.get(uid)))
        print(f"round {rnd}: {len(acked)} events with acknowledged writes ({before_kill} before "
              f"the kill signal), {in_flight} requests in flight at the kill, {len(lost)} lost",
              flush=True)
        check(f"round {rnd}: every acknowledged write survived kill -9", not lost and acked,
              str(lost[:3]))
    d.proc.send_signal(signal.SIGTERM)
    d.proc.wait(timeout=30)
    shutil.rmtree(WORK, ignore_errors=True)
    check.finish()


if __name__ == "__main__":
    main()
