import { Browser, chromium } from 'playwright-core';
import { requireChromium } from '../../support/browser';
import { SessionsHarness, startSessions } from './sessions-app';

describe('the session page in a real browser', () => {
  let h: SessionsHarness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    // The browser first: without Chromium the suite fails at once, before anything is started.
    browser = await chromium.launch({ executablePath: requireChromium(), args: ['--no-sandbox'] });
    h = await startSessions();
    await h.app.listen(0, '127.0.0.1');
    base = await h.app.getUrl();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lists my sessions, revokes another device with its button, then signs out everywhere', async () => {
    const laptop = await h.login('zoe@example.com');
    const phone = await h.login('zoe@example.com', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36');
    const context = await browser.newContext();
    await context.addCookies([{ name: 'gate_session', value: laptop.cookie.split('=')[1], url: base, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();

    await page.goto(`${base}/sessions`);
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await page.locator('tr.current').textContent()).toContain('this device');
    expect(await page.locator('body').textContent()).toContain('Chrome on Android');

    const posted = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.locator(`form[action="/sessions/${phone.sessionId}/revoke"] button`).click();
    expect((await posted).status()).toBe(303);
    await page.waitForLoadState();
    expect(page.url()).toBe(`${base}/sessions`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await h.statusOf(phone.sessionId)).toBe('revoked');
    expect(await h.statusOf(laptop.sessionId)).toBe('active');

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByText('Not logged in').first().waitFor();
    expect(await page.locator('a[href="/login"]').count()).toBe(1);
    expect(await h.statusOf(laptop.sessionId)).toBe('revoked');
    await context.close();
  });
});
