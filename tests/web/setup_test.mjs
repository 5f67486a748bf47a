// The school's set-up in chromium against the real daemon, on a school nobody here wrote its
// year for: three of its duos never share a day (Hanna, Tim and Carla work only on Thursday and
// Friday), so those groups get no groepsbespreking; Dirk teaches only on Friday, when no IB'er
// works. The schoolleider changes the groepsbespreking to "de leerkracht(en) van de groep; bij
// een duo die elkaar nooit treft: wie er kan" and sees, before saving, that the three groups get
// their cycle; the IB'er lets the schoolleider observe where no IB'er works; a new rule, a group,
// a copied test period and a rule switched off, each previewed; the bestuurder reads the set-up.
// Every page at 360 and 1280 px, under the real CSP, axe clean.
//
//   node setup_test.mjs JAARKALENDER SOURCE_DIR SCREENSHOT_DIR
import { setup, preview, save } from './lib.mjs';

const [binary, source, shots] = process.argv.slice(2);

/// The example school made into one whose duos of groep 1/2b, 3 and 4/5 never meet, and whose
/// schoolleider works on Fridays.
function duoSchool(text) {
  let t = text;
  for (const who of ['hanna', 'tim', 'carla']) {
    const re = new RegExp(`(id = "${who}"[\\s\\S]*?works = )\\[[^\\]]*\\]`);
    if (!re.test(t)) throw new Error(`no works for ${who}`);
    t = t.replace(re, '$1["do", "vr"]');
  }
  t = t.replace(/(id = "erik"[\s\S]*?works = )\[[^\]]*\]/, '$1["ma", "di", "wo", "do", "vr"]');
  return t;
}

const { base, check, newPage, scan, signInWith, loginLink, finish } =
  await setup({ binary, source, shots: shots + '/setup', now: '2026-09-07T09:00', prepare: duoSchool });


/// The row of "Het jaar in aantallen" of a rule, its text squeezed.
async function countRow(page, rule) {
  const row = page.locator('table', { hasText: 'Per regel' }).locator('tr', { hasText: rule }).first();
  return (await row.count()) ? (await row.locator('td').allTextContents()).map((c) => c.trim()).join(' ') : '';
}

