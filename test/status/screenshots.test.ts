import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { manualClock } from '../../worker/clock.js'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { scheduleMaintenance } from '../../worker/domain/incidents/maintenance.js'
import { launchBrowser } from '../support/browser.js'
import { startServer, type TestServer } from '../support/server.js'

// The status page in a real browser with JavaScript OFF (it must work without it), in the three
// states a customer meets: all operational, an active incident, maintenance. Screenshots go to
// /tmp/shots/status-*.png to be looked at.

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 26, 15, 30)
const SHOTS = '/tmp/shots'
let server: TestServer
let browser: Browser
const clock = manualClock(NOW - 40 * DAY)

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer({ clock })
  browser = await launchBrowser()
  const deps = server.deps
  const projectId = server.projectId
  const website = await createComponent(deps, projectId, {
    name: 'Website',
    description: 'Shop pages and product catalogue',
  })
  const checkout = await createComponent(deps, projectId, { name: 'Checkout' })
  await createComponent(deps, projectId, { name: 'Search' })
  await createComponent(deps, projectId, { name: 'Public API' })
  // History: two incidents resolved in the past weeks.
  const old = await declareIncident(deps, {
    projectId,
    title: 'Product images not loading',
    impact: 'minor',
    message: 'Images on product pages fail to load for some customers.',
    components: [{ componentId: website.id, status: 'degraded_performance' }],
  })
  clock.advance(45 * 60_000)
  await postUpdate(deps, old.id, {
    status: 'resolved',
    message: 'A CDN configuration change was reverted; images load again.',
  })
  clock.set(NOW - 9 * DAY)
  const payments = await declareIncident(deps, {
    projectId,
    title: 'Payments declined at checkout',
    impact: 'critical',
    message: 'Card payments are being declined. We are investigating.',
    components: [{ componentId: checkout.id, status: 'major_outage' }],
  })
  clock.advance(20 * 60_000)
  await postUpdate(deps, payments.id, {
    status: 'identified',
    message: 'A certificate rotation broke the connection to our payment provider.',
  })
  clock.advance(35 * 60_000)
  await postUpdate(deps, payments.id, {
    status: 'resolved',
    message:
      'The certificate was replaced and payments go through again. Orders placed in this window were not charged.',
  })
  clock.set(NOW)
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function shoot(name: string, width = 1100, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width, height: 900 },
    deviceScaleFactor: 1,
    colorScheme,
  })
  const page = await context.newPage()
  const res = await page.goto(`${server.url}/status/demo`)
  expect(res!.status()).toBe(200)
  await page.screenshot({ path: `${SHOTS}/status-${name}.png`, fullPage: true })
  const text = await page.locator('body').innerText()
  await context.close()
  return text
}

describe('status page screenshots (JavaScript disabled)', () => {
  it('all operational', async () => {
    const text = await shoot('operational')
    expect(text).toContain('All Systems Operational')
    expect(text).toContain('Payments declined at checkout')
  })

  it('with an active incident', async () => {
    const checkout = (await server.db.client.execute("SELECT id FROM components WHERE name = 'Checkout'")).rows[0]!
      .id as string
    const incident = await declareIncident(server.deps, {
      projectId: server.projectId,
      title: 'Orders stuck in “processing”',
      impact: 'major',
      message: 'Some orders stay in “processing” after payment. We are looking into it.',
      internalNote: 'INTERNAL: queue consumer lag 40 min',
      components: [{ componentId: checkout, status: 'partial_outage' }],
    })
    clock.advance(12 * 60_000)
    await postUpdate(server.deps, incident.id, {
      status: 'identified',
      message: 'A stuck job queue delays order confirmation. Payments are safe; no order is lost.',
    })
    clock.advance(3 * 60_000)
    const text = await shoot('incident')
    await shoot('incident-mobile', 375)
    await shoot('incident-dark', 1100, 'dark')
    expect(text).toContain('Partial System Outage')
    expect(text).toContain('A stuck job queue delays order confirmation')
    expect(text).not.toContain('INTERNAL')
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 700 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/status/demo/incidents/${incident.id}`)
    await page.screenshot({ path: `${SHOTS}/status-incident-page.png` })
    await page.goto(`${server.url}/status/demo`)
    await page.getByLabel('E-mail address').fill('cy@example.com')
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click()
    // No e-mail provider in this server: the page says the link is queued, never "we sent".
    expect(await page.getByRole('heading', { name: 'Subscription queued' }).count()).toBe(1)
    expect(await page.locator('body').innerText()).toContain('e-mail is not configured')
    await page.screenshot({ path: `${SHOTS}/status-subscribed.png` })
    await context.close()
    await postUpdate(server.deps, incident.id, {
      status: 'resolved',
      message: 'The queue is drained and every order is confirmed.',
    })
  })

  it('is served at the root of demo.status.localhost (Chromium resolves *.localhost to this machine)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const res = await page.goto(`http://demo.status.localhost:${server.port}/`)
    expect(res!.status()).toBe(200)
    expect(await page.locator('h2', { hasText: 'Components' }).count()).toBe(1)
    await page.locator('a', { hasText: 'summary.json' }).first().click()
    expect(page.url()).toBe(`http://demo.status.localhost:${server.port}/api/v2/summary.json`)
    // Absolute links are canonical (PUBLIC_URL, here the server's own address), whatever host served them.
    expect(JSON.parse(await page.locator('body').innerText()).page.url).toBe(`${server.url}/status/demo`)
    await context.close()
  })

  it('with maintenance in progress and scheduled', async () => {
    const api = (await server.db.client.execute("SELECT id FROM components WHERE name = 'Public API'")).rows[0]!
      .id as string
    const search = (await server.db.client.execute("SELECT id FROM components WHERE name = 'Search'")).rows[0]!
      .id as string
    const now = clock.now()
    await scheduleMaintenance(server.deps, {
      projectId: server.projectId,
      title: 'Search index upgrade',
      message: 'Search may return incomplete results for a few minutes.',
      startsAt: now - 10 * 60_000,
      endsAt: now + 50 * 60_000,
      componentIds: [search],
    })
    await scheduleMaintenance(server.deps, {
      projectId: server.projectId,
      title: 'Database maintenance',
      message: 'The public API will be read-only during this window.',
      startsAt: now + 2 * DAY,
      endsAt: now + 2 * DAY + 2 * 3_600_000,
      componentIds: [api],
    })
    const text = await shoot('maintenance')
    expect(text).toContain('Service Under Maintenance')
    expect(text).toMatch(/maintenance in progress/i)
    expect(text).toMatch(/scheduled maintenance/i)
  })
})
