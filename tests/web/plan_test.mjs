// The jaarplanning in the browser: the schoolleider's page with its filters and downloads, printed
// by chromium at A4 landscape and read back with pdftotext (every month, no menu, the header
// repeated); the bestuur reads it; a teacher may not. The parents' jaarrooster: public, framable,
// its feed read by ical.js and naming no staff. Real daemon, the pages' CSP, axe, screenshots.
//
//   node plan_test.mjs JAARKALENDER SOURCE_DIR SCREENSHOT_DIR
import { setup } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const [binary, source, shots] = process.argv.slice(2);
const { base, check, newPage, scan, signInWith, loginLink, finish } =
  await setup({ binary, source, shots, now: '2026-11-23T09:00' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jk-plan-'));

function pdftext(file, raw = true) {
  return execFileSync('pdftotext', [...(raw ? ['-raw'] : []), file, '-']).toString();
}

try {
  // ---- the schoolleider --------------------------------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('erik'));
    await page.getByRole('link', { name: 'Jaarplanning' }).click();
    check(await page.getByRole('heading', { name: /^Jaarplanning 2026-2027: / }).isVisible(), 'jaarplanning: the page');
    for (const col of ['Week', 'Datum', 'Vrij en toetsperiode', 'Toetsen', 'Consultaties', 'Besprekingen', 'Vergaderingen', 'Bestuur en overleg'])
      check(await page.getByRole('columnheader', { name: col, exact: true }).isVisible(), `jaarplanning: column "${col}"`);
    const text = await page.locator('table.jaarplanning').textContent();
    check(text.includes('Herfstvakantie') && text.includes('Toetsperiode midden'), 'jaarplanning: vacations and test periods');
    check(/Rekenen-Wiskunde: \d+ groepen/.test(text), 'jaarplanning: the test sessions summarised per test');
    check(await page.locator('tbody.plan-month').count() >= 11, 'jaarplanning: a block per month');
    await scan(page, 'jaarplanning');

    // Print: A4 landscape, every month, the header on every page, no menu or buttons.
    const printed = path.join(tmp, 'print.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: printed, preferCSSPageSize: true, printBackground: true });
    await page.screenshot({ path: path.join(shots, 'jaarplanning-print.png'), fullPage: false });
    await page.emulateMedia({ media: 'screen' });
    const info = execFileSync('pdfinfo', [printed]).toString();
    const [, w, h] = info.match(/Page size:\s+([\d.]+) x ([\d.]+)/);
    check(Math.abs(Number(w) - 841.89) < 2 && Math.abs(Number(h) - 595.28) < 2, `print: A4 landscape (${w} x ${h})`);
    const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
    const ptext = pdftext(printed);
    for (const m of ['september', 'oktober', 'november', 'december', 'januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli'])
      check(ptext.toLowerCase().includes(m), `print: ${m}`);
    check(!/Uitloggen|Mijn jaarkalender|Downloaden|Toon/.test(ptext), 'print: no menu, filters or buttons');
    const perPage = [];
    for (let p = 1; p <= pages; p++) perPage.push(execFileSync('pdftotext', ['-f', String(p), '-l', String(p), printed, '-']).toString());
    check(perPage.every((t) => t.includes('Consultaties')), `print: the column headings on each of the ${pages} pages`);
    check(pages >= 11, `print: a page per month at least (${pages})`);

    // A person's jaarplanning, and the downloads with the same filter.
    await page.getByLabel('Persoon').selectOption({ label: 'Bram Jansen' });
    await page.getByRole('button', { name: 'Toon' }).click();
    check(/persoon=bram/.test(page.url()), 'filter: a person');
    check((await page.locator('table.jaarplanning caption').textContent()).includes('van Bram Jansen'), 'filter: Bram\'s jaarplanning');
    const pdfHref = await page.getByRole('link', { name: 'PDF (A4)' }).getAttribute('href');
    const pdf = await context.request.get(`${base}${pdfHref}`);
    check(pdf.status() === 200 && pdf.headers()['content-type'] === 'application/pdf', 'download: the PDF');
    fs.writeFileSync(path.join(tmp, 'bram.pdf'), await pdf.body());
    check(pdftext(path.join(tmp, 'bram.pdf')).includes('van Bram Jansen'), 'download: Bram\'s PDF');
    const xlsx = await context.request.get(`${base}${await page.getByRole('link', { name: 'Excel' }).getAttribute('href')}`);
    check(xlsx.status() === 200 && /attachment; filename="jaarplanning-voorbeeldschool-2026-2027-bram\.xlsx"/.test(xlsx.headers()['content-disposition']), 'download: the Excel file, named');
    const csv = await context.request.get(`${base}${await page.getByRole('link', { name: 'CSV' }).getAttribute('href')}`);
    const csvText = (await csv.body()).toString('utf8');
    check(csvText.charCodeAt(0) === 0xfeff && csvText.includes('Datum;Tot en met;'), 'download: the CSV for Dutch Excel');
    await page.getByLabel('Groep').selectOption({ label: 'Groep 3' });
    await page.getByLabel('Persoon').selectOption({ label: 'Iedereen' });
    await page.getByRole('button', { name: 'Toon' }).click();
    check((await page.locator('table.jaarplanning caption').textContent()).includes('van Groep 3'), 'filter: a group');
    await scan(page, 'jaarplanning-groep');
    await context.close();
  }

  // ---- the bestuur reads it; a teacher may not ----------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('fatima'));
    const r = await page.goto(`${base}/jaarplanning?school=voorbeeldschool`);
    check(r.status() === 200 && await page.locator('table.jaarplanning').isVisible(), 'bestuur: reads the jaarplanning');
    await context.close();
  }
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('bram'));
    const r = await page.goto(`${base}/jaarplanning`);
    check(r.status() === 403, `teacher: the jaarplanning is for the IB'er and schoolleider (${r.status()})`);
    await context.close();
  }

  // ---- parents ------------------------------------------------------------------------------
  {
    const { context, page } = await newPage(1280);
    const r = await page.goto(`${base}/scholen/voorbeeldschool/jaarrooster`);
    check(r.status() === 200, 'parents: the jaarrooster without signing in');
    const csp = r.headers()['content-security-policy'];
    check(/frame-ancestors \*/.test(csp), `parents: the page may be framed (${csp})`);
    const rooster = await page.locator('main').textContent();
    for (const w of ['Eerste schooldag', 'Herfstvakantie', 'Kerstvakantie', 'Laatste schooldag', 'Studiedag'])
      check(rooster.includes(w), `parents: ${w}`);
    check(!/Anna|Bram|Klassenconsultatie|Uitloggen/.test(rooster), 'parents: nothing about staff');
    // The zomervakantie that closes the year, after the last school day, as the feed has it.
    const summer = await page.getByRole('row', { name: /^Zomervakantie/ }).textContent().catch(() => '');
    check(/za 17 juli t\/m zo 29 augustus 2027/.test(summer), `parents: the zomervakantie (${summer.trim()})`);
    await scan(page, 'jaarrooster');
    // Embedded in a school's website (another origin: a second server on loopback).
    const http = await import('node:http');
    const site = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><title>De Voorbeeld</title><h1>Onze school</h1><iframe id="f" title="Jaarrooster" src="${base}/scholen/voorbeeldschool/jaarrooster" width="800" height="600"></iframe>`);
    });
    await new Promise((r) => site.listen(0, '127.0.0.1', r));
    await page.goto(`http://localhost:${site.address().port}/`);
    const frame = await (await page.$('#f')).contentFrame();
    await frame.waitForSelector('table.rooster', { timeout: 10000 });
    check(await frame.locator('table.rooster').isVisible(), 'parents: shown inside the school website\'s frame');
    await page.screenshot({ path: path.join(shots, 'jaarrooster-in-frame.png') });
    site.close();
    const staffPage = await context.request.get(`${base}/inloggen`);
    check(/frame-ancestors 'none'/.test(staffPage.headers()['content-security-policy']), 'the staff pages still refuse framing');
    const ics = await context.request.get(`${base}/scholen/voorbeeldschool/jaarrooster.ics`);
    check(ics.status() === 200 && ics.headers()['content-type'].startsWith('text/calendar') && ics.headers()['etag'], 'parents: the feed, with an ETag');
    const again = await context.request.get(`${base}/scholen/voorbeeldschool/jaarrooster.ics`, { headers: { 'If-None-Match': ics.headers()['etag'] } });
    check(again.status() === 304, 'parents: the feed answers 304 when unchanged');
    const body = (await ics.body()).toString('utf8');
    const { default: ICAL } = await import(path.join(source, 'tests/feeds/node_modules/ical.js/dist/ical.js'));
    const comp = new ICAL.Component(ICAL.parse(body));
    const events = comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    check(events.length > 10 && events.every((e) => e.startDate.isDate), `parents: ${events.length} all-day events, parsed by ical.js`);
    check(events.some((e) => e.summary === 'Eerste schooldag') && events.some((e) => e.summary === 'Herfstvakantie'), 'parents: first school day and vacations');
    const names = fs.readFileSync(path.join(source, 'calendars/voorbeeldschool/school.toml'), 'utf8')
      .split('[[person]]').slice(1).map((b) => (b.match(/name = "([^"]+)"/) || [])[1]).filter(Boolean);
    check(names.length > 10 && names.every((n) => !body.includes(n)), 'parents: the feed names no staff');
    const py = path.join(tmp, 'rooster.ics');
    fs.writeFileSync(py, body);
    const out = execFileSync('/usr/bin/python3', ['-c', 'import icalendar,sys; c=icalendar.Calendar.from_ical(open(sys.argv[1],"rb").read()); print(len(c.walk("VEVENT")))', py]).toString().trim();
    check(Number(out) === events.length, `parents: python3-icalendar reads the same ${out} events`);
    await context.close();
  }
  await finish();
} catch (e) {
  await finish(e);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
