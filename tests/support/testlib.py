"""Shared by the daemon's Python tests: counting checks, and waiting for a daemon to listen."""
import re
import sys
import time


class Checks:
    """check(name, ok, detail): counts; a failure is printed at once. finish() prints the
    closing line CTest's readers know ("N passed, N failed") and exits 1 on any failure."""

    def __init__(self):
        self.passed = 0
        self.failures = []

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{name}: {detail}")
            print(f"FAIL: {name}: {detail}", flush=True)

    def finish(self):
        print(f"{self.passed} passed, {len(self.failures)} failed")
        sys.exit(1 if self.failures else 0)


def wait_for_port(log_path, proc, seconds, what="the daemon"):
    """The port `jaarkalender serve` says it listens on in its log, once it does; exits the
    test with the log when the daemon stops or does not listen within `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        m = re.search(r"luistert op http://127\.0\.0\.1:(\d+)", open(log_path).read())
        if m:
            return int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"FAIL: {what} did not start:\n" + open(log_path).read())


def eventually(probe, seconds=10, interval=0.05):
    """Polls `probe()` until it returns something true or `seconds` pass; returns its last
    value. For what the daemon does in the background (a feed after a change, a mail from the
    outbox): a deadline instead of a sleep that is too short under load and too long otherwise."""
    deadline = time.monotonic() + seconds
    while True:
        value = probe()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
