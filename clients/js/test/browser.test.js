// The browser demo in a real headless Chromium (Debian's package, driven by playwright-core; no
// browser is ever downloaded): two pages log in, chat directly (the server calls chat.receive on
// the other page, which answers), chat in a room, and use the method console.
// A missing Chromium fails this test: it is part of the build, not optional.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startGateway } from './support/gateway.js';

const CHROMIUM = process.env.BUSRPC_CHROMIUM || '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
/** Where the screenshot of the demo goes; docs/demo.png is a copy of one. */
const SCREENSHOT = process.env.BUSRPC_DEMO_SCREENSHOT || resolve(here, '../../../target/js/demo.png');
const WAIT = 15000;

let gateway;
let browser;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium) `
      + 'or set BUSRPC_CHROMIUM; the browser test must run');
  }
  gateway = await startGateway();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  await gateway?.close();
});

/** A demo page in its own browser context (like a separate browser), logged in as uid. */
async function demoPage(uid) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 660 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.problems = problems;
  await page.goto(`${gateway.origin}/`);
  await page.locator('#status', { hasText: 'connected' }).waitFor({ timeout: WAIT });
  await page.fill('#uid', uid);
  await page.click('#login');
  await page.locator('#who', { hasText: `logged in as ${uid}` }).waitFor({ timeout: WAIT });
  return page;
}

/** Waits until the page's log has a line containing text. */
function logLine(page, text) {
  return page.locator('#log li', { hasText: text }).first().waitFor({ timeout: WAIT });
}

test('two pages chat through the gateway; one answers the server call the other causes', async () => {
  const alice = await demoPage('alice');
  const bob = await demoPage('bob');

  // bob -> chat.send -> the server calls chat.receive on alice's page -> her answer is bob's result
  await alice.fill('#reply', 'hello bob, alice here');
  await bob.fill('#to', 'alice');
  await bob.fill('#text', 'hi alice');
  await bob.click('#send');
  await logLine(alice, 'bob: hi alice');
  await logLine(bob, 'alice answered: "hello bob, alice here"');

  // alice's page answers with an RpcError: bob sees its code, message and data
  await alice.check('#busy');
  await bob.fill('#text', 'are you there?');
  await bob.click('#send');
  await logLine(bob, 'alice answered with error 4001 busy {"retry":5}');
  await alice.uncheck('#busy');

  // a name nobody uses: the gateway answers -32003
  await bob.fill('#to', 'nobody');
  await bob.fill('#text', 'hello?');
  await bob.click('#send');
  await logLine(bob, 'nobody answered with error -32003');

  // rooms: both join, alice says something, both pages show it
  for (const page of [alice, bob]) {
    await page.fill('#room', 'lobby');
    await page.click('#join');
    await logLine(page, 'joined lobby');
  }
  await alice.fill('#say-text', 'hello, lobby');
  await alice.click('#say');
  await logLine(bob, '[lobby] alice: hello, lobby');
  await logLine(alice, '[lobby] alice: hello, lobby');

  // the method console
  await bob.fill('#method', 'no.such.method');
  await bob.click('#call');
  await bob.locator('#result.error', { hasText: 'error -32601 Method not found' }).waitFor({ timeout: WAIT });
  await bob.fill('#method', 'subtract');
  await bob.fill('#params', '{"minuend": 42, "subtrahend": 23}');
  await bob.click('#call');
  await bob.locator('#result', { hasText: '19' }).waitFor({ timeout: WAIT });
  await bob.fill('#method', 'sum');
  await bob.fill('#params', '[1, 2');
  await bob.click('#call');
  await bob.locator('#result.error', { hasText: 'the params are not JSON' }).waitFor({ timeout: WAIT });
  await bob.fill('#params', '[1, 2, 4]');
  await bob.click('#call');
  await bob.locator('#result:not(.error)', { hasText: '7' }).waitFor({ timeout: WAIT });
  await bob.fill('#method', 'get_data');
  await bob.fill('#params', '');
  await bob.click('#call');
  await bob.locator('#result:not(.error)', { hasText: '"hello"' }).waitFor({ timeout: WAIT });

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await bob.screenshot({ path: SCREENSHOT, fullPage: true });

  assert.deepEqual(alice.problems, []);
  assert.deepEqual(bob.problems, []);
});

test('a page whose name another page takes is told so and does not come back', async () => {
  const first = await demoPage('carol');
  const second = await demoPage('carol');
  await logLine(first, 'another tab logged in with this name');
  await first.locator('#status', { hasText: 'offline' }).waitFor({ timeout: WAIT });
  assert.equal(await second.textContent('#who'), 'logged in as carol');
});
