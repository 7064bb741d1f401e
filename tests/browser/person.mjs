// Plays the person in a real headless Chromium: opens the URL gtx handed to BROWSER,
// signs in on the emulator's form, presses Allow or Deny, and writes the text of the page
// it ends on (gtx's callback page, or the emulator's "device connected" page) to --out.
//
//   node person.mjs --chromium PATH --profile DIR --mode allow|deny|device-allow
//                   --user NAME --password PW --out FILE URL
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = args[args.length - 1];
const mode = opt('mode');

const browser = await chromium.launchPersistentContext(opt('profile'), {
  executablePath: opt('chromium'),
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
  ],
});
let text = '';
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20000);
  await page.goto(url);
  await page.fill('input[name="username"]', opt('user'));
  await page.fill('input[name="password"]', opt('password'));
  await Promise.all([page.waitForLoadState(), page.click('button[type="submit"]')]);
  const decision = mode === 'deny' ? 'Deny' : 'Allow';
  const done = mode === 'device-allow'
    ? page.waitForSelector('#message')
    : page.waitForURL((u) => u.pathname === '/callback');
  await page.getByRole('button', { name: decision }).click();
  await done;
  await page.waitForSelector('#message');
  text = `${page.url()}\n${await page.innerText('body')}`;
} catch (e) {
  text = `driver error: ${e}`;
  process.exitCode = 1;
} finally {
  writeFileSync(opt('out'), text);
  await browser.close();
}
