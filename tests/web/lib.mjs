// The harness the browser tests share: the real daemon on a free port with the example
// school and a clock (`--now`), Debian's chromium under the pages' real CSP, screenshots at
// phone and laptop width, an axe-core scan, the mail folder, and sign-in by link.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/// A change form's "Wat verandert er?", waited for.
export async function preview(page) {
  await page.getByRole('button', { name: 'Wat verandert er?' }).click();
  await page.getByRole('heading', { name: 'Wat verandert er?' }).waitFor();
}

/// "Opslaan" on a preview, waited for: back on the overview of changes.
export async function save(page) {
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.waitForURL(/\/wijzigingen\?opgeslagen=\d+/);
}

export async function setup({ binary, source, shots, now, prepare }) {
  const failures = [];
  let passed = 0;
  function check(cond, what) {
    if (cond) passed++;
    else { failures.push(what); console.log('FAIL:', what); }
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jk-web-'));
  fs.mkdirSync(shots, { recursive: true });
  fs.cpSync(path.join(source, 'calendars', 'voorbeeldschool'), path.join(work, 'calendars', 'voorbeeldschool'), { recursive: true });
  // A test may make the school another one before the daemon reads it (its school.toml's text).
  if (prepare) {
    const file = path.join(work, 'calendars', 'voorbeeldschool', 'school.toml');
    fs.writeFileSync(file, prepare(fs.readFileSync(file, 'utf8')));
  }
  const config = path.join(work, 'jk.toml');
  fs.writeFileSync(config, `[server]
listen = "127.0.0.1"
port = 0
threads = 2
public_url = "http://127.0.0.1:PORT"
[store]
sqlite = "jk.db"
[calendars]
folder = "calendars"
[mail]
mode = "log"
folder = "mail"
scan_seconds = 1
`);

  // The port is only known once the daemon listens; public_url must name it, so start once on
  // port 0 to learn a free port, then write it into the config.
  function start() {
    const p = spawn(binary, ['serve', '--config', config, '--now', now], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    return new Promise((resolve, reject) => {
      let out = '';
      p.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/luistert op http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) resolve({ p, port: Number(m[1]) });
      });
      p.on('exit', (code) => reject(new Error(`daemon exited ${code}: ${err}`)));
    });
  }
  let { p: daemon, port } = await start();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.on('exit', r));
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('port = 0', `port = ${port}`).replace('PORT', String(port)));
  ({ p: daemon, port } = await start());
  const base = `http://127.0.0.1:${port}`;

  // --no-sandbox: CI runs as root; --disable-dev-shm-usage: containers often have a tiny
  // /dev/shm; --lang: a Dutch browser (its date fields follow the machine's locale, which test
  // machines often lack: the screenshots may show mm/dd/yyyy where a school sees dd-mm-jjjj).
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=nl-NL'] });
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

  // The pages run under their real Content-Security-Policy (no inline styles, no scripts): what
  // it blocks is what a teacher would not see. The accessibility scan comes in through the
  // DevTools protocol (page.evaluate), which the page's CSP does not govern.
  const cspViolations = [];
  async function newPage(width) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'nl-NL' });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
    });
    return { context, page };
  }

  async function scan(page, name) {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
    }
    await page.evaluate(axeSource);
    check(cspViolations.length === 0, `${name}: nothing blocked by the page's CSP ${cspViolations.join(' | ')}`);
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad) console.log(`axe ${name}: ${v.id} (${v.impact}): ${v.nodes.length} element(s), e.g. ${v.nodes[0].html.slice(0, 120)}`);
    check(bad.length === 0, `${name}: no serious accessibility violations`);
    // Nothing wider than a phone screen except inside a scrolling box.
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    check(overflow <= 362, `${name}: fits 360 px (scrollWidth ${overflow})`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  function decodeQuotedPrintable(s) {
    return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }

  /// The newest mail of a kind ("login", "change", ...) to an address, decoded; '' when none
  /// arrives within ten seconds.
  async function waitForMail(to, kind = 'login') {
    const folder = path.join(work, 'mail');
    for (let i = 0; i < 100; i++) {
      if (fs.existsSync(folder)) {
        for (const f of fs.readdirSync(folder).sort().reverse()) {
          if (!f.endsWith('.eml') || !f.includes(`-${kind}-`)) continue;
          const text = fs.readFileSync(path.join(folder, f), 'latin1');
          if (text.includes(`X-Jaarkalender-To: ${to}`)) return decodeQuotedPrintable(text);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return '';
  }

  async function signInWith(page, link) {
    await page.goto(link);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${base}/`);
  }

  function loginLink(person) {
    return execFileSync(binary, ['login-link', '--config', config, 'voorbeeldschool', person, '--now', now]).toString().trim();
  }

  async function finish(error) {
    if (error) {
      failures.push(String(error.stack || error));
      console.log(error);
    }
    await browser.close();
    daemon.kill('SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
    console.log(`${passed} passed, ${failures.length} failed; screenshots in ${shots}`);
    process.exit(failures.length ? 1 : 0);
  }

  return { base, config, work, check, newPage, scan, waitForMail, signInWith, loginLink, finish };
}
