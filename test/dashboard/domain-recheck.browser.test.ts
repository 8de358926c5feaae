// The status-page settings say when a verified custom domain's TXT record has gone missing (the
// daily re-check found none), before the verification is withdrawn. Real Node server, real DNS
// server over UDP (the Node resolver path), real Chromium. Screenshot:
// /tmp/shots/dashboard-domain-recheck.png.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { manualClock } from '../../worker/clock.js'
import { runBackgroundJobs } from '../../worker/jobs.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'

let server: TestServer
let dns: DnsServer
let browser: Browser
const clock = manualClock(Date.UTC(2026, 11, 1, 9, 0, 0))
beforeAll(async () => {
  mkdirSync('/tmp/shots', { recursive: true })
  dns = await startDnsServer()
  server = await startServer({ clock, dnsServers: [dns.address] })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await dns?.close()
})

describe('custom domain re-check in the dashboard', () => {
  it('warns that the TXT record is missing while the domain is still verified', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await signInToDashboard(page, `${server.url}/dashboard/incidents/status-page`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.getByLabel(/Custom domain/).fill('status.acme-shop.test')
    await page.getByRole('button', { name: 'Save' }).click()
    const value = (await page.getByTestId('txt-value').textContent())!
    dns.setTxt('_earshot-challenge.status.acme-shop.test', [value])
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(() => page.getByRole('region', { name: 'Verify the custom domain' }).count()).toBe(0)

    dns.setTxt('_earshot-challenge.status.acme-shop.test', [])
    clock.advance(25 * 3600_000)
    await runBackgroundJobs(server.deps, () => {})
    await page.reload()
    const warning = page.getByRole('status').filter({ hasText: 'Daily check' })
    await warning.waitFor()
    expect(await warning.textContent()).toContain(
      'after three days without it, status.acme-shop.test stops being verified',
    )
    await page.screenshot({ path: '/tmp/shots/dashboard-domain-recheck.png' })
  })
})
