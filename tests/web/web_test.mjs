// The web pages end to end in Debian's chromium (playwright-core) against the real daemon:
// sign in by a link from the mail folder and by the command's link, see an overdue
// consultation, mark it held, see it leave the overdue list and the feed change; a teacher
// cannot open the IB'er's page; a form without its CSRF token is refused; moving shows the
// conflicts before saving. Every page is screenshot at phone and laptop width and scanned with
// axe-core: no serious or critical violations.
//
//   node web_test.mjs JAARKALENDER SOURCE_DIR SCREENSHOT_DIR
import { execFileSync } from 'node:child_process';
import { setup } from './lib.mjs';

const [binary, source, shots] = process.argv.slice(2);
const { base, check, newPage, scan, waitForMail, signInWith, loginLink, finish } =
  await setup({ binary, source, shots, now: '2026-11-23T09:00' });

function feedEvent(ics, uid) {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  const start = unfolded.indexOf(`UID:${uid}`);
  if (start < 0) return '';
  return unfolded.slice(start, unfolded.indexOf('END:VEVENT', start));
}

try {
  // ---- a teacher signs in with the link from the mail ---------------------------------------
  {
    const { context, page } = await newPage(1280);
    await page.goto(`${base}/`);
    check(page.url() === `${base}/inloggen`, 'not signed in: to the sign-in page');
    await scan(page, 'inloggen');
    await page.getByLabel('E-mailadres').fill('bram.jansen@voorbeeld.nl');
    await page.getByRole('button', { name: 'Stuur mij een link' }).click();
    check(await page.getByText('Als dit adres bij ons bekend is').isVisible(), 'sign-in: the neutral answer');
    const mail = await waitForMail('bram.jansen@voorbeeld.nl');
    const link = (mail.match(/http:\/\/127\.0\.0\.1:\d+\/inloggen\/[0-9a-f]{32}/) || [''])[0];
    check(link !== '', 'sign-in: the link arrives by mail');
    await signInWith(page, link);
    check(await page.getByRole('heading', { name: 'Mijn jaarkalender' }).isVisible(), 'teacher: Mijn jaarkalender');
    await scan(page, 'mijn-jaarkalender-leerkracht');
    // The link works once.
    const again = await context.request.post(link, { form: {} , maxRedirects: 0 });
    check(again.status() === 403, `a used sign-in link is refused (${again.status()})`);
    // A teacher cannot open the IB'er's page.
    const ib = await page.goto(`${base}/ib`);
    check(ib.status() === 403, `teacher on /ib: 403 (${ib.status()})`);
    check(await page.getByText('Deze pagina is voor de IB\'er').isVisible(), 'teacher on /ib: says why');
    await scan(page, 'geen-toegang');
    await context.close();
  }

  // ---- the IB'er ----------------------------------------------------------------------------
  {
    const link = loginLink('anna');
    const { context, page } = await newPage(1280);
    await signInWith(page, link);
    // Subscribe: the link is shown once.
    await page.getByRole('button', { name: 'Maak mijn abonnementslink' }).click();
    const feedUrl = await page.locator('#feed-url').inputValue();
    check(/\/feeds\/[0-9a-f]{32}\.ics$/.test(feedUrl), 'subscribe: an https link to copy');
    const webcal = await page.getByRole('link', { name: /Abonneren/ }).getAttribute('href');
    check(webcal.startsWith('webcal://'), 'subscribe: a webcal link');
    // The QR code, read back by an independent decoder (zbarimg) from what the browser drew.
    const qr = page.getByRole('img', { name: 'QR-code van de abonneerlink' });
    check(await qr.count() === 1, 'subscribe: a QR code of the link');
    await qr.screenshot({ path: `${shots}/abonnement-qr.png` });
    const decoded = execFileSync('zbarimg', ['--quiet', '--raw', `${shots}/abonnement-qr.png`]).toString().trim();
    check(decoded === webcal, `subscribe: the QR code says the webcal link (${decoded})`);
    await scan(page, 'mijn-jaarkalender-ib');

    await page.goto(`${base}/ib`);
    const overdueHeading = page.getByRole('heading', { name: /^Achterstallig \(\d+\)$/ });
    const before = Number((await overdueHeading.textContent()).match(/\d+/)[0]);
    const first = page.locator('tr.overdue-row').first();
    const title = (await first.locator('td').first().textContent()).trim();
    check(title.startsWith('Klassenconsultatie'), `overdue: a klassenconsultatie on top (${title})`);
    const action = await first.locator('form[action$="/gehouden"]').getAttribute('action');
    const uid = action.split('/')[2];
    await scan(page, 'ib');

    let feed = await (await fetch(feedUrl)).text();
    check(feedEvent(feed, uid) !== '' && !feedEvent(feed, uid).includes('DESCRIPTION:Gehouden.'), 'feed: the consultation, not yet held');

    // A form without its CSRF token is refused, and nothing changes.
    const forged = await context.request.post(`${base}/afspraak/${uid}/gehouden`, { form: { terug: '/ib' }, maxRedirects: 0 });
    check(forged.status() === 403, `a form without CSRF token: 403 (${forged.status()})`);
    const wrong = await context.request.post(`${base}/afspraak/${uid}/gehouden`, { form: { csrf: '0'.repeat(32) }, maxRedirects: 0 });
    check(wrong.status() === 403, `a form with a wrong CSRF token: 403 (${wrong.status()})`);
    await page.goto(`${base}/ib`);
    check(await page.locator(`tr.overdue-row form[action="/afspraak/${uid}/gehouden"]`).count() === 1, 'still overdue after the refused forms');

    // Mark it held.
    await page.locator(`tr.overdue-row form[action="/afspraak/${uid}/gehouden"] button`).click();
    await page.waitForURL(/melding=gehouden/);
    check(await page.getByText('De afspraak staat op gehouden.').isVisible(), 'held: confirmed');
    check(await page.locator(`tr.overdue-row form[action="/afspraak/${uid}/gehouden"]`).count() === 0, 'held: gone from the overdue list');
    const after = Number((await page.getByRole('heading', { name: /^Achterstallig \(\d+\)$/ }).textContent()).match(/\d+/)[0]);
    check(after === before - 1, `overdue count ${before} → ${after}`);
    feed = await (await fetch(feedUrl)).text();
    check(feedEvent(feed, uid).includes('DESCRIPTION:Gehouden.'), 'feed: the consultation now says Gehouden.');

    // Move: the conflicts are shown before saving.
    const second = await page.locator('tr.overdue-row a[href$="/verplaatsen"]').first().getAttribute('href');
    const movedUid = second.split('/')[2];
    const beforeMove = feedEvent(await (await fetch(feedUrl)).text(), movedUid);
    check(beforeMove !== '', `feed: the event to move is in the IB'er's feed (${movedUid})`);
    await page.goto(`${base}${second}`);
    await scan(page, 'verplaatsen');
    await page.getByLabel('Nieuwe datum').fill('2026-12-26');  // a Saturday in the Christmas vacation
    await page.getByRole('button', { name: 'Controleer' }).click();
    check(await page.getByText('Deze verplaatsing botst met de regels').isVisible(), 'move: conflicts shown before saving');
    check(await page.getByText('op za 26 december is het weekend').isVisible(), 'move: the conflict in plain Dutch');
    check(!/test_periods|avoid|\d{4}-\d{2}-\d{2}/.test(await page.locator('div.error').textContent()), 'move: no configuration words or ISO dates');
    check(await page.getByRole('button', { name: 'Toch verplaatsen' }).isVisible(), 'move: the IB\'er may force it');
    await scan(page, 'verplaatsen-botsing');
    // The first free moments are offered; one click moves it there.
    const offered = page.getByRole('button', { name: /^Verplaats naar / });
    check(await offered.count() === 5, `move: five free moments offered (${await offered.count()})`);
    const label = (await offered.first().textContent()).replace('Verplaats naar ', '');
    const form = page.locator('ul.suggestions form').first();
    const newDay = await form.locator('input[name="datum"]').inputValue();
    const newTime = await form.locator('input[name="tijd"]').inputValue();
    await offered.first().click();
    // A move asks to confirm: from where to where, and nothing has moved yet.
    check(await page.getByRole('heading', { name: `Verplaatsen naar ${label.split('–')[0]}?` }).isVisible(), `move: asks to confirm the move to ${label}`);
    check(feedEvent(await (await fetch(feedUrl)).text(), movedUid) === beforeMove, 'move: nothing moved before the confirmation');
    await scan(page, 'verplaatsen-bevestigen');
    await page.getByRole('button', { name: 'Ja, verplaats' }).click();
    await page.waitForURL(/melding=verplaatst/);
    check(await page.getByText('De afspraak is verplaatst.').isVisible(), `move: moved to ${label}`);
    check(await page.getByRole('button', { name: /ongedaan maken/ }).count() === 1, 'move: the IB page offers to undo it');
    await scan(page, 'verplaatst-ongedaan-knop');
    // The feed has the event at its new moment, with a higher SEQUENCE, so that a calendar
    // that already has it takes the change.
    const afterMove = feedEvent(await (await fetch(feedUrl)).text(), movedUid);
    const dtstart = `DTSTART;TZID=Europe/Amsterdam:${newDay.replaceAll('-', '')}T${newTime.replace(':', '')}00`;
    check(afterMove.includes(dtstart), `feed: the moved event starts ${dtstart} (${(afterMove.match(/DTSTART[^\r\n]*/) || [''])[0]})`);
    const sequence = (ev) => Number((ev.match(/SEQUENCE:(\d+)/) || [0, -1])[1]);
    check(sequence(afterMove) > sequence(beforeMove), `feed: SEQUENCE ${sequence(beforeMove)} → ${sequence(afterMove)}`);
    // Undo the move: back at its old moment, with a still higher SEQUENCE.
    await page.getByRole('button', { name: /ongedaan maken/ }).click();
    await page.waitForURL(/melding=verplaatsing-ongedaan/);
    check(await page.getByText('de afspraak staat weer op de oude tijd').isVisible(), 'move undone: said so');
    const undone = feedEvent(await (await fetch(feedUrl)).text(), movedUid);
    const oldStart = (beforeMove.match(/DTSTART[^\r\n]*/) || [''])[0];
    check(oldStart !== '' && undone.includes(oldStart), `feed: back at ${oldStart} after the undo`);
    check(sequence(undone) > sequence(afterMove), `feed: SEQUENCE ${sequence(afterMove)} → ${sequence(undone)} after the undo`);

    await page.goto(`${base}/schoolleider`);
    check(await page.getByRole('heading', { name: 'Cyclus op tijd per toetsperiode' }).isVisible(), 'schoolleider page');
    check(await page.locator('svg[role="img"]').count() === 1, 'schoolleider: the load chart (SVG)');
    check((await page.locator('svg[role="img"]').textContent()).includes('Schaal (minuten per week)'), 'schoolleider: the heat map has a scale');
    await page.locator('svg[role="img"]').screenshot({ path: `${shots}/belasting-schaal.png` });
    await scan(page, 'schoolleider');
    const board = await page.goto(`${base}/bestuur`);
    check(board.status() === 403, 'the IB\'er cannot open the bestuur page');

    // Sign out: the session ends.
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(`${base}/inloggen`);
    const gone = await context.request.get(`${base}/ib`, { maxRedirects: 0 });
    check(gone.status() === 303, 'signed out: pages redirect to sign in');
    await context.close();
  }

  // ---- the bestuur --------------------------------------------------------------------------
  {
    const link = loginLink('fatima');
    const { context, page } = await newPage(1280);
    await signInWith(page, link);
    await page.goto(`${base}/bestuur`);
    check(await page.getByRole('link', { name: 'Basisschool De Voorbeeld', exact: true }).isVisible(), 'bestuur: the school, linked');
    await scan(page, 'bestuur');
    // At 1280 px the whole table is seen, without scrolling sideways.
    const fits = await page.locator('table.figures').evaluate((t) => ({ table: t.scrollWidth, box: t.parentElement.clientWidth }));
    check(fits.table <= fits.box, `bestuur: the table fits 1280 px (${fits.table} ≤ ${fits.box})`);
    await page.getByRole('link', { name: 'Basisschool De Voorbeeld', exact: true }).click();
    check(await page.getByRole('heading', { name: /Schoolleider: / }).isVisible(), 'bestuur: the school\'s view');
    check(await page.locator('form[action$="/gehouden"]').count() === 0, 'bestuur: reads, no buttons');
    await context.close();
  }
  await finish();
} catch (e) {
  await finish(e);
}
