"""bench/store: writes per second (8 clients) and feed requests per second, on SQLite, on
PostgreSQL with one daemon and with two daemons, measured in the same run.

usage: bench_store.py JAARKALENDER SECONDS
"""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

BIN, SECONDS = sys.argv[1], float(sys.argv[2])
WORK = tempfile.mkdtemp(prefix="jk-bench-store-")
PG = os.path.abspath("tests/support/pg_cluster.sh")
PG_DIR = os.path.join(tempfile.gettempdir(), f"jk-bench-pg-{os.getpid()}")
SCHOOLS = [f"school{i}" for i in range(1, 9)]
NOW = "2027-03-15T10:00"


def setup():
    cal = os.path.join(WORK, "calendars")
    for school in SCHOOLS:
        folder = os.path.join(cal, school)
        shutil.copytree("calendars/voorbeeldschool", folder)
        toml = os.path.join(folder, "school.toml")
        text = open(toml).read().replace('id = "voorbeeldschool"', f'id = "{school}"', 1)
        open(toml, "w").write(text)
        rules = os.path.join(folder, "rules.toml")
        text = open(rules).read().replace('visibility = "attendees"', 'visibility = "all"')
        open(rules, "w").write(text)
    return cal


def config(name, store, cal):
    path = os.path.join(WORK, name + ".toml")
    with open(path, "w") as f:
        f.write(f'[server]\nport = 0\nthreads = 2\nwrite_burst = 10000\nwrites_per_second = 10000\n'
                f'[store]\n{store}\n[calendars]\nfolder = "{cal}"\n[log]\nlevel = "warn"\n'
                '[mail]\nmode = "off"\n')
    return path


def start(cfg, name):
    log_path = os.path.join(WORK, name + ".log")
    p = subprocess.Popen([BIN, "serve", "--config", cfg, "--now", NOW],
                         stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    for _ in range(600):
        m = re.search(r"luistert op http://127\.0\.0\.1:(\d+)", open(log_path).read())
        if m:
            return p, int(m.group(1))
        time.sleep(0.05)
    raise SystemExit(name + " did not start: " + open(log_path).read())


def cli(*args):
    return subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout.strip()


def wrk(url):
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{SECONDS:.0f}s", "--latency", url],
                         capture_output=True, text=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def writes(ports, tokens):
    """8 clients, client i on school i through daemon i % len(ports): changes answered per s."""
    stop_at = [0.0]
    counts = {"200": 0, "other": 0}
    lock = threading.Lock()

    def client(i):
        school = SCHOOLS[i]
        c = http.client.HTTPConnection("127.0.0.1", ports[i % len(ports)], timeout=60)
        hdr = {"Authorization": f"Bearer {tokens[school]}"}
        c.request("GET", f"/api/v1/schools/{school}/events?to=2027-03-01", headers=hdr)
        events = [e["uid"] for e in json.loads(c.getresponse().read()) if e["kind"] == "rule"]
        n = 0
        while time.time() < stop_at[0]:
            body = json.dumps({"note": f"bench {i} {n}"})  # a new note: never a no-op
            c.request("POST", f"/api/v1/schools/{school}/events/{events[n % len(events)]}/done",
                      body=body, headers={**hdr, "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            with lock:
                counts["200" if r.status == 200 else "other"] += 1
            n += 1

    stop_at[0] = time.time() + SECONDS
    t0 = time.time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts["200"] / (time.time() - t0), counts["other"]


def scenario(name, cfg, instances):
    daemons = [start(cfg, f"{name}-{i}") for i in range(instances)]
    ports = [port for _, port in daemons]
    tokens = {s: cli("token", "--config", cfg, s, "anna") for s in SCHOOLS}
    feed = cli("subscribe", "--config", cfg, SCHOOLS[0], "school").split()[0]
    path = re.sub(r"http://[^/]+", "", feed)
    time.sleep(2.5)  # subscriptions made by the command are re-read every 2 s
    rate, refused = writes(ports, tokens)
    time.sleep(1)
    feeds = wrk(f"http://127.0.0.1:{ports[0]}{path}")
    for p, _ in daemons:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)
    return rate, refused, feeds


def main():
    cal = setup()
    subprocess.run([PG, "start", PG_DIR], check=True)
    admin = open(os.path.join(PG_DIR, "conninfo")).read().strip()
    try:
        results = {}
        results["sqlite"] = scenario("sqlite", config("sqlite", 'sqlite = "jk.db"', cal), 1)
        for db, n in (("one", 1), ("two", 2)):
            subprocess.run(["psql", "-Xq", admin, "-c", f"CREATE DATABASE {db}"], check=True)
            conninfo = re.sub(r" password=\S+", "", admin).replace("dbname=postgres", "dbname=" + db)
            store = (f'postgresql = "{conninfo}"\n'
                     f'password_file = "{os.path.join(PG_DIR, "password")}"')
            results[db] = scenario(db, config(db, store, cal), n)
    finally:
        subprocess.run([PG, "stop", PG_DIR])
    s, one, two = results["sqlite"], results["one"], results["two"]
    print(f"8 schools, 8 clients (one account and school each), {SECONDS:.0f} s per figure; "
          f"{os.cpu_count()} cores")
    print(f"{'':28} {'writes/s':>9} {'refused':>8} {'feed req/s':>11}")
    print(f"{'SQLite, one daemon':28} {s[0]:9.1f} {s[1]:8d} {s[2]:11.0f}")
    print(f"{'PostgreSQL, one daemon':28} {one[0]:9.1f} {one[1]:8d} {one[2]:11.0f}")
    print(f"{'PostgreSQL, two daemons':28} {two[0]:9.1f} {two[1]:8d} {'':>11}")
    print(f"feeds, PostgreSQL / SQLite:  {one[2] / s[2]:.2f}x (target >= 0.95)")
    print(f"writes, PostgreSQL / SQLite: {one[0] / s[0]:.2f}x (target >= 0.5)")
    print(f"writes, two daemons / one:   {two[0] / one[0]:.2f}x (target >= 1.5)")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
