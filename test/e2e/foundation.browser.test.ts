// The whole path once, as people use it: a customer reports from the demo product page, a
// responder signs in and sees the cluster, declares an incident from it, and the demo page then
// shows the incident banner; resolving it replaces the banner with a one-time "fixed" notice.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'

let server: TestServer
let browser: Browser
beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const widget = (page: Page) => page.locator('earshot-widget')
const SHOTS = '/tmp/shots'

describe('foundation: script tag to dashboard and back', () => {
  test('report → cluster → incident → banner on the product page → resolved → fixed notice', async () => {
    // 1. The customer, on the product page, reports what they see.
    const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await customer.goto(server.url + '/')
    const html = await customer.content()
    expect(html).toContain(`<script src="/widget.js" data-key="${server.key}"`)
    await widget(customer).getByRole('button', { name: 'Report an issue' }).click()
    const form = widget(customer).getByRole('dialog')
    await form.getByLabel('What happened?').fill('The fonts look different on the orders page')
    await form.getByLabel('Email (optional)').fill('maya@example.com')
    await customer.screenshot({ path: `${SHOTS}/foundation-widget-open.png` })
    await form.getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => form.getByRole('heading').first().textContent()).toBe('Thanks — your report was sent')
    await customer.screenshot({ path: `${SHOTS}/foundation-widget-sent.png` })

    // 2. The responder signs in and sees the cluster.
    const responder = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await signInToDashboard(responder, server.url + '/dashboard/', ADMIN_EMAIL, ADMIN_PASSWORD)
    const row = responder.locator('.cluster-row', { hasText: 'The fonts look different on the orders page' })
    await row.waitFor()
    expect(await row.textContent()).toContain('1')
    await responder.screenshot({ path: `${SHOTS}/foundation-dashboard-list.png` })

    // 3. Opens it and declares an incident, title and message prefilled from the cluster.
    await row.click()
    await responder
      .getByRole('button', { name: /Declare incident/ })
      .first()
      .click()
    const declare = responder.getByRole('dialog')
    expect(await declare.getByLabel('Title').inputValue()).toContain('fonts look different')
    await declare.getByLabel('Title').fill('Fonts look different across the shop')
    await declare.getByLabel('Impact').selectOption('minor')
    await declare.getByRole('button', { name: 'Declare incident' }).click()
    await responder.waitForURL(/\/dashboard\/incidents\//)
    await responder.screenshot({ path: `${SHOTS}/foundation-dashboard-incident.png` })

    // 4. The product page now shows the incident banner.
    await customer.reload()
    const banner = widget(customer).locator('.b').filter({ hasText: 'Fonts look different across the shop' })
    await banner.waitFor({ timeout: 10_000 })
    await customer.screenshot({ path: `${SHOTS}/foundation-widget-banner.png` })

    // 5. Resolved from the dashboard: the banner goes away.
    await responder.getByRole('button', { name: 'Resolved' }).click()
    await responder.getByLabel('Public update').fill('Fonts are back to normal.')
    await responder.getByRole('button', { name: 'Resolve incident' }).click()
    await expect.poll(() => responder.getByText('Fonts are back to normal.').count()).toBeGreaterThan(0)
    const incidents = await (await fetch(`${server.url}/v1/incidents?key=${server.key}`)).json()
    expect(incidents.incidents).toEqual([])
    await customer.reload()
    await widget(customer).getByRole('button', { name: 'Report an issue' }).waitFor()
    // This customer reported it, so instead of the incident banner they are told, once, that it is fixed.
    const fixed = widget(customer).locator('.b.ok')
    await expect
      .poll(() => fixed.locator('.m').textContent(), { timeout: 10_000 })
      .toMatch(/^The problem you reported on .+ has been fixed\.$/)
    expect(await widget(customer).locator('.b:not(.ok)').count()).toBe(0)
    await customer.screenshot({ path: `${SHOTS}/foundation-widget-fixed.png` })
  })
})
