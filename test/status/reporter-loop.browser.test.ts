// The reporter loop in a real browser, end to end: customers report a problem from the widget →
// the reports cluster → a responder declares an incident from the cluster → a later report joins
// it → the responder resolves it → each reporter's widget shows "The problem you reported on
// <date> has been fixed." once, and the reporter who left an e-mail gets one message.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { eq } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { notices, reports } from '../../worker/db/schema/index.js'
import { deliverDue, outboxTransport } from '../../worker/domain/notifications/index.js'
import { launchBrowser } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'
import { embed, newPage, widget } from '../widget/harness.js'
import { startHostServer } from '../widget/hosts.js'
import { startReceiver, type Receiver } from './support.js'

let server: TestServer
let hosts: Awaited<ReturnType<typeof startHostServer>>
let browser: Browser
let mail: Receiver

beforeAll(async () => {
  mail = await startReceiver()
  hosts = await startHostServer()
  server = await startServer({
    extraOrigins: [hosts.origin],
    config: { email: { apiUrl: `${mail.url}/emails`, from: 'status@acme.test' } },
  })
  hosts.connect(server.url, server.key)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await hosts?.close()
  await mail?.close()
})

const MESSAGE = 'The order history page is blank since this morning'

async function report(page: Page, opts: { email?: string; pastKnownIncident?: boolean } = {}) {
  await widget(page).locator('button.l').click()
  const d = widget(page).getByRole('dialog')
  // With a known incident the widget first says "we already know"; this customer types anyway.
  if (opts.pastKnownIncident)
    await d.getByRole('button', { name: 'Something else? Report a different problem' }).click()
  await d.getByLabel('What happened?').fill(MESSAGE)
  if (opts.email) await d.getByLabel('Email (optional)').fill(opts.email)
  await d.getByRole('button', { name: 'Send report' }).click()
  await expect.poll(() => d.getByRole('heading').textContent()).toBe('Thanks — your report was sent')
  await page.keyboard.press('Escape')
  return page.evaluate(() => JSON.parse(localStorage.getItem('earshot:rid')!)) as Promise<string>
}

async function dashboard(path: string, body: unknown, cookie?: string) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  })
  return { res, json: (await res.json()) as any }
}

describe('closing the loop with the people who reported', () => {
  test('reports → incident → resolved → “fixed” once in each reporter’s browser, e-mail if they left one', async () => {
    const pageA = await newPage(browser)
    await pageA.goto(hosts.page('/orders-a', { body: embed({ poll: '1' }) }))
    const ridA = await report(pageA, { email: 'ana@example.com' })
    const pageB = await newPage(browser)
    await pageB.goto(hosts.page('/orders-b', { body: embed({ poll: '1' }) }))
    const ridB = await report(pageB)
    expect(ridA).not.toBe(ridB)

    await server.deps.pipeline.drain() // the 202 comes before clustering; wait for the pipeline
    const rows = await server.db.orm.select().from(reports).where(eq(reports.projectId, server.projectId)).all()
    expect(rows.map((r) => r.reporterId).sort()).toEqual([ridA, ridB].sort())
    const clusterId = rows[0]!.clusterId!
    expect(rows.every((r) => r.clusterId === clusterId)).toBe(true)

    // A responder declares the incident from the cluster in the dashboard.
    const login = await dashboard('/api/session', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    const cookie = login.res.headers.get('set-cookie')!.split(';')[0]!
    const declared = await dashboard(
      '/api/incidents',
      {
        cluster_id: clusterId,
        title: 'Order history does not load',
        impact: 'major',
        message: 'Order history shows an empty page. We are investigating.',
      },
      cookie,
    )
    expect(declared.res.status).toBe(201)
    const incidentId = declared.json.incident.id

    // A third customer reports the same thing later: the report joins the linked cluster, and the incident.
    const pageC = await newPage(browser)
    await pageC.goto(hosts.page('/orders-c', { body: embed({ poll: '1' }) }))
    const ridC = await report(pageC, { pastKnownIncident: true })
    await server.deps.pipeline.drain()
    const late = (await server.db.orm.select().from(reports).where(eq(reports.reporterId, ridC)).all())[0]!
    expect(late.clusterId).toBe(clusterId)
    expect(late.incidentId).toBe(incidentId)

    const resolved = await dashboard(
      `/api/incidents/${incidentId}/updates`,
      {
        status: 'resolved',
        message: 'A bad index was rebuilt; order history loads again.',
        internal_note: 'INTERNAL: index dropped by migration 42',
      },
      cookie,
    )
    expect(resolved.res.status).toBe(201)
    expect(resolved.json.incident.notices.total).toBe(3)

    // Each reporter's widget shows the notice (its next poll), once.
    const fixedA = widget(pageA).locator('.b.ok')
    await expect
      .poll(() => fixedA.locator('.m').textContent(), { timeout: 10_000 })
      .toMatch(/^The problem you reported on .+ has been fixed\.$/)
    expect(await fixedA.locator('.t').textContent()).toBe('Order history does not load')
    await pageA.screenshot({ path: '/tmp/shots/status-fixed-notice.png' })
    const fixedC = widget(pageC).locator('.b.ok')
    await expect.poll(() => fixedC.count(), { timeout: 10_000 }).toBe(1)
    await expect
      .poll(
        async () =>
          (await server.db.orm.select().from(notices).all()).filter((n) => n.reporterId === ridA && n.seenAt != null)
            .length,
      )
      .toBe(1)
    await pageA.reload()
    await widget(pageA).locator('button.l').waitFor()
    await pageA.waitForTimeout(2500) // two more polls
    expect(await widget(pageA).locator('.b.ok').count()).toBe(0)

    // E-mail: only the reporter who left an address, once, without the internal note.
    for (let i = 0; i < 20 && mail.received.length < 1; i++) {
      await deliverDue(server.deps, outboxTransport(server.deps))
      await new Promise((ok) => setTimeout(ok, 50))
    }
    await deliverDue(server.deps, outboxTransport(server.deps))
    expect(mail.received.map((m) => m.json.to)).toEqual([['ana@example.com']])
    expect(mail.received[0]!.json.subject).toBe('[Acme Shop] Fixed: Order history does not load')
    expect(mail.received[0]!.json.text).toMatch(/The problem you reported on .+ has been fixed\./)
    expect(mail.received[0]!.body).not.toContain('INTERNAL')
    for (const p of [pageA, pageB, pageC]) await p.context().close()
  })
})
