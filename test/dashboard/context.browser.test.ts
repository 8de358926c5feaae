// The cluster page shows, per report, everything the widget sent: category label, identify()
// user, setContext() data, failed requests beside console errors, viewport and time zone — on a
// desktop and on a phone. Screenshots: /tmp/shots/dashboard-context-*.png.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer, postReport } from '../support/server.js'

const SHOTS = '/tmp/shots'
let server: TestServer
let browser: Browser
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('cluster page: the context customers send', () => {
  it('shows category, identify() user, setContext() data, failed requests, errors, viewport and time zone', {
    timeout: 60_000,
  }, async () => {
    const first = await postReport(server, 'Paying with my saved card spins forever', {
      reporter_id: 'laptop',
      category: 'bug',
      route: '/checkout',
      release: 'web@3.1.0',
      page_url: `${server.url}/checkout`,
      locale: 'en-GB',
      context: {
        timezone: 'Europe/Berlin',
        viewport: '1280x720',
        user: { id: 'cust_981', name: 'Ada Lovelace', email: 'ada@example.com' },
        custom: { plan: 'team', cart_items: 3, flags: { new_checkout: true } },
        errors: [{ message: 'TypeError: cannot read properties of undefined (reading "token")' }],
        network: [{ method: 'POST', url: 'https://api.example.com/v2/payments/intent', status: 502 }],
      },
    })
    // The same person on their phone: another browser id, same identify() user.
    await postReport(server, 'Paying with my saved card spins forever', {
      reporter_id: 'phone',
      category: 'slow',
      context: { timezone: 'Europe/Berlin', viewport: '390x844', user: { id: 'cust_981', name: 'Ada Lovelace' } },
    })

    for (const [name, viewport] of [
      ['desktop', { width: 1440, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const ctx = await browser.newContext({ viewport })
      const page = await ctx.newPage()
      await signInToDashboard(page, `${server.url}/dashboard/clusters/${first.cluster_id}`, ADMIN_EMAIL, ADMIN_PASSWORD)
      const item = page.locator(`[data-report-id="${first.id}"]`)
      await item.waitFor()
      const text = await item.innerText()
      for (const want of [
        'Something’s broken',
        'Ada Lovelace',
        'cust_981',
        'ada@example.com',
        'plan',
        'team',
        'cart_items',
        '{"new_checkout":true}',
        '502',
        'POST',
        'https://api.example.com/v2/payments/intent',
        'TypeError',
        '1280x720',
        'Europe/Berlin',
      ]) {
        expect(text, `${name}: ${want}`).toContain(want)
      }
      expect(await page.getByText('It’s slow').count()).toBe(1)
      // Two browsers, one person.
      const stat = page.locator('.stat', { hasText: 'People affected' })
      expect(await stat.locator('.value').innerText()).toBe('1')
      // Nothing overflows sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1)).toBe(true)
      await item.scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${SHOTS}/dashboard-context-${name}.png`, fullPage: name === 'desktop' })
      await ctx.close()
    }
  })
})
