// Debian's headless Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) under playwright-core, as the
// browser tests launch it: a fresh user data directory, no sandbox (tests may run as root), no
// GPU, QUIC, first-run pages, background networking, component updates or sync. TLS certificates
// are not checked (ignoreHTTPSErrors): the test CA is not installed in the browser.
import { chromium } from 'playwright-core';

export function launchChromium(userDataDir, extraOptions = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30000,
    ...extraOptions,
  });
}
