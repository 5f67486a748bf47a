"""bench/writes: readers' latency with and without 8 writing clients; store growth per change.

The writers change as fast as they may: each sends its next change as soon as the last is
answered, and after a 429 waits the Retry-After it was given (a client that does not is the
attack test's business: tests/daemon/attack_test.py).

usage: bench_writes.py JAARKALENDER SECONDS
"""
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN, SECONDS = sys.argv[1], float(sys.argv[2])
WORK = tempfile.mkdtemp(prefix="jk-bench-writes-")
CONFIG = os.path.join(WORK, "jk.toml")
DB = os.path.join(WORK, "var", "jk.db")
WRITERS = ["anna", "erik", "bram", "carla", "dirk", "eva", "gijs", "hanna"]


def setup():
    cal = os.path.join(WORK, "calendars")
    shutil.copytree("calendars/voorbeeldschool", os.path.join(cal, "voorbeeldschool"))
    rules = os.path.join(cal, "voorbeeldschool", "rules.toml")
    text = open(rules).read().replace('visibility = "attendees"', 'visibility = "all"')
    open(rules, "w").write(text.replace("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"))
    with open(CONFIG, "w") as f:
        f.write('[server]\nport = 0\nthreads = 2\n[store]\nsqlite = "var/jk.db"\n'
                '[calendars]\nfolder = "calendars"\n[log]\nlevel = "warn"\n[mail]\nmode = "off"\n')


def start():
    log = open(os.path.join(WORK, "serve.log"), "w")
    p = subprocess.Popen([BIN, "serve", "--config", CONFIG, "--now", "2027-03-15T10:00"],
                         stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        m = re.search(r"luistert op http://127\.0\.0\.1:(\d+)",
                      open(os.path.join(WORK, "serve.log")).read())
        if m:
            return p, int(m.group(1))
        time.sleep(0.05)
    raise SystemExit("daemon did not start")


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)


