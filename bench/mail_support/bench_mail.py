#!/usr/bin/python3
"""bench/mail: see bench/mail. The SMTP server runs in its own process, so that neither client
shares an interpreter with it."""
import datetime as dt
import os
import shutil
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "mail"))
import mail_test  # noqa: E402  (big_school, Driver, epoch, free_port)

SERVER = r"""
import asyncio, sys
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
c = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("up", flush=True)
sys.stdin.read()
c.stop()
"""


def main():
    driver = sys.argv[1]
    staff, meetings = 2000, 5  # 10,000 reminders on one morning
    work = tempfile.mkdtemp(prefix="jk-bench-mail-")
    port = mail_test.free_port()
    server = subprocess.Popen(["/usr/bin/python3", "-c", SERVER, str(port)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "up"
        cal = os.path.join(work, "cal")
        mail_test.big_school(os.path.join(cal, "groot"), staff, meetings)
        db = os.path.join(work, "bench.db")
        day = dt.date(2026, 11, 25)
        # JK_BENCH_FSYNC_US: every fsync of the sender this much slower (a slow virtual disk).
        slow = os.environ.get("JK_BENCH_FSYNC_US")
        if slow:
            shim = os.path.join(work, "slow_fsync.so")
            subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", shim,
                            os.path.join(HERE, "slow_fsync.c"), "-ldl"], check=True)
            os.environ["LD_PRELOAD"] = shim
            os.environ["JK_SLOW_FSYNC_US"] = slow
        d = mail_test.Driver(driver, db, cal, port, mail_test.epoch(day, 6, 0, 0))
        os.environ.pop("LD_PRELOAD", None)
        if slow:
            print(f"every fsync of the sender {int(slow) / 1000:.1f} ms slower")
        d("tick")
        d(f"now {mail_test.epoch(day)}")
        t0 = time.perf_counter()
        d("scan")
        t1 = time.perf_counter()
        d("send")
        t2 = time.perf_counter()
        counts = d("counts")
        peak = d("memory")["peak_kb"]
        d.close()
        sent = counts.get("sent", 0)
        assert sent == staff * meetings, counts

        con = sqlite3.connect(db)
        rows = con.execute("SELECT address, message FROM mail_outbox ORDER BY id").fetchall()
        con.close()
        s0 = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for address, message in rows:
                smtp.sendmail("jaarkalender@voorbeeld.nl", [address], message.encode())
        s1 = time.perf_counter()

        ours = sent / (t2 - t1)
        ref = len(rows) / (s1 - s0)
        print(f"messages: {sent}")
        print(f"queue (plan, compose, outbox insert): {t1 - t0:.2f} s "
              f"({sent / (t1 - t0):,.0f} messages/s)")
        print(f"jaarkalender outbox → SMTP: {ours:,.0f} messages/s ({t2 - t1:.2f} s)")
        print(f"python smtplib (same messages, same server): {ref:,.0f} messages/s "
              f"({s1 - s0:.2f} s)")
        print(f"ratio jaarkalender / smtplib: {ours / ref:.2f} (target >= 1.0)")
        print(f"peak resident memory of the sender: {peak / 1024:.1f} MB")
    finally:
        server.stdin.close()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
