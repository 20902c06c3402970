import { Browser, chromium } from 'playwright-core';
import { requireTool } from './require-tool';

/**
 * Debian's Chromium (CHROMIUM_BIN, else `chromium` or `chromium-browser` on PATH; never a
 * downloaded browser); throws at once, saying how to install it, when it is missing. Call it
 * before starting anything else a suite needs.
 */
export function requireChromium(): string {
  return requireTool('Chromium', { envVar: 'CHROMIUM_BIN', names: ['chromium', 'chromium-browser'], install: 'Debian: apt-get install chromium' });
}

/**
 * Chromium, headless, driven by playwright-core. Every `*.example.test` host resolves to 127.0.0.1
 * and the test CA of Caddy is accepted.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--ignore-certificate-errors',
      '--host-resolver-rules=MAP *.example.test 127.0.0.1',
    ],
  });
}
