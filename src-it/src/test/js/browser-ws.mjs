// Loads page.html in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core), lets
// MQTT.js connect to each URL given, and prints one line "RESULT {json}" for BrowserWebSocketTest.
//
//   node browser-ws.mjs '{"targets":[{"name":"ws","url":"ws://127.0.0.1:P/mqtt","prefix":"T/ws"}, ...]}'
//
// A target with "version":5 connects with MQTT 5 (default 4, MQTT 3.1.1).
//
// wss:// with the test's own CA: the browser context is created with ignoreHTTPSErrors: true (the
// certificate is not checked; TLS itself is still used). Exits 0 after printing, 2 on a failure of
// the harness itself (browser did not start, page did not load).
import { launchChromium } from './chromium.mjs';
import { createServer } from 'node:http';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const mqttBundle = readFileSync(join(dirname(require.resolve('mqtt/package.json')), 'dist', 'mqtt.min.js'));
const page = readFileSync(join(here, 'page.html'));
const config = JSON.parse(process.argv[2]);

const guard = setTimeout(() => { console.error('browser-ws.mjs: no result within 90 s'); process.exit(2); }, 90000);

const server = createServer((req, res) => {
  if (req.url === '/' || req.url.startsWith('/index')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } else if (req.url === '/mqtt.min.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(mqttBundle);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${server.address().port}/`;

const userDataDir = mkdtempSync(join(tmpdir(), 'midge-chromium-'));
let context;
let exitCode = 0;
try {
  context = await launchChromium(userDataDir);
  const tab = context.pages()[0] || await context.newPage();
  const consoleLines = [];
  tab.on('console', (m) => consoleLines.push(m.text()));
  tab.on('pageerror', (e) => consoleLines.push('pageerror: ' + e.message));
  await tab.goto(pageUrl, { waitUntil: 'load', timeout: 15000 });
  const results = {};
  for (const t of config.targets) {
    results[t.name] = await tab.evaluate(([url, prefix, id, version]) => runOne(url, prefix, id, version),
      [t.url, t.prefix, t.clientId, t.version || 4]);
  }
  const userAgent = await tab.evaluate(() => navigator.userAgent);
  console.log('RESULT ' + JSON.stringify({ results, userAgent, console: consoleLines }));
} catch (e) {
  console.error('browser-ws.mjs: ' + (e && e.stack ? e.stack : e));
  exitCode = 2;
} finally {
  if (context) await context.close().catch(() => {});
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(guard);
}
process.exit(exitCode);
