// Plays a person on the `gtx try` page in a real headless Chromium, with the keyboard
// where a person would use it: opens the URL gtx printed, picks the profile, tries Send
// before Generate, generates a token, sends requests, clears. It records every request
// and response the page makes (--traffic), saves a screenshot after a response
// (--screenshot) and writes what it read to --out as JSON.
//
//   node try.mjs --chromium PATH --profile DIR --env NAME --credential NAME
//                --out FILE --traffic FILE --screenshot FILE [--op SEARCH --param NAME=VALUE] URL
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = args[args.length - 1];

const browser = await chromium.launchPersistentContext(opt('profile'), {
  executablePath: opt('chromium'),
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync',
  ],
});
const traffic = [];
const seen = { console: [] };
const text = async (page, sel) => (await page.locator(sel).innerText()).trim();

// Tab (and only Tab) until `id` has the focus.
async function tabTo(page, id) {
  for (let i = 0; i < 60; i += 1) {
    if (await page.evaluate(() => document.activeElement && document.activeElement.id) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

async function sendAndWait(page) {
  const done = page.waitForResponse((r) => r.url().endsWith('/api/send'));
  await page.keyboard.press('Control+Enter');
  await done;
  await page.waitForFunction(() => !document.getElementById('send').disabled);
}

try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20000);
  page.on('console', (m) => seen.console.push(`${m.type()}: ${m.text()}`));
  page.on('request', (r) => traffic.push({
    dir: 'request', url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() ?? '',
  }));
  page.on('response', async (r) => {
    let body = '';
    try { body = (await r.body()).toString('utf8'); } catch (e) { body = ''; }
    traffic.push({ dir: 'response', url: r.url(), status: r.status(), headers: await r.allHeaders(), body });
  });

  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  seen.address = page.url();
  seen.environments = await page.locator('#env option').allInnerTexts();
  await page.selectOption('#env', opt('env'));
  await page.selectOption('#credential', opt('credential'));

  // Send before Generate: refused.
  await sendAndWait(page);
  seen.before_generate = await text(page, '#response-error');

  // Generate with the keyboard.
  await page.locator('#env').focus();
  await tabTo(page, 'generate');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('token-text').textContent.startsWith('Token ready'));
  seen.token_state = await text(page, '#token-text');

  // An API that echoes the request's headers.
  await page.fill('#path', '/api/v1/echo');
  await sendAndWait(page);
  seen.echo_status = await text(page, '#status');
  seen.echo_body = await text(page, '#response-body');

  const op = opt('op');
  if (op) {
    seen.op_groups = await page.locator('#op-list h3').allTextContents();
    await page.locator('#search').focus();
    await page.keyboard.type(op);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#params input');
    const [name, value] = opt('param').split('=');
    await page.fill(`#params [data-param="${name}"]`, value);
    seen.resolved = await text(page, '#resolved');
    seen.op_title = await text(page, '#op-title');
  } else {
    await page.fill('#path', '/api/v1/orders/ord_1001');
  }
  await page.locator('#path').focus();
  await sendAndWait(page);
  seen.status = await text(page, '#status');
  seen.body = await text(page, '#response-body');
  seen.response_line = await text(page, '#response-line');
  await page.screenshot({ path: opt('screenshot'), fullPage: true });

  // Clear: the page forgets; Send is refused until Generate.
  await page.locator('#clear').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('token-text').textContent.startsWith('Cleared'));
  seen.after_clear_state = await text(page, '#token-text');
  seen.clear_offer_visible = await page.locator('#clear-stored').isVisible();
  await page.locator('#path').focus();
  await sendAndWait(page);
  seen.after_clear = await text(page, '#response-error');
} catch (e) {
  seen.error = `driver error: ${e}`;
  process.exitCode = 1;
} finally {
  writeFileSync(opt('traffic'), JSON.stringify(traffic, null, 1));
  writeFileSync(opt('out'), JSON.stringify(seen, null, 1));
  await browser.close();
}
