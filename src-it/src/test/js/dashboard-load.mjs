// The dashboard under load from the real broker: TOPICS retained topics, then RATE updates per
// second spread over them, while headless Chromium shows the dashboard. Measures how long the
// topic tree takes to hold every topic, then for SECONDS the page's frame intervals (one
// requestAnimationFrame loop), its long tasks (PerformanceObserver "longtask", over 50 ms) and its
// JS heap; once with the default tree, once with every row expanded; then, the updates stopped,
// how long one last update to each of 200 topics takes to show. bench/dashboard-load.sh starts
// the broker and runs this.
//
//   node src/test/js/dashboard-load.mjs <mqttPort> <httpBaseUrl> [topics=10000] [rate=4000] [seconds=10]
//
// Prints one JSON line with the figures and exits 0, or {"ok":false,"error":...} and exits 1.
import mqtt from 'mqtt';
import { launchChromium } from './chromium.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mqttPort, baseUrl, topicsArg, rateArg, secondsArg] = process.argv.slice(2);
const TOPICS = Number(topicsArg || 10000);
const RATE = Number(rateArg || 4000);
const SECONDS = Number(secondsArg || 10);
const LOAD_LIMIT_MS = 120000;
const TICK_MS = 20;

// Ten branches of ten, then leaves: a tree shaped like a building's sensors, a few levels deep.
const topicOf = (i) => `load/site${i % 10}/floor${Math.floor(i / 10) % 10}/sensor${i}/value`;
const payloadOf = (i, n) => JSON.stringify({ sensor: i, reading: n, unit: 'C', at: Date.now() });

function connect() {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { clientId: `dash-load-${process.pid}`, reconnectPeriod: 0 });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

function publish(client, topic, payload, retain) {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: 0, retain }, (e) => (e ? reject(e) : resolve())));
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null);

// Frame intervals, long tasks and heap for `seconds`, measured inside the page.
function measure(tab, seconds) {
  return tab.evaluate((ms) => new Promise((resolve) => {
    const frames = [];
    const longTasks = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    observer.observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const end = last + ms;
    const step = (now) => {
      frames.push(now - last);
      last = now;
      if (now < end) {
        requestAnimationFrame(step);
      } else {
        observer.disconnect();
        resolve({ frames, longTasks, heap: performance.memory ? performance.memory.usedJSHeapSize : null,
          domNodes: document.getElementsByTagName('*').length });
      }
    };
    requestAnimationFrame(step);
  }), seconds * 1000);
}

function summarize(m) {
  const sorted = [...m.frames].sort((a, b) => a - b);
  const round = (x) => (x == null ? null : Math.round(x * 10) / 10);
  return {
    frames: m.frames.length,
    frameP50Ms: round(percentile(sorted, 0.5)),
    frameP95Ms: round(percentile(sorted, 0.95)),
    worstFrameMs: round(sorted[sorted.length - 1]),
    longTasks: m.longTasks.length,
    longestTaskMs: round(Math.max(0, ...m.longTasks)),
    heapMiB: m.heap == null ? null : round(m.heap / 1048576),
    domNodes: m.domNodes,
  };
}

let client;
let context;
let userDataDir;
let updater;
let result;
const guard = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, error: 'dashboard-load.mjs: no result within 5 minutes' }));
  process.exit(1);
}, 300000);

try {
  if (!baseUrl) throw new Error('usage: node dashboard-load.mjs <mqttPort> <httpBaseUrl> [topics] [rate] [seconds]');
  client = await connect();
  for (let i = 0; i < TOPICS; i++) {
    await publish(client, topicOf(i), payloadOf(i, 0), true);
  }

  let sent = 0;
  const perTick = Math.max(1, Math.round(RATE * TICK_MS / 1000));
  updater = setInterval(() => {
    for (let k = 0; k < perTick; k++) {
      const i = Math.floor(Math.random() * TOPICS);
      client.publish(topicOf(i), payloadOf(i, ++sent), { qos: 0 });
    }
  }, TICK_MS);

  userDataDir = mkdtempSync(join(tmpdir(), 'midge-chromium-'));
  context = await launchChromium(userDataDir, { viewport: { width: 1280, height: 900 } });
  const tab = context.pages()[0] || await context.newPage();
  const opened = Date.now();
  await tab.goto(baseUrl + '/');
  await tab.waitForFunction((n) => window.midgeDashboard && window.midgeDashboard.topicCount() >= n, TOPICS,
    { timeout: LOAD_LIMIT_MS, polling: 50 });
  const loadMs = Date.now() - opened;

  const steady = summarize(await measure(tab, SECONDS));
  // Every row expanded: the page's own control, as a person would press it.
  const expandStart = Date.now();
  // The click's handler builds the expanded rows synchronously, so the evaluate's time is its cost.
  const expanded = await tab.evaluate(() => {
    const button = document.getElementById('bExpand');
    if (!button) return false;
    button.click();
    return true;
  });
  const expandMs = Date.now() - expandStart;
  const open = expanded ? summarize(await measure(tab, SECONDS)) : null;
  const sentPerSecond = Math.round(sent / ((Date.now() - opened) / 1000));
  // That updates reach the page: with the stream stopped, one last update to each of 200 topics,
  // and the time until the page shows all of them.
  clearInterval(updater);
  const sample = Array.from({ length: 200 }, (_, k) => Math.floor(k * TOPICS / 200));
  const finalSent = Date.now();
  for (const i of sample) client.publish(topicOf(i), JSON.stringify({ sensor: i, reading: 'final' }), { qos: 0 });
  await tab.waitForFunction((topics) => topics.every((t) => {
    const p = window.midgeDashboard.lastPayload(t);
    try { return JSON.parse(p).reading === 'final'; } catch (e) { return false; }
  }), sample.map(topicOf), { timeout: 30000, polling: 50 });
  const finalShownMs = Date.now() - finalSent;
  result = { ok: true, topics: TOPICS, updatesPerSecond: sentPerSecond, lastUpdateOf200TopicsShownMs: finalShownMs,
    loadAllTopicsMs: loadMs, steady,
    expandAll: expanded ? { clickMs: expandMs, ...open } : 'no expand-all control found' };
} catch (e) {
  result = { ok: false, error: String(e && e.stack || e) };
} finally {
  clearInterval(updater);
  if (context) await context.close().catch(() => {});
  if (client) client.end(true);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  clearTimeout(guard);
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
