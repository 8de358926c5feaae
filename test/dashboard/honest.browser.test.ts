// Honest states and components, as a responder meets them in a real browser (no e-mail provider):
// declaring from a cluster offers the project's components; the public headline follows them;
// resolving the incident resolves its cluster ("resolved with …", no Incident pill); "message
// everyone affected" says e-mails are queued; the owner's Outbox shows the queued confirmation
// e-mail with a clickable link (development/test). Screenshots: /tmp/shots/dashboard-honest-*.png.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { createWebhook } from '../../worker/domain/notifications/webhooks.js'
import { startReceiver as startHookReceiver } from '../notifications/receiver.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer, postReport } from '../support/server.js'

const SHOTS = '/tmp/shots'
let server: TestServer
let browser: Browser
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
  await createComponent(server.deps, server.projectId, { name: 'Website' })
  await createComponent(server.deps, server.projectId, { name: 'Checkout' })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** The public page as a new visitor sees it (a fresh browser context: no HTTP cache from before). */
async function publicHeadline() {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.goto(`${server.url}/status/demo`)
  const text = await page.locator('body').innerText()
  await ctx.close()
  return text
}

describe('honest states and components', () => {
  it('declare offers components; resolving resolves the cluster; e-mails are "queued", listed in the Outbox', {
    timeout: 90_000,
  }, async () => {
    const r = await postReport(server, 'Checkout page says payment failed every time', {
      reporter_id: 'a1',
      email: 'ada@example.com',
    })
    await postReport(server, 'Checkout page says payment failed every time', { reporter_id: 'a2' })

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/clusters/${r.cluster_id}`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.getByRole('button', { name: /Declare incident/ }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Checkout status').waitFor()
    expect(await dialog.getByLabel('Website status').inputValue()).toBe('operational')
    expect(await dialog.innerText()).toContain("Linked to this cluster's 2 reports")
    await dialog.getByLabel('Impact').selectOption('critical')
    await dialog.getByLabel('Checkout status').selectOption('partial_outage')
    await page.screenshot({ path: `${SHOTS}/dashboard-honest-declare.png` })
    await dialog.getByRole('button', { name: 'Declare incident' }).click()
    await page.waitForURL(/\/dashboard\/incidents\/inc_/)
    const incidentUrl = page.url()

    // The public headline follows the marked component, not the "critical" impact alone.
    const pub = await ctx.newPage()
    let text = await publicHeadline()
    expect(text).toContain('Partial System Outage')
    expect(text).not.toContain('Major Service Outage')

    // Message everyone affected: the e-mail is queued, not "sent".
    await page.goto(incidentUrl)
    await page.getByLabel('Message', { exact: true }).fill('Orders placed during the outage were not charged.')
    await page.getByRole('button', { name: /Send to \d+ affected/ }).click()
    const toast = page.locator('.toast').first()
    await toast.waitFor()
    expect(await toast.innerText()).toMatch(/Queued: 1 e-mail: e-mail is not configured yet/)
    expect(await toast.innerText()).not.toMatch(/Sent: [^.]*e-mail/)

    // Resolve it: the cluster follows.
    await page.getByRole('button', { name: 'Resolved', exact: true }).click()
    await page.getByRole('textbox', { name: /Public update/ }).fill('Payments go through again.')
    await page.getByRole('button', { name: 'Resolve incident' }).click()
    await page.getByText('(was Partial outage)').waitFor()
    expect(await page.locator('#components-title').locator('xpath=../..').innerText()).toContain('Operational')
    await page.screenshot({ path: `${SHOTS}/dashboard-honest-resolved-incident.png` })
    text = await publicHeadline()
    expect(text, text).toContain('All Systems Operational')

    await page.goto(`${server.url}/dashboard/clusters/${r.cluster_id}`)
    await page.getByText('resolved with').waitFor()
    await page.goto(`${server.url}/dashboard/clusters?status=`)
    const row = page.locator(`#cluster-${r.cluster_id}`)
    await row.waitFor()
    expect(await row.innerText()).toContain('Resolved')
    expect(await row.getByRole('link', { name: 'Incident' }).count()).toBe(0)

    // A visitor subscribes; the owner finds the queued confirmation in the Outbox.
    await pub.goto(`${server.url}/status/demo`)
    await pub.getByLabel('E-mail address').fill('visitor@example.com')
    await pub.getByRole('button', { name: 'Subscribe', exact: true }).click()
    await pub.getByRole('heading', { name: 'Subscription queued' }).waitFor()

    await page.getByRole('link', { name: 'Outbox' }).click()
    await page.getByText('E-mail is not configured yet.').waitFor()
    const item = page.locator('.outbox-item', { hasText: 'visitor@example.com' })
    await item.locator('summary').click()
    expect(await item.innerText()).toContain('Queued')
    const link = item.getByRole('link', { name: /subscribe\/confirm\?token=/ })
    expect(await link.count()).toBe(1)
    // The responder's message and the "fixed" e-mail.
    expect(await page.locator('.outbox-item', { hasText: 'ada@example.com' }).count()).toBe(2)
    await page.locator('.outbox-item', { hasText: 'ada@example.com' }).first().locator('summary').click()
    await page.screenshot({ path: `${SHOTS}/dashboard-honest-outbox.png`, fullPage: true })
    // Following the link from the Outbox confirms (development / test only).
    await pub.goto((await link.getAttribute('href'))!)
    expect(await pub.locator('body').innerText()).toMatch(/confirm/i)
    await ctx.close()
  })

  it('phone (390×844): the declare dialog fits, with every component and its status choice', {
    timeout: 60_000,
  }, async () => {
    const r = await postReport(server, 'The basket empties itself after login', { reporter_id: 'p1' })
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/clusters/${r.cluster_id}`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.getByRole('button', { name: /Declare incident/ }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Checkout status').waitFor()
    await dialog.getByLabel('Checkout status').selectOption('degraded_performance')
    const box = (await dialog.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    for (const name of ['Website status', 'Checkout status']) {
      const select = (await dialog.getByLabel(name).boundingBox())!
      expect(select.x + select.width, name).toBeLessThanOrEqual(box.x + box.width)
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1)).toBe(true)
    await page.screenshot({ path: `${SHOTS}/dashboard-honest-declare-phone.png` })
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await ctx.close()
  })

  it('the Outbox lists webhook deliveries with their body and every attempt (a refused one and a delivered one)', {
    timeout: 60_000,
  }, async () => {
    const refusing = await startHookReceiver([500])
    const accepting = await startHookReceiver([200])
    try {
      for (const url of [refusing.url, accepting.url])
        await createWebhook(server.deps, {
          projectId: server.projectId,
          url,
          kind: 'generic',
          events: ['incident.created'],
        })
      const incident = await declareIncident(server.deps, {
        projectId: server.projectId,
        title: 'Webhook outbox check: uploads stall',
        impact: 'minor',
        message: 'Uploads stall at 99 %.',
      })
      await refusing.waitFor(1)
      await accepting.waitFor(1)
      const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
      const page = await ctx.newPage()
      await signInToDashboard(page, `${server.url}/dashboard/settings/outbox`, ADMIN_EMAIL, ADMIN_PASSWORD)
      await page.getByLabel('Channel').selectOption('webhook')
      const refused = page.locator('.outbox-item', { hasText: refusing.url })
      const delivered = page.locator('.outbox-item', { hasText: accepting.url })
      // The first attempt is recorded once the answer is in; the page polls, Refresh asks now.
      await expect
        .poll(
          async () => (
            await page.getByRole('button', { name: 'Refresh' }).click(), await refused.locator('summary').innerText()
          ),
          { timeout: 15_000 },
        )
        .toMatch(/1 attempt\b/)
      await refused.locator('summary').click()
      const refusedText = await refused.innerText()
      expect(refusedText).toContain('Retrying') // queued again after the refusal, and says when
      // The first retry waits 10 s.
      expect(refusedText).toContain('Last error: HTTP 500 · next attempt in a few seconds')
      expect(refusedText).toContain('incident.created')
      expect(refusedText).toContain('HTTP 500')
      expect(refusedText).toContain(incident.id)
      expect(refusedText).toContain('Webhook outbox check: uploads stall')
      await delivered.locator('summary').click()
      expect(await delivered.innerText()).toContain('Sent')
      expect(await delivered.innerText()).toContain('HTTP 200')
      await page.screenshot({ path: `${SHOTS}/dashboard-honest-outbox-webhooks.png`, fullPage: true })
      await ctx.close()
    } finally {
      await refusing.close()
      await accepting.close()
    }
  })

  it('declaring without a cluster offers components too; critical, marking none, is not "Major" publicly', {
    timeout: 60_000,
  }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/incidents`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.getByRole('button', { name: /Declare incident/ }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Website status').waitFor()
    await dialog.getByLabel('Title').fill('Slow search results')
    await dialog.getByLabel(/Public message/).fill('Search is slow for some customers. We are looking into it.')
    await dialog.getByLabel('Impact').selectOption('critical')
    await dialog.getByRole('button', { name: 'Declare incident' }).click()
    await page.waitForURL(/\/dashboard\/incidents\/inc_/)
    const text = await publicHeadline()
    expect(text).toContain('Slow search results')
    expect(text).toContain('Minor Service Outage')
    expect(text).not.toContain('Major Service Outage')
    await ctx.close()
  })
})