try {
  // ---- the schoolleider: the groepsbespreking for a duo that never meets ----------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('erik'));
    await page.goto(`${base}/inrichting`);
    for (const h of ['De school', 'Mensen', 'Groepen', 'Toetskalender', 'Regels'])
      check(await page.getByRole('heading', { name: h, exact: true }).isVisible(), `inrichting: ${h}`);
    check(await page.getByRole('cell', { name: 'intern begeleider' }).first().isVisible(), 'inrichting: roles in words');
    await scan(page, 'inrichting');

    await page.getByRole('link', { name: 'Groepsbespreking aanpassen' }).click();
    check(await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de leerkracht(en) van de groep, allemaal').isChecked(), 'groepsbespreking: all teachers now');
    check(await page.getByLabel('na een toetsperiode').isChecked(), 'groepsbespreking: after a test period, in words');
    check(!(await page.content()).includes('test_periods'), 'groepsbespreking: no configuration words');
    await scan(page, 'regel-groepsbespreking');
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de leerkracht(en) van de groep, allemaal').uncheck();
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de leerkracht(en) van de groep; bij een duo die elkaar nooit treft: wie er kan').check();
    await preview(page);
    const before = await countRow(page, 'Groepsbespreking');
    check(/^Groepsbespreking \d+ \d+ [1-9]\d* 0$/.test(before), `groepsbespreking: nothing left unplanned (${before})`);
    const restored = (await page.locator('body').textContent()).replace(/\s+/g, ' ');
    for (const g of ['Groep 1/2b', 'Groep 3', 'Groep 4/5'])
      check(restored.includes(`Groepsbespreking ${g}`), `groepsbespreking: ${g} gets it`);
    check(await page.getByText('Er is nog niets opgeslagen.').isVisible(), 'groepsbespreking: nothing stored yet');
    await scan(page, 'wat-verandert-er-duo');
    await save(page);
    check(await page.getByText('Opgeslagen: Regel \'Groepsbespreking\' gewijzigd').isVisible(), 'groepsbespreking: saved');

    // A new rule in words: a groepsbezoek of each group, once a year during lessons.
    await page.goto(`${base}/inrichting`);
    await page.getByRole('link', { name: 'Een nieuwe regel' }).click();
    await page.getByLabel('Naam in de agenda').fill('Groepsbezoek {group}');
    await page.getByLabel('elke groep').check();
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('een IB\'er', { exact: true }).check();
    await page.getByLabel('onder lestijd, in de groep').check();
    await page.getByLabel('Hoe lang, in minuten').fill('30');
    await scan(page, 'regel-nieuw');
    await preview(page);
    check(await page.getByText('Regel \'Groepsbezoek\' toegevoegd').isVisible(), 'nieuwe regel: the preview names it');
    const added = await countRow(page, 'Groepsbezoek');
    check(/^Groepsbezoek 0 [1-9]\d* 0 \d+$/.test(added), `nieuwe regel: in the year in numbers (${added})`);
    await save(page);

    // A group: its formatie as it is, a second teacher from a date.
    await page.goto(`${base}/inrichting`);
    await page.getByRole('link', { name: 'Groep 4 wijzigen', exact: true }).click();
    check(await page.getByLabel(/^Naam/).inputValue() === 'Groep 4', 'groep: what it is now');
    await page.getByLabel(/^Leerkracht 2/).selectOption({ label: 'Rosa van Dijk' });
    await page.locator('#f-group-teacher-2-days').getByLabel('maandag').check();
    await page.getByLabel(/^Vanaf/).fill('2027-02-01');
    await scan(page, 'groep');
    await preview(page);
    check(await page.getByText('Groep \'Groep 4\' gewijzigd vanaf ma 1 februari').isVisible(), 'groep: the preview');
    await save(page);

    // The toetskalender: the midden period copied, with its tests, to dates of its own.
    await page.goto(`${base}/inrichting`);
    await page.getByRole('link', { name: 'Toetsperiode midden kopiëren' }).click();
    check(await page.getByLabel(/^Toets 1: naam/).inputValue() !== '', 'toetsperiode: the copy has the tests');
    await page.getByLabel(/^Naam/).fill('Toetsperiode voorjaar');
    await page.getByLabel(/^Eerste dag/).fill('2027-03-15');
    await page.getByLabel(/^Laatste dag/).fill('2027-03-26');
    await scan(page, 'toetsperiode-kopie');
    await preview(page);
    check(await page.getByText('Toetsperiode \'Toetsperiode voorjaar\' toegevoegd').isVisible(), 'toetsperiode: the preview');
    await save(page);

    // Someone's roles, chosen in words from the Mensen table.
    await page.goto(`${base}/inrichting`);
    await page.getByRole('link', { name: 'Gegevens van Ilse Peters' }).click();
    check(await page.getByLabel('bouwcoördinator').isChecked(), 'gegevens: her roles as they are, in words');
    await page.getByLabel('intern begeleider (IB\'er)').check();
    await scan(page, 'gegevens');
    await preview(page);
    check((await page.locator('.summary, main').first().textContent()).includes('Ilse Peters'), 'gegevens: the preview names her');
    await save(page);

    // Next school year: the proposal, its to-dos, and its files (nothing stored yet).
    await page.goto(`${base}/inrichting`);
    await page.getByRole('link', { name: 'Volgend schooljaar', exact: true }).click();
    check(await page.getByRole('heading', { name: /Volgend schooljaar 2027-2028/ }).isVisible(), 'volgend jaar: the heading');
    check(await page.getByText(/^Datum nog invullen: Bestuursgesprek/).isVisible(), 'volgend jaar: fixed dates are a to-do');
    check(await page.getByText(/^Toetsperiode midden: .* → ma 24 januari t\/m vr 11 februari$/).isVisible(), 'volgend jaar: the period in the same school week');
    const file = await (await page.request.get(`${base}/inrichting/volgend-jaar/school.toml`)).text();
    check(file.includes('school_year = "2027-2028"'), 'volgend jaar: school.toml to download');
    await scan(page, 'volgend-jaar');

    // The draft: saved, a to-do ticked off, a studiedag added with the set-up's own form in
    // that year, published.
    await page.getByRole('button', { name: 'Concept bewaren' }).click();
    await page.getByRole('heading', { name: 'Volgend schooljaar 2027-2028: concept' }).waitFor();
    check(await page.getByRole('button', { name: 'Publiceren' }).isVisible(), 'concept: publish button');
    await page.getByRole('button', { name: /^Gedaan: Datum nog invullen: Bestuursgesprek/ }).click();
    await page.getByRole('heading', { name: 'Volgend schooljaar 2027-2028: concept' }).waitFor();
    check(await page.getByRole('button', { name: /^Weer open: Datum nog invullen: Bestuursgesprek/ }).isVisible(), 'concept: the to-do ticked off');
    await scan(page, 'volgend-jaar-concept');
    await page.getByRole('link', { name: 'De inrichting van 2027-2028' }).click();
    check(await page.getByText('2027-2028 (concept)').isVisible(), 'concept: the year switch');
    await scan(page, 'inrichting-2027-2028');
    await page.getByRole('link', { name: 'Een studiedag of vrije dag' }).click();
    check(await page.getByText('Deze wijziging is voor het schooljaar 2027-2028').isVisible(), 'concept: the form says which year');
    await page.getByLabel(/^studiedag/).check();
    await page.getByLabel('Naam').fill('Studiedag rekenen');
    await page.getByLabel('Datum (eerste dag)').fill('2027-10-04');
    await preview(page);
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.waitForURL(/\/inrichting\?jaar=2027-2028/);
    check(await page.getByText(/Studiedag rekenen/).first().isVisible(), 'concept: the studiedag in the year it was made for');
    await page.goto(`${base}/inrichting`);
    check(!(await page.content()).includes('Studiedag rekenen'), 'concept: this year unchanged');
    await page.goto(`${base}/inrichting/volgend-jaar`);
    await page.getByRole('button', { name: 'Publiceren' }).click();
    await page.getByRole('heading', { name: 'Volgend schooljaar 2027-2028: gepubliceerd' }).waitFor();
    check(await page.getByText(/is gepubliceerd: iedereen ziet het nu/).isVisible(), 'publiceren: said so');
    await scan(page, 'volgend-jaar-gepubliceerd');

    // A rule switched off (kept, planning nothing), seen in the list.
    await page.goto(`${base}/wijzigingen/nieuw/regel?rule.id=bouwoverleg`);
    await page.getByLabel(/^uit: de regel blijft bewaard/).check();
    await preview(page);
    check(await page.getByText('Regel \'Bouwoverleg\' uitgezet').isVisible(), 'uitzetten: the preview');
    await save(page);
    await page.goto(`${base}/inrichting`);
    const row = (await page.locator('tr', { hasText: 'Bouwoverleg' }).first().textContent()).replace(/\s+/g, ' ');
    check(row.includes('uit'), `uitzetten: the list says so (${row})`);
    await context.close();
  }

  // ---- the IB'er lets the schoolleider observe where no IB'er works ---------------------------
  {
    const { context, page } = await newPage(360);
    await signInWith(page, loginLink('anna'));
    await page.goto(`${base}/wijzigingen/nieuw/regel`);
    await page.getByLabel('Welke regel?').selectOption({ label: 'Klassenconsultatie' });
    await page.getByRole('button', { name: 'Deze regel openen' }).click();
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('een IB\'er', { exact: true }).uncheck();
    await page.getByRole('group', { name: 'Wie moet erbij zijn?' }).getByLabel('de IB\'er, of anders de schoolleider').check();
    await preview(page);
    const text = (await page.locator('body').textContent()).replace(/\s+/g, ' ');
    check(text.includes('Klassenconsultatie Dirk Bakker'), 'observe: Dirk gets his consultation');
    const counts = await countRow(page, 'Klassenconsultatie');
    // Dirk's two are planned now (what is left, the test's own changes above brought).
    const [, , , was, now] = counts.split(' ').map(Number);
    check(was - now === 2, `observe: Dirk's two consultations planned (${counts})`);
    await scan(page, 'wat-verandert-er-observeren');
    await save(page);
    await context.close();
  }

  // ---- the bestuurder reads the set-up --------------------------------------------------------
  {
    const { context, page } = await newPage(1280);
    await signInWith(page, loginLink('fatima'));
    await page.goto(`${base}/bestuur`);
    const nextYear = (await page.locator('table', { hasText: 'Hoe ver elke school' }).textContent()).replace(/\s+/g, ' ');
    check(/2027-2028\s*gepubliceerd/.test(nextYear), `bestuur: next year's state (${nextYear})`);
    await scan(page, 'bestuur-volgend-jaar');
    await page.getByRole('link', { name: 'Inrichting van Basisschool De Voorbeeld', exact: true }).click();
    check(await page.getByRole('heading', { name: 'Regels' }).isVisible(), 'bestuur: the rules');
    check(await page.getByRole('link', { name: /aanpassen|wijzigen|Verwijderen/ }).count() === 0, 'bestuur: nothing to change');
    check(await page.getByText('Groepsbezoek').first().isVisible(), 'bestuur: what the school set up');
    await scan(page, 'inrichting-bestuur');
    await context.close();
  }
  await finish();
} catch (e) {
  await finish(e);
}
