// Opens the broker's live dashboard (an `http` listener's GET /) in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core, launched as browser-ws.mjs does) with HTTP Basic
// credentials, waits until it shows live data, reveals one topic in the topic tree and takes a
// full-page screenshot.
//
//   node src/test/js/dashboard.mjs <baseUrl> <user> <password> <topic> <expectedPayload> <screenshot.png>
//
// Waits (each bounded, by polling the page's test hooks, no fixed sleeps) for
//   document.body.dataset.ready === "1"                  first stats event and first client list
//   midgeDashboard.lastPayload(topic) === expectedPayload the topic arrived over the event stream
//   midgeDashboard.ratePoints() >= 3 && maxInRate() > 0   the charts have rates, messages came in
// then calls midgeDashboard.reveal(topic), waits two animation frames and takes the screenshot.
// Prints one JSON line: {"ok":true,"topics":N,"ratePoints":N,"maxInRate":X} and exits 0, or
// {"ok":false,"error":"...","console":[...]} and exits 1. An uncaught error in the page (pageerror)
// is a failure. The page's console errors are printed with a failure (and on stderr otherwise).
import { launchChromium } from './chromium.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WAIT_MS = 20000;
const [baseUrl, user, password, topic, expected, screenshot] = process.argv.slice(2);

const consoleErrors = [];
const pageErrors = [];
let context;
let userDataDir;
let result;

function fail(error) {
  return { ok: false, error: String(error), console: consoleErrors, pageErrors };
}

// Polls fn(arg) in the page until it returns true; throws with `what` and the last state otherwise.
async function waitFor(tab, what, fn, arg, state) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    if (pageErrors.length) throw new Error(`page error while waiting for ${what}: ${pageErrors[0]}`);
    let ok = false;
    try {
      ok = await tab.evaluate(fn, arg);
    } catch (e) {
      // a navigation or a hook not there yet: try again until the deadline
    }
    if (ok === true) return;
    if (Date.now() > until) {
      let seen = '';
      try { seen = JSON.stringify(await tab.evaluate(state, arg)); } catch (e) { seen = String(e && e.message); }
      throw new Error(`timed out after ${WAIT_MS / 1000} s waiting for ${what}; page state ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pageState = (arg) => {
  const t = Array.isArray(arg) ? arg[0] : arg;
  const d = window.midgeDashboard;
  return {
    ready: document.body ? document.body.dataset.ready || null : null,
    hooks: !!d,
    topics: d ? d.topicCount() : null,
    lastPayload: d ? d.lastPayload(t) : null,
    ratePoints: d ? d.ratePoints() : null,
    maxInRate: d ? d.maxInRate() : null,
    status: (document.getElementById('hStatus') || {}).textContent || null,
    banner: (document.getElementById('banner') || {}).textContent || null,
  };
};

const guard = setTimeout(() => {
  console.log(JSON.stringify(fail('dashboard.mjs: no result within 90 s')));
  process.exit(1);
}, 90000);

try {
  if (!screenshot) throw new Error('usage: node dashboard.mjs <baseUrl> <user> <password> <topic> <expectedPayload> <screenshot.png>');
  userDataDir = mkdtempSync(join(tmpdir(), 'midge-chromium-'));
  context = await launchChromium(userDataDir, {
    httpCredentials: { username: user, password },
    viewport: { width: 1280, height: 900 },
  });
  const tab = context.pages()[0] || await context.newPage();
  tab.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  tab.on('pageerror', (e) => pageErrors.push(e && e.stack ? e.stack : String(e)));
  const response = await tab.goto(baseUrl, { waitUntil: 'load', timeout: 15000 });
  if (!response) throw new Error(`no response for ${baseUrl}`);
  if (!response.ok()) throw new Error(`GET ${baseUrl}: HTTP ${response.status()}`);

  await waitFor(tab, 'data-ready', () => document.body.dataset.ready === '1', topic, pageState);
  await waitFor(tab, `lastPayload(${JSON.stringify(topic)}) === ${JSON.stringify(expected)}`,
    ([t, p]) => !!window.midgeDashboard && window.midgeDashboard.lastPayload(t) === p, [topic, expected], pageState);
  await waitFor(tab, 'ratePoints() >= 3 && maxInRate() > 0',
    () => window.midgeDashboard.ratePoints() >= 3 && window.midgeDashboard.maxInRate() > 0, topic, pageState);

  const revealed = await tab.evaluate((t) => window.midgeDashboard.reveal(t), topic);
  if (revealed !== true) throw new Error(`reveal(${JSON.stringify(topic)}) returned ${revealed}`);
  await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await tab.screenshot({ path: screenshot, fullPage: true });
  if (pageErrors.length) throw new Error(`page error: ${pageErrors[0]}`);

  const s = await tab.evaluate(() => ({
    topics: window.midgeDashboard.topicCount(),
    ratePoints: window.midgeDashboard.ratePoints(),
    maxInRate: window.midgeDashboard.maxInRate(),
  }));
  result = { ok: true, topics: s.topics, ratePoints: s.ratePoints, maxInRate: s.maxInRate };
} catch (e) {
  result = fail(e && e.message ? e.message : e);
} finally {
  if (context) await context.close().catch(() => {});
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(guard);
}
if (result.ok && consoleErrors.length) console.error('page console errors: ' + JSON.stringify(consoleErrors));
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
