// The staff-change pages end to end in chromium against the real daemon, on a Monday in
// January: the IB'er enters a sick teacher with a new invaller, sees "Wat verandert er?" and
// saves; the invaller gets the mail; the absence is extended from the list; the schoolleider
// records a leaver, a newcomer (first with an address that is not one: the message at the
// field), a hand-over (with "Terug" keeping the form) and a studiedag, and undoes the
// studiedag; a teacher is refused. Every page is screenshot at 360 and 1280 px and scanned.
//
//   node staff_test.mjs JAARKALENDER SOURCE_DIR SCREENSHOT_DIR
import { setup, preview, save } from './lib.mjs';

const [binary, source, shots] = process.argv.slice(2);
const { base, check, newPage, scan, waitForMail, signInWith, loginLink, finish } =
  await setup({ binary, source, shots, now: '2027-01-11T09:00' });


async function firstHistoryRow(page) {
  return (await page.locator('table').last().locator('tbody tr').first().textContent()).replace(/\s+/g, ' ');
}

try {
  // ---- the IB'er: a sick teacher with a new invaller -----------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('anna'));
    await page.getByRole('link', { name: 'Wijzigingen' }).click();
    check(await page.getByRole('heading', { name: 'Wijzigingen in personen en dagen' }).isVisible(), 'wijzigingen: the overview');
    await scan(page, 'wijzigingen');

    await page.getByRole('link', { name: 'Iemand is afwezig' }).click();
    await scan(page, 'wijziging-afwezig');
    await page.getByLabel('Wie is er afwezig?').selectOption({ label: 'Bram Jansen' });
    await page.getByLabel('Eerste dag afwezig').fill('2027-01-18');
    await page.getByLabel('Laatste dag afwezig').fill('2027-01-29');
    await page.getByLabel('Reden').fill('ziek');
    await page.getByLabel(/^Invaller/).selectOption('nieuw');
    // Needed for a new invaller, and labelled so (not "niet verplicht").
    const nameLabel = await page.locator('label[for]', { hasText: 'Naam van de nieuwe invaller' }).textContent();
    check(/nodig bij een nieuwe invaller/.test(nameLabel) && !/niet verplicht/.test(nameLabel),
      `the new invaller's name is labelled truthfully (${nameLabel.trim()})`);
    await page.getByLabel('Naam van de nieuwe invaller').fill('Lotte van Dijk');
    await page.getByLabel('E-mailadres van de nieuwe invaller').fill('lotte@invalpool.nl');
    await page.getByLabel('Toelichting').fill('griep, voorlopig twee weken');
    await preview(page);
    const summary = 'Bram Jansen afwezig van ma 18 januari t/m vr 29 januari; nieuwe invaller Lotte van Dijk';
    check(await page.getByText(summary).isVisible(), 'afwezig: the preview names the change in Dutch');
    check(await page.getByText('Er is nog niets opgeslagen.').isVisible(), 'afwezig: nothing stored yet');
    const mails = await page.locator('h2:has-text("Wie krijgt een e-mail") + ul').textContent();
    check(mails.includes('Lotte van Dijk'), `afwezig: the invaller gets a mail (${mails})`);
    check(!(await page.content()).includes('absence'), 'afwezig: no configuration words');
    await scan(page, 'wat-verandert-er-afwezig');
    await save(page);
    check(await page.getByText(`Opgeslagen: ${summary}.`).isVisible(), 'afwezig: saved');
    check((await firstHistoryRow(page)).includes(summary), 'afwezig: first in the history');
    check((await firstHistoryRow(page)).includes('Anna de Vries'), 'afwezig: who made it');
    check((await firstHistoryRow(page)).includes('griep'), 'afwezig: why');
    await scan(page, 'wijziging-opgeslagen');

    // The invaller is told by mail which tests she takes, without the reason.
    const mail = await waitForMail('lotte@invalpool.nl', 'change');
    check(mail.includes('Beste Lotte'), 'invaller: a mail addressed to her');
    check(!/ziek|griep/i.test(mail), 'invaller: the mail says nothing of why Bram is away');
    const text = mail.slice(mail.indexOf('text/plain'), mail.indexOf('--=_jk_a_', mail.indexOf('text/plain')));
    console.log('--- the invaller\'s mail, as she reads it ---\n' + text);

    // Extended from the list of absences: the form comes filled in.
    await page.getByRole('link', { name: 'Einddatum van Bram Jansen wijzigen' }).click();
    check(await page.getByLabel('Laatste dag afwezig').inputValue() === '2027-01-29', 'verlengen: the current last day');
    check(await page.getByLabel('Reden').inputValue() === 'ziek', 'verlengen: the reason kept');
    await page.getByLabel('Laatste dag afwezig').fill('2027-02-05');
    await page.getByLabel(/^Invaller/).selectOption({ label: 'Lotte van Dijk' });
    await preview(page);
    await save(page);
    check(await page.getByText('t/m vr 5 februari').first().isVisible(), 'verlengen: the new last day');
    await context.close();
  }

  // ---- the schoolleider: a leaver, a newcomer, a hand-over, a studiedag, an undo ------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('erik'));
    await page.goto(`${base}/wijzigingen/nieuw/vertrek`);
    await page.getByLabel('Wie vertrekt?').selectOption({ label: 'Karin Dekker' });
    await page.getByLabel('Laatste werkdag').fill('2027-01-19');
    check(await page.getByRole('button', { name: 'Opvolgers per groep kiezen' }).isVisible(), 'leaver: a button asks for the successors');
    await preview(page);
    // Before it is too late: groep 5 has nobody from the next school day on.
    const alert = page.getByRole('alert').filter({ hasText: 'Groep 5 heeft vanaf' });
    check(await alert.count() === 1 && /Groep 5 heeft vanaf wo 20 januari geen leerkracht; voer een opvolger in/.test(await alert.textContent()),
      `leaver: the preview warns that groep 5 has no teacher (${await alert.count() ? await alert.textContent() : 'none'})`);
    await scan(page, 'wat-verandert-er-vertrek');
    // Back to the form: now that the leaver is known, it asks who takes over her group.
    await page.getByRole('button', { name: /^Terug/ }).click();
    const successor = page.getByLabel(/^Wie neemt Groep 5 over\?/);
    check(await successor.isVisible(), 'leaver: the form asks who takes over groep 5');
    check(await page.getByLabel(/^Eerste dag van de opvolger in Groep 5/).isVisible(), 'leaver: and from when');
    check((await successor.locator('option').allTextContents()).every((o) => o !== 'Karin Dekker'), 'leaver: not the leaver herself');
    await scan(page, 'vertrek-opvolger');
    await preview(page);  // no successor yet: the newcomer comes below
    await save(page);

    // The newcomer, first with an e-mail address that is not one.
    await page.goto(`${base}/wijzigingen/nieuw/nieuw`);
    await page.getByLabel('Naam', { exact: true }).fill('Sanne Dekker');
    await page.getByLabel('E-mailadres').fill('sanne-at-voorbeeld.nl');
    for (const d of ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag'])
      await page.locator('#f-works').getByLabel(d).check();
    await page.getByLabel('Eerste werkdag').fill('2027-01-20');
    await page.getByLabel(/^Groep( \(niet verplicht\))?$/).selectOption({ label: 'Groep 5' });
    await preview(page).catch(() => {});
    const error = page.locator('#f-email-error');
    check(await error.isVisible() && (await error.textContent()).includes('geen geldig e-mailadres'), 'nieuw: the loader\'s message at the e-mail field');
    check(await page.getByLabel('E-mailadres').getAttribute('aria-invalid') === 'true', 'nieuw: the field is marked invalid');
    check(await page.getByLabel('Naam', { exact: true }).inputValue() === 'Sanne Dekker', 'nieuw: what was typed stays');
    await scan(page, 'fout-bij-veld');
    await page.getByLabel('E-mailadres').fill('s.dekker@voorbeeld.nl');
    await preview(page);
    check(await page.getByText('Nieuwe collega Sanne Dekker vanaf wo 20 januari (Groep 5)').isVisible(), 'nieuw: the preview');
    await scan(page, 'wat-verandert-er-nieuw');
    await save(page);

    // The hand-over; "Terug" keeps what was filled in.
    await page.goto(`${base}/wijzigingen/nieuw/overdracht`);
    await page.getByLabel(/^Groep( \(niet verplicht\))?$/).selectOption({ label: 'Groep 6' });
    await page.getByLabel('Wie draagt de groep over?').selectOption({ label: 'Lisa Smits' });
    await page.getByLabel('Wie neemt de groep over?').selectOption({ label: 'Sanne Dekker' });
    await page.getByLabel('Eerste dag van de nieuwe leerkracht').fill('2027-03-01');
    await preview(page);
    await page.getByRole('button', { name: 'Terug' }).click();
    check(await page.getByLabel('Eerste dag van de nieuwe leerkracht').inputValue() === '2027-03-01', 'overdracht: Terug keeps the form');
    await scan(page, 'wijziging-overdracht');
    await preview(page);
    check(await page.getByText('Groep 6 gaat van Lisa Smits naar Sanne Dekker per ma 1 maart').isVisible(), 'overdracht: the preview');
    await save(page);

    // A studiedag: what moves is listed with Dutch dates and reasons.
    await page.goto(`${base}/wijzigingen/nieuw/dicht`);
    await page.getByLabel('studiedag (geen leerlingen, team aanwezig)').check();
    await page.getByLabel('Naam', { exact: true }).fill('Studiedag gedrag');
    await page.getByLabel('Datum (eerste dag)').fill('2027-01-19');
    await preview(page);
    const moved = page.locator('h2', { hasText: /^Verschoven \(\d+\)$/ });
    check(await moved.count() === 1, 'studiedag: events move');
    const rows = await page.locator('table').first().textContent();
    check(/di 19 januari/.test(rows), `studiedag: moved from di 19 januari (${rows.slice(0, 200)})`);
    check(!/\d{4}-\d{2}-\d{2}/.test(rows), 'studiedag: no ISO dates in what people read');
    await scan(page, 'wat-verandert-er-studiedag');
    await save(page);
    check(await page.getByRole('heading', { name: /^Verschoven \(\d+\)$/ }).isVisible(), 'studiedag: after saving, what moved');

    // Undo the studiedag: a preview, then a new entry in the history.
    await page.locator('button[aria-label^="Ongedaan maken: Studiedag"]').click();
    await page.getByRole('heading', { name: 'Wat verandert er?' }).waitFor();
    check(await page.getByText('Ongedaan gemaakt: Studiedag').isVisible(), 'undo: the preview names it');
    await save(page);
    check((await firstHistoryRow(page)).includes('Ongedaan gemaakt: Studiedag'), 'undo: a new entry');
    check((await page.locator('table').last().textContent()).includes('ongedaan gemaakt'), 'undo: the studiedag marked as undone');
    await scan(page, 'wijzigingen-geschiedenis');
    await context.close();
  }

  // ---- the set-up: a rule in the school's words, working days from a date ----------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('erik'));
    await page.goto(`${base}/wijzigingen`);
    await page.getByRole('link', { name: 'Groepsbespreking aanpassen' }).click();
    const duo = page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de leerkracht(en) van de groep; bij een duo die elkaar nooit treft: wie er kan');
    check(await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de leerkracht(en) van de groep, allemaal').isChecked(), 'regel: what it is now, in words');
    check(!(await page.content()).includes('group_teachers</'), 'regel: no configuration words on the page');
    await scan(page, 'wijziging-regel');
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de leerkracht(en) van de groep, allemaal').uncheck();
    await duo.check();
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('een IB\'er', { exact: true }).uncheck();
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de IB\'er, of anders de schoolleider').check();
    await page.getByLabel('Hoe lang, in minuten').fill('60');
    await preview(page);
    check(await page.getByText('Regel \'Groepsbespreking\' gewijzigd').isVisible(), 'regel: the preview names the rule');
    check(await page.getByText('Er is nog niets opgeslagen.').isVisible(), 'regel: nothing stored yet');
    await scan(page, 'wat-verandert-er-regel');
    await save(page);
    check((await firstHistoryRow(page)).includes('Regel \'Groepsbespreking\' gewijzigd'), 'regel: in the history');
    const rules = await page.locator('table', { hasText: 'Wat er elk jaar moet gebeuren' }).textContent();
    check(rules.includes('bij een duo die elkaar nooit treft'), 'regel: the list says who now');

    // Anna works on Fridays too from 1 February.
    await page.goto(`${base}/wijzigingen/nieuw/werkdagen`);
    await page.getByLabel('Wie?').selectOption({ label: 'Anna de Vries' });
    await page.getByLabel('Vanaf').fill('2027-02-01');
    for (const day of ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag']) await page.getByLabel(day, { exact: true }).check();
    await preview(page);
    check(await page.getByText('Anna de Vries werkt vanaf ma 1 februari op ma di wo do vr').isVisible(), 'werkdagen: the preview');
    await scan(page, 'wat-verandert-er-werkdagen');
    await save(page);
    check((await firstHistoryRow(page)).includes('Anna de Vries werkt vanaf ma 1 februari'), 'werkdagen: in the history');

    // The school's own hours: the form as the school is now.
    await page.goto(`${base}/wijzigingen/nieuw/school`);
    check(await page.getByLabel('Lestijden op woensdag').inputValue() === '08:30-12:15', 'school: the hours as they are');
    await scan(page, 'wijziging-school');

    // A test period moves a week: chosen, opened with what it is now, moved.
    await page.goto(`${base}/wijzigingen`);
    await page.getByRole('link', { name: 'Een toetsperiode', exact: true }).click();
    await page.getByLabel('Welke toetsperiode?').selectOption('eind');
    await page.getByRole('button', { name: 'Deze toetsperiode openen' }).click();
    check(await page.getByLabel('Eerste dag').inputValue() === '2027-05-31', 'toetsperiode: what it is now');
    await scan(page, 'wijziging-toetsperiode');
    await page.getByLabel('Eerste dag').fill('2027-06-07');
    await page.getByLabel('Laatste dag').fill('2027-06-25');
    await preview(page);
    check(await page.getByText('Toetsperiode \'Toetsperiode eind\' gewijzigd').isVisible(), 'toetsperiode: the preview names it');
    check(await page.locator('h2', { hasText: /^Verschoven \(\d+\)$/ }).count() === 1, 'toetsperiode: its tests move');
    await scan(page, 'wat-verandert-er-toetsperiode');
    await save(page);

    // The formatie from a spreadsheet: an error in row 7 is refused at that row, then accepted.
    await page.getByRole('link', { name: 'De formatie uit een spreadsheet' }).click();
    await scan(page, 'formatie');
    const template = await (await page.request.get(`${base}/wijzigingen/formatie.csv`)).text();
    const lines = template.replace(/^\uFEFF/, '').split('\r\n');
    check(lines[0] === 'Naam;E-mailadres;Rollen;Werkdagen;Groep;Dagen in de groep', `formatie: the template's header (${lines[0]})`);
    const broken = [...lines];
    broken[6] = 'Iemand Anders;iemand@voorbeeld.nl;;ma, za;;';
    await page.getByLabel('Bestand (.xlsx of .csv)').setInputFiles({ name: 'formatie.csv', mimeType: 'text/csv', buffer: Buffer.from(broken.join('\r\n')) });
    await preview(page).catch(() => {});
    const errors = await page.locator('table', { hasText: 'Wat er mis is' }).textContent();
    check(/7\s*Werkdagen\s*'za' is geen werkdag/.test(errors), `formatie: refused at row 7 (${errors.replace(/\s+/g, ' ').slice(0, 160)})`);
    await scan(page, 'formatie-fout');
    const fixed = [...lines.filter((l) => l !== ''), 'Nina Nieuw;nina@voorbeeld.nl;;ma, di;Groep 3b;'];
    await page.getByLabel('Bestand (.xlsx of .csv)').setInputFiles({ name: 'formatie.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed.join('\r\n')) });
    await preview(page);
    check(await page.getByText('Nina Nieuw', { exact: true }).isVisible(), 'formatie: who is new');
    check(await page.getByText('Groep 3b', { exact: true }).isVisible(), 'formatie: the new group');
    // The rest is as the school has it from today: Anna's working days from 1 February and the
    // hand-overs of groep 5 and 6 stay as they were entered.
    check(await page.getByRole('heading', { name: /^Gewijzigd/ }).count() === 0, 'formatie: nobody else changes');
    check(!(await page.content()).includes('Sanne Dekker staat dan zelf voor de klas'), 'formatie: the hand-overs stay');
    await scan(page, 'wat-verandert-er-formatie');
    await save(page);
    check((await firstHistoryRow(page)).includes('Formatie ingelezen: 1 nieuw'), 'formatie: one change in the history');
    await context.close();
  }

  // ---- a teacher is refused -------------------------------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('carla'));
    check(await page.getByRole('link', { name: 'Wijzigingen' }).count() === 0, 'teacher: no Wijzigingen in the menu');
    const r = await page.goto(`${base}/wijzigingen/nieuw/afwezig`);
    check(r.status() === 403, `teacher: 403 (${r.status()})`);
    check(await page.getByText('voert de IB\'er of de schoolleider').isVisible(), 'teacher: says who can');
    await scan(page, 'wijzigingen-geen-toegang');
    await context.close();
  }
  await finish();
} catch (e) {
  await finish(e);
}
