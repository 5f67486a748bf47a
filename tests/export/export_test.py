#!/usr/bin/python3
"""The jaarplanning's exports read back by independent readers: the PDF with pdftotext and
pdfinfo (poppler-utils), the .xlsx with openpyxl, the CSV with Python's csv module; each
compared with plan.json of the same school.

    /usr/bin/python3 export_test.py JAARKALENDER SOURCE_DIR
"""
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl

failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what, flush=True)


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]
SHORT = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


def day_text(d):
    return f"{DAYS[d.weekday()]} {d.day} {SHORT[d.month - 1]}"


def main(binary, source):
    work = tempfile.mkdtemp(prefix="jk-export-")
    try:
        shutil.copytree(os.path.join(source, "calendars"), os.path.join(work, "calendars"))
        config = os.path.join(work, "jk.toml")
        with open(config, "w") as f:
            f.write('[store]\nsqlite = "jk.db"\n[calendars]\nfolder = "calendars"\n')
        subprocess.run([binary, "plan", os.path.join(work, "calendars", "voorbeeldschool"),
                        "--out", os.path.join(work, "plan")], check=True, capture_output=True)
        plan = json.load(open(os.path.join(work, "plan", "plan.json"), encoding="utf-8"))
        events = plan["events"]
        people = set()
        for line in open(os.path.join(work, "calendars", "voorbeeldschool", "school.toml"), encoding="utf-8"):
            m = re.match(r'name = "(.+)"', line.strip())
            if m:
                people.add(m.group(1))

        def export(fmt, *extra):
            out = os.path.join(work, f"plan{''.join(extra).replace('-', '')}.{fmt}")
            r = subprocess.run([binary, "export-plan", "--config", config, "voorbeeldschool",
                                "--format", fmt, "--out", out, *extra], capture_output=True, text=True)
            check(r.returncode == 0, f"export-plan {fmt}: {r.stderr}")
            return out

        # ---- CSV ------------------------------------------------------------------------------
        raw = open(export("csv"), "rb").read()
        check(raw.startswith(b"\xef\xbb\xbf"), "csv: UTF-8 with a byte order mark")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
        check(rows[0][:5] == ["Datum", "Tot en met", "Begin", "Einde", "Wat"], f"csv: header {rows[0]}")
        body = rows[1:]
        check(len(body) == len(events), f"csv: one row per event ({len(body)} of {len(events)})")
        by_uid = {e["uid"]: e for e in events}
        ok = True
        for r in body:
            e = by_uid.get(r[9])
            if not e:
                ok = False
                continue
            d = dt.datetime.strptime(r[0], "%d-%m-%Y").date()
            ok = ok and d.isoformat() == e["start"][:10] and r[4] == e["title"]
            if not e["all_day"]:
                ok = ok and r[2] == e["start"][11:16]
        check(ok, "csv: dates (dd-mm-jjjj), times and titles equal plan.json")
        print(f"csv: {len(body)} rows", flush=True)

        # ---- xlsx -----------------------------------------------------------------------------
        wb = openpyxl.load_workbook(export("xlsx"))
        check(wb.sheetnames == ["Weken", "Afspraken"], f"xlsx: sheets {wb.sheetnames}")
        ws = wb["Afspraken"]
        check(ws.freeze_panes == "A2", f"xlsx: header frozen ({ws.freeze_panes})")
        check(bool(ws.auto_filter.ref), "xlsx: filters on the events")
        xrows = list(ws.iter_rows(min_row=2, values_only=True))
        check(len(xrows) == len(events), f"xlsx: one row per event ({len(xrows)} of {len(events)})")
        ok = True
        for r in xrows:
            e = by_uid.get(r[9])
            ok = ok and e is not None and isinstance(r[0], dt.datetime) and \
                r[0].date().isoformat() == e["start"][:10] and r[4] == e["title"]
            if e and not e["all_day"]:
                ok = ok and isinstance(r[2], (dt.time, dt.datetime)) and \
                    (r[2] if isinstance(r[2], dt.time) else r[2].time()).strftime("%H:%M") == e["start"][11:16]
        check(ok, "xlsx: real Excel dates and times, titles equal plan.json")
        weeks = wb["Weken"]
        check(weeks.freeze_panes == "A2" and bool(weeks.auto_filter.ref), "xlsx: weeks sheet frozen and filtered")
        wrows = list(weeks.iter_rows(min_row=2, values_only=True))
        check(len(wrows) >= 45 and isinstance(wrows[0][1], dt.datetime), "xlsx: a row per school week with real dates")
        check(any(r[3] and "Herfstvakantie" in r[3] for r in wrows), "xlsx: the herfstvakantie in its week")
        print(f"xlsx: {len(xrows)} events, {len(wrows)} weeks", flush=True)

        # ---- PDF ------------------------------------------------------------------------------
        pdf = export("pdf")
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        check(float(size.group(1)) > float(size.group(2)), "pdf: landscape")
        check(abs(float(size.group(1)) - 841.89) < 1, f"pdf: A4 ({size.group(0)})")
        check(pages == 12, f"pdf: 12 pages for the example school ({pages})")
        texts = []
        for p in range(1, pages + 1):
            t = subprocess.run(["pdftotext", "-raw", "-f", str(p), "-l", str(p), pdf, "-"],
                               capture_output=True, text=True).stdout
            texts.append(" ".join(t.split()))
        check(all("Basisschool De Voorbeeld" in t and "Jaarplanning 2026-2027" in t for t in texts),
              "pdf: the school's name and title on every page")
        check(all("Consultaties" in t and "Bestuur en overleg" in t for t in texts), "pdf: the column headings on every page")
        check(not any(w in " ".join(texts) for w in ("Uitloggen", "Mijn jaarkalender", "Downloaden")), "pdf: no menu text")
        missing = []
        for e in events:
            if e["kind"] != "rule" or e["status"] == "cancelled":
                continue
            d = dt.date.fromisoformat(e["start"][:10])
            # A week that spans two months is in the month of its first school day.
            monday = d - dt.timedelta(days=d.weekday())
            labels = {f"{MONTHS[d.month - 1]} {d.year}", f"{MONTHS[monday.month - 1]} {monday.year}"}
            want = day_text(d) + ("" if e["all_day"] else " " + e["start"][11:16])
            pages_of_month = [t for t in texts if any(label in t for label in labels)]
            if not any(want in t and e["title"][:12] in t for t in pages_of_month):
                missing.append(f"{want} {e['title']}")
        check(not missing, f"pdf: every event on its month's page ({len(missing)} missing, e.g. {missing[:3]})")
        check("Herfstvakantie" in " ".join(texts) and "Toetsperiode midden" in " ".join(texts),
              "pdf: vacations and test periods")
        a3 = export("pdf", "--a3")
        info3 = subprocess.run(["pdfinfo", a3], capture_output=True, text=True).stdout
        check("1190" in info3, "pdf: A3 when asked")
        person = export("pdf", "--persoon", "bram")
        pt = subprocess.run(["pdftotext", person, "-"], capture_output=True, text=True).stdout
        check("van Bram Jansen" in pt and "Klassenconsultatie Bram Jansen" in " ".join(pt.split()),
              "pdf: a person's jaarplanning")
        print(f"pdf: {pages} pages A4, every event of a month on its page", flush=True)

        # ---- bad input --------------------------------------------------------------------------
        r = subprocess.run([binary, "export-plan", "--config", config, "voorbeeldschool", "--format",
                            "doc", "--out", os.path.join(work, "x.doc")], capture_output=True, text=True)
        check(r.returncode == 2 and "--format pdf, xlsx of csv" in r.stderr, "bad format: exit 2, said in Dutch")
        r = subprocess.run([binary, "export-plan", "--config", config, "voorbeeldschool", "--format",
                            "pdf", "--persoon", "niemand", "--out", os.path.join(work, "x.pdf")],
                           capture_output=True, text=True)
        check(r.returncode == 2 and "staat niet in school.toml" in r.stderr, "unknown person: exit 2, said in Dutch")
        check(not os.path.exists(os.path.join(work, "x.pdf")), "nothing written on bad input")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {len(failures)} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
