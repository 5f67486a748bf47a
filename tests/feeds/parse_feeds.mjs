// Reads every feed under OUT/feeds with ical.js (npm) and checks each event against plan.json:
// the VTIMEZONE is registered, so timed events are zoned at the plan's instant, not floating.
//
// usage: node parse_feeds.mjs OUT [OUT ...]
import fs from "node:fs";
import path from "node:path";
import ICAL from "ical.js";

function fail(msg) {
  console.log("FAIL: " + msg);
  process.exit(1);
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (p.endsWith(".ics")) yield p;
  }
}

for (const out of process.argv.slice(2)) {
  const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
  const byUid = new Map(plan.events.map((e) => [e.uid, e]));
  let feeds = 0, events = 0;
  for (const file of walk(path.join(out, "feeds"))) {
    feeds++;
    const root = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
    if (root.getFirstPropertyValue("version") !== "2.0") fail(`${file}: VERSION`);
    if (root.getFirstPropertyValue("method") !== "PUBLISH") fail(`${file}: METHOD`);
    const vtz = root.getAllSubcomponents("vtimezone");
    if (vtz.length !== 1 || vtz[0].getFirstPropertyValue("tzid") !== "Europe/Amsterdam")
      fail(`${file}: one VTIMEZONE Europe/Amsterdam expected`);
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz[0]));
    for (const comp of root.getAllSubcomponents("vevent")) {
      events++;
      const ev = new ICAL.Event(comp);
      const e = byUid.get(ev.uid);
      const category = comp.getFirstPropertyValue("categories");
      if (!e) {
        if (file.endsWith('jaarrooster.ics') && category === 'schooldag') {
          if (!ev.startDate.isDate) fail(`${file}: the school day marker ${ev.uid} should be all-day`);
          continue;
        }
        // Closed days are in every feed (all-day, transparent), not in plan.json's events.
        if (!["vakantie", "feestdag", "studiedag", "vrij"].includes(category))
          fail(`${file}: ${ev.uid} not in plan.json`);
        if (!ev.startDate.isDate || comp.getFirstPropertyValue("transp") !== "TRANSPARENT")
          fail(`${file}: closed day ${ev.uid} should be all-day and transparent`);
        continue;
      }
      if (file.endsWith('jaarrooster.ics')) fail(`${file}: the parents' jaarrooster has a staff event ${ev.uid}`);
      if (ev.summary !== e.title) fail(`${file}: ${ev.uid} summary`);
      if (ev.sequence !== e.sequence) fail(`${file}: ${ev.uid} sequence`);
      if (e.all_day) {
        if (!ev.startDate.isDate) fail(`${file}: ${ev.uid} should be all-day`);
        if (ev.startDate.toString() !== e.start) fail(`${file}: ${ev.uid} start ${ev.startDate} vs ${e.start}`);
        const last = ev.endDate.clone();
        last.adjust(-1, 0, 0, 0);
        if (last.toString() !== e.end) fail(`${file}: ${ev.uid} exclusive end ${ev.endDate} vs ${e.end}`);
      } else {
        if (ev.startDate.isDate) fail(`${file}: ${ev.uid} should be timed`);
        if (ev.startDate.zone.tzid !== "Europe/Amsterdam") fail(`${file}: ${ev.uid} floating (${ev.startDate.zone.tzid})`);
        const want = Date.parse(e.start) / 1000, wantEnd = Date.parse(e.end) / 1000;
        if (ev.startDate.toUnixTime() !== want || ev.endDate.toUnixTime() !== wantEnd)
          fail(`${file}: ${ev.uid} ${ev.startDate.toUnixTime()} vs ${want} (${e.start})`);
      }
    }
  }
  if (feeds === 0) fail(`${out}: no feeds`);
  console.log(`ical.js: ${feeds} feeds, ${events} events in ${out} OK`);
}
