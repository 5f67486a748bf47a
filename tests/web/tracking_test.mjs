// Tracking in the browser, on 10 February, after the toetsperiode midden: a teacher ticks off
// a test session ("Afgenomen"), marks one held on another day with a note, undoes one, and
// marks the rest held at once after a confirmation that lists them; subscribing survives a
// reload (the link is shown once and keeps working); the schoolleider makes a group's feed
// and sees the cycle table fit a laptop screen and "nog niets te beoordelen" where nothing is
// due; the bestuur sees what was expected by now and the overdue split by kind. Real daemon,
// Debian's chromium under the pages' CSP, axe, screenshots.
//
//   node tracking_test.mjs JAARKALENDER SOURCE_DIR SCREENSHOT_DIR
import { setup } from './lib.mjs';

const [binary, source, shots] = process.argv.slice(2);
const { base, check, newPage, scan, signInWith, loginLink, finish } =
  await setup({ binary, source, shots, now: '2027-02-10T16:00' });

async function openCount(page) {
  const heading = page.getByRole('heading', { name: /^Nog af te vinken \(\d+\)$/ });
  if (await heading.count() === 0) return 0;
  return Number((await heading.textContent()).match(/\d+/)[0]);
}

try {
  // ---- a teacher ticks off her own tracked events --------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('bram'));
    const open = await openCount(page);
    check(open >= 4, `teacher: tracked events to tick off (${open})`);
    const rows = page.locator('#af-te-vinken ~ div.scroll').first().locator('tbody tr');
    const texts = (await rows.allTextContents()).join('\n');
    check(!/Teamvergadering|Bouwoverleg/.test(texts), 'teacher: recurring meetings are not to tick off');
    const sessions = page.getByRole('button', { name: / is afgenomen$/ });
    check(await sessions.count() >= 1, 'teacher: test sessions are marked "Afgenomen"');
    await scan(page, 'af-te-vinken');

    // One test session: afgenomen.
    await sessions.first().click();
    await page.waitForURL(/melding=gehouden/);
    check(await page.getByText('De afspraak staat op gehouden.').isVisible(), 'afgenomen: confirmed');
    check(await openCount(page) === open - 1, 'afgenomen: one fewer to tick off');

    // Another: held on another day, with a note that stays inside.
    const other = page.locator('details.held-other').first();
    const title = (await other.locator('xpath=ancestor::tr/td[2]').textContent()).trim();
    await other.locator('summary').click();
    // On a phone (390 px) the opened form is whole: its fields and button lie inside the screen.
    await page.setViewportSize({ width: 390, height: 800 });
    const inside = async (loc) => {
      const b = await loc.boundingBox();
      return b !== null && b.x >= 0 && b.x + b.width <= 390;
    };
    check(await inside(other.getByLabel(/op$/)) && await inside(other.getByLabel('Korte notitie (optioneel)')) &&
          await inside(other.getByRole('button', { name: 'Bewaar' })), 'another day: the form fits 390 px');
    await page.screenshot({ path: `${shots}/andere-dag-390.png`, fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
    const day = other.getByLabel(/op$/);
    const planned = await day.inputValue();
    const earlier = new Date(Date.parse(planned) - 86400000 * (new Date(planned).getDay() === 1 ? 3 : 1));
    const held = earlier.toISOString().slice(0, 10);
    await day.fill(held);
    await other.getByLabel('Korte notitie (optioneel)').fill('Met de duo-collega samen gedaan');
    await other.getByRole('button', { name: 'Bewaar' }).click();
    await page.waitForURL(/melding=gehouden/);
    check(await openCount(page) === open - 2, 'another day: one fewer again');
    const recent = page.locator('#afgevinkt ~ div.scroll').first();
    check((await recent.textContent()).includes('Met de duo-collega samen gedaan'), 'another day: the note is shown to her');
    check((await recent.textContent()).includes(title), `another day: "${title}" is among what she ticked off`);
    await scan(page, 'onlangs-afgevinkt');

    // A day in the future is refused at its field, in Dutch.
    const future = page.locator('details.held-other').first();
    await future.locator('summary').click();
    const futureDay = future.getByLabel(/op$/);
    await futureDay.evaluate((el) => el.removeAttribute('max'));
    await futureDay.fill('2027-03-01');
    await future.getByRole('button', { name: 'Bewaar' }).click();
    check(await page.getByText(/Gehouden op: die datum ligt in de toekomst/).isVisible(), 'a future day: refused, said of the field');
    await page.goto(`${base}/`);

    // Undo the first one: it is open again.
    const undo = page.getByRole('button', { name: /: ongedaan maken$/ });
    const undoable = await undo.count();
    check(undoable >= 2, `undo: offered for what she ticked off (${undoable})`);
    await undo.first().click();
    await page.waitForURL(/melding=ongedaan/);
    check(await page.getByText('Ongedaan gemaakt').isVisible(), 'undo: confirmed');
    check(await openCount(page) === open - 1, 'undo: open again');

    // All at once, after a confirmation that lists them.
    const left = await openCount(page);
    await page.getByRole('button', { name: `Alles t/m vandaag gehouden (${left})` }).click();
    check(await page.getByRole('heading', { name: 'Alles t/m vandaag gehouden?' }).isVisible(), 'all at once: asks first');
    check(await page.locator('main ul li').count() === left, `all at once: lists the ${left} events`);
    await scan(page, 'alles-gehouden-bevestigen');
    await page.getByRole('button', { name: 'Ja, zet ze op gehouden' }).click();
    await page.waitForURL(/melding=alles-gehouden/);
    check(await page.getByText('Alles tot en met vandaag staat op gehouden.').isVisible(), 'all at once: confirmed');
    check(await openCount(page) === 0, 'all at once: nothing left to tick off');
    await scan(page, 'alles-gehouden');

    // Subscribe, then reload: no second link, and the first keeps working.
    await page.getByRole('button', { name: /Maak (mijn abonnementslink|een nieuwe link)/ }).click();
    await page.waitForURL(/melding=abonnement/);
    const feedUrl = await page.locator('#feed-url').inputValue();
    check(/\/feeds\/[0-9a-f]{32}\.ics$/.test(feedUrl), 'subscribe: the link is shown');
    await scan(page, 'abonnement-nieuw');
    await page.reload();
    check(await page.locator('#feed-url').count() === 0, 'subscribe: a reload does not show it again');
    check(await page.getByText('De link is al getoond').isVisible(), 'subscribe: a reload says it was shown');
    const feed = await fetch(feedUrl);
    check(feed.status === 200, `subscribe: the link still works after the reload (${feed.status})`);
    const ics = await feed.text();
    check(/CATEGORIES:vakantie/.test(ics) && /CATEGORIES:studiedag/.test(ics), 'her own feed has the vakanties and studiedagen');
    check(/SUMMARY:Voorjaarsvakantie/.test(ics), 'her own feed names the voorjaarsvakantie');
    check(!ics.includes('duo-collega'), 'the note is not in the feed');
    await context.close();
  }

  // ---- the schoolleider ---------------------------------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('erik'));
    await page.goto(`${base}/schoolleider`);
    check(await page.getByRole('heading', { name: /Toetsperiode eind: nog niets te beoordelen/ }).isVisible(),
      'schoolleider: nothing due yet is said so, not "0 van 0 (–)"');
    check(!(await page.locator('main').textContent()).includes('0 van 0'), 'schoolleider: no "0 van 0"');
    const table = page.locator('table.cycle').first();
    const box = await table.boundingBox();
    check(box && box.x + box.width <= 1280, `schoolleider: the cycle table fits 1280 px (${box && Math.round(box.x + box.width)})`);
    const firstColumn = await table.locator('th[scope="row"]').first().boundingBox();
    check(firstColumn && firstColumn.x >= 0, 'schoolleider: the group column is on screen');
    check(await page.locator('ul.month-events li').count() > 20, 'schoolleider: the year overview lists the events');
    await page.getByLabel('Welke agenda?').selectOption({ label: 'Groep 3' });
    await page.getByRole('button', { name: 'Maak een link' }).click();
    await page.waitForURL(/agenda-links/);
    const groupUrl = await page.locator('#feed-url').inputValue();
    const group = await fetch(groupUrl);
    check(group.status === 200, `schoolleider: a group feed from the page (${group.status})`);
    // It is groep 3's calendar: named so, with its groepsbesprekingen and toetsen, and nothing
    // of another group.
    const groupIcs = (await group.text()).replace(/\r\n[ \t]/g, '');
    check(/^X-WR-CALNAME:.* – Groep 3\r?$/m.test(groupIcs), 'group feed: named after groep 3');
    const summaries = [...groupIcs.matchAll(/^SUMMARY:(.*?)\r?$/gm)].map((m) => m[1]);
    check(summaries.includes('Groepsbespreking Groep 3 (Toetsperiode midden)'), 'group feed: its groepsbespreking');
    check(summaries.some((t) => t.endsWith('(Groep 3)')), 'group feed: its toetsen');
    const others = summaries.filter((t) => /Groep (?!3\b)[0-9]/.test(t));
    check(others.length === 0, `group feed: nothing of another group (${others.slice(0, 3).join('; ')})`);
    await scan(page, 'schoolleider-groepsagenda');
    await page.reload();
    check(await page.locator('#feed-url').count() === 0, 'schoolleider: the group link is shown once');
    await page.emulateMedia({ media: 'print' });
    check(!(await page.locator('header').isVisible()), 'print: no menu');
    check(!(await page.getByRole('button', { name: 'Maak een link' }).isVisible()), 'print: no buttons');
    await page.screenshot({ path: `${shots}/schoolleider-print.png`, fullPage: true });
    await context.close();
  }

  // ---- the bestuur --------------------------------------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('fatima'));
    await page.goto(`${base}/bestuur`);
    for (const col of ['Gehouden van verwacht', 'totaal', 'consultaties', 'besprekingen', 'toetsen'])
      check(await page.getByRole('columnheader', { name: col, exact: true }).isVisible(), `bestuur: column "${col}"`);
    const row = await page.locator('tbody tr').first().textContent();
    check(/\d+ van \d+ \(\d+%\)/.test(row), `bestuur: figures with their share (${row.replace(/\s+/g, ' ').slice(0, 120)})`);
    await scan(page, 'bestuur-verwacht');
    await context.close();
  }
  await finish();
} catch (e) {
  await finish(e);
}