def cli(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout.strip()


def wrk(url):
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{SECONDS:.0f}s", "--latency", url],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    v = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(v.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[v.group(2)]
    return rps, p99


def preview_figures(port, token, school):
    """The slowest preview a change may ask (a newcomer with the longest name and note the
    bounds allow, in every group of the school on every day) beside the simplest (one
    studiedag), 20 of each, and the 700-entry preview of the attack (refused at its bounds)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    hdr = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def timed(body, expect):
        c.request("POST", f"/api/v1/schools/{school}/changes", body=json.dumps(body), headers=hdr)
        t0 = time.perf_counter()
        r = c.getresponse()
        data = r.read()
        took = time.perf_counter() - t0
        if r.status != expect:
            raise SystemExit(f"preview: {r.status} {data[:300]}")
        return took

    groups = re.findall(r'^id = "(groep[^"]*)"', open(os.path.join(
        WORK, "calendars", school, "school.toml")).read(), re.M)
    days = ["ma", "di", "wo", "do", "vr"]
    slowest = {"kind": "person", "preview": True, "name": "N" * 100,
               "email": "n" * 230 + "@voorbeeld.nl", "works": days, "roles": ["r%d" % i
                                                                          for i in range(10)],
               "note": "w" * 2000, "groups": [{"group": g, "days": days} for g in groups]}
    simplest = {"kind": "closure", "preview": True, "from": "2027-03-17",
                "closure_kind": "studiedag", "name": "Studiedag"}
    attack = dict(slowest, groups=[{"group": groups[0], "days": ["ma"]}] * 700)
    timed(simplest, 200)  # warm
    slow = sorted(timed(slowest, 200) for _ in range(20))
    simple = sorted(timed(simplest, 200) for _ in range(20))
    refused = sorted(timed(attack, 400) for _ in range(5))
    print(f"previews ({len(groups)} groups, 20 each; the write limit lifted):")
    print(f"{'':40} {'median ms':>10} {'max ms':>8}")
    print(f"{'one studiedag (reference)':40} {statistics.median(simple) * 1000:10.1f} "
          f"{simple[-1] * 1000:8.1f}")
    print(f"{'slowest allowed: newcomer in every group':40} {statistics.median(slow) * 1000:10.1f} "
          f"{slow[-1] * 1000:8.1f}")
    print(f"{'700 group entries (refused, 400)':40} {statistics.median(refused) * 1000:10.1f} "
          f"{refused[-1] * 1000:8.1f}")
    print(f"slowest allowed / reference: {statistics.median(slow) / statistics.median(simple):.2f}; "
          f"slowest allowed max {slow[-1] * 1000:.1f} ms (target < 100 ms)")


def main():
    setup()
    p, port = start()  # creates and plans; the size before the run is taken after a clean stop
    tokens = {w: cli("token", "--config", CONFIG, "voorbeeldschool", w) for w in WRITERS}
    if os.environ.get("JK_BENCH_ONLY") == "previews":
        stop(p)
        return previews(tokens)
    feed = cli("subscribe", "--config", CONFIG, "voorbeeldschool", "school").split()[0]
    feed = re.sub(r"http://[^/]+", f"http://127.0.0.1:{port}", feed)
    stop(p)
    size0 = os.path.getsize(DB)
    p, port = start()
    feed = re.sub(r"http://127\.0\.0\.1:\d+", f"http://127.0.0.1:{port}", feed)
    time.sleep(2.5)  # subscriptions are re-read every 2 s
    quiet = wrk(feed)

    stop_at = [0.0]
    counts = {"200": 0, "429": 0, "other": 0}
    lock = threading.Lock()

    def writer(who):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        hdr = {"Authorization": f"Bearer {tokens[who]}"}
        c.request("GET", "/api/v1/schools/voorbeeldschool/events?to=2027-03-01", headers=hdr)
        r = c.getresponse()
        events = [e["uid"] for e in json.loads(r.read()) if e["kind"] == "rule" and
                  who in e["attendees"] + ([e["owner"]] if e.get("owner") else [])]
        i = 0
        while time.time() < stop_at[0] and events:
            body = json.dumps({"note": f"bench {who} {i}"})
            c.request("POST", f"/api/v1/schools/voorbeeldschool/events/{events[i % len(events)]}/done",
                      body=body, headers={**hdr, "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            with lock:
                counts[str(r.status) if r.status in (200, 429) else "other"] += 1
            if r.status == 429:  # as fast as they may: a client waits as it is told
                time.sleep(min(float(r.getheader("Retry-After", "1")), stop_at[0] - time.time())
                           if stop_at[0] > time.time() else 0)
            i += 1

    health = []

    def prober():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.time() < stop_at[0]:
            t0 = time.perf_counter()
            c.request("GET", "/healthz")
            c.getresponse().read()
            health.append(time.perf_counter() - t0)
            time.sleep(0.01)

    stop_at[0] = time.time() + SECONDS + 1
    threads = [threading.Thread(target=writer, args=(w,)) for w in WRITERS]
    threads.append(threading.Thread(target=prober))
    for t in threads:
        t.start()
    busy = wrk(feed)
    for t in threads:
        t.join()
    stop(p)
    size1 = os.path.getsize(DB)
    accepted = counts["200"]
    print(f"readers: wrk -t1 -c32 on the school feed, {SECONDS:.0f} s each; 8 writers, one account each, "
          "honouring Retry-After")
    print(f"{'':22} {'req/s':>10} {'p99 ms':>8}")
    print(f"{'readers alone':22} {quiet[0]:10.0f} {quiet[1]:8.2f}")
    print(f"{'readers with writers':22} {busy[0]:10.0f} {busy[1]:8.2f}")
    print(f"p99 ratio (with / without writers): {busy[1] / quiet[1]:.2f} (target <= 1.5)")
    print(f"changes: {accepted} accepted, {counts['429']} refused with 429 (per-account limit), "
          f"{counts['other']} other")
    if health:
        q = sorted(health)
        print(f"/healthz during the writes: median {statistics.median(q) * 1000:.2f} ms, "
              f"p99 {q[int(len(q) * 0.99) - 1] * 1000:.2f} ms ({len(q)} probes)")
    print(f"store growth: {(size1 - size0) / 1024:.1f} KiB for {accepted} changes = "
          f"{(size1 - size0) / max(1, accepted) / 1024:.2f} KiB per change "
          f"(a plan copy per change, as before, was ~210 KiB)")
    previews(tokens)


def previews(tokens):
    """The previews, with the write limit lifted (each preview counts in it)."""
    with open(CONFIG) as f:
        text = f.read()
    with open(CONFIG, "w") as f:
        f.write(text.replace("[server]\n", "[server]\nwrite_burst = 10000\nwrites_per_second = 10000\n"))
    p, port = start()
    try:
        preview_figures(port, tokens["erik"], "voorbeeldschool")
    finally:
        stop(p)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
