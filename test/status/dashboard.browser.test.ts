// The incident pages of the dashboard in Chromium (needs `npm run build`): post an update with an
// internal note and affected components, see the learning figures, message everyone affected,
// resolve, export Markdown; and the status-page settings (components, maintenance, tokens, a custom
// domain verified through a real DNS server on 127.0.0.1).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { findProjectBySlug } from '../../worker/domain/projects/projects.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'
import { clusterOf } from '../support/pipeline.js'

let server: TestServer
let browser: Browser
let page: Page
let dns: DnsServer

beforeAll(async () => {
  dns = await startDnsServer()
  server = await startServer({ dnsServers: [dns.address] })
  browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' })
  page = await context.newPage()
  page.setDefaultTimeout(8000)
  await signInToDashboard(page, `${server.url}/dashboard/login`, ADMIN_EMAIL, ADMIN_PASSWORD)
  await page.waitForURL(/\/dashboard\/(?!login)/)
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await dns?.close()
})

describe('incident pages in the dashboard', () => {
  test('update with internal note and components, learning, message the affected, resolve, export', async () => {
    const project = (await findProjectBySlug(server.db.orm, 'demo'))!
    const checkout = await createComponent(server.deps, project.id, { name: 'Checkout' })
    const first = await submitReport(server.deps, project, {
      message: 'Cannot pay with my card',
      reporter_id: 'r-1',
      email: 'r1@example.com',
      release: 'web@2026.11.3',
    })
    await submitReport(server.deps, project, {
      message: 'Cannot pay with my card',
      reporter_id: 'r-2',
      release: 'web@2026.11.3',
    })
    const incident = await declareIncident(server.deps, {
      projectId: project.id,
      clusterId: (await clusterOf(server.deps, first.id))!,
      title: 'Card payments fail',
      impact: 'major',
      message: 'Card payments fail for some customers.',
    })

    await page.goto(`${server.url}/dashboard/incidents/${incident.id}`)
    await page.getByRole('heading', { name: 'Card payments fail' }).waitFor()
    await expect.poll(() => page.getByText('Time to detect').count()).toBe(1)
    const form = page.getByRole('form', { name: 'Post an update' })
    await form.getByRole('button', { name: 'Identified' }).click()
    await form
      .getByLabel(/Public update/)
      .fill('The card processor rejects requests since the 14:02 deploy; rolling back.')
    await form.getByLabel(/Internal note/).fill('Rollback started by Dana')
    await form.locator('select').selectOption('partial_outage')
    await form.getByRole('button', { name: 'Post update' }).click()
    await page.getByText('Rollback started by Dana').waitFor()
    await expect
      .poll(() => page.getByRole('region', { name: 'Components' }).getByText('Partial outage').count())
      .toBe(1)
    const status = await (await fetch(`${server.url}/status/demo`)).text()
    expect(status).toContain('The card processor rejects requests')
    expect(status).not.toContain('Rollback started by Dana')

    await page
      .getByRole('form', { name: 'Message everyone affected' })
      .getByLabel('Message')
      .fill('Orders you placed during the problem were not charged.')
    await page.getByRole('button', { name: 'Send to 2 affected' }).click()
    // No e-mail provider here: the e-mail is queued, and the toast says so.
    await page
      .getByText('Sent: 2 in-app notices. Queued: 1 e-mail: e-mail is not configured yet (see Outbox)')
      .waitFor()
    await page.setViewportSize({ width: 1280, height: 1500 })
    await page.screenshot({ path: '/tmp/shots/status-dashboard-incident.png' })

    await form.getByRole('button', { name: 'Resolved' }).click()
    await form.getByLabel(/Public update/).fill('Payments work again.')
    await form.getByRole('button', { name: 'Resolve incident' }).click()
    await page.getByText(/4 in-app notices, 0 seen/).waitFor() // 2 from the message above + 2 "fixed"

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export Markdown' }).click(),
    ])
    const markdown = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8')
    expect(markdown).toContain('# Card payments fail')
    expect(markdown).toContain('**Time to detect**')
    expect(markdown).toContain('`web@2026.11.3` (2)')
    expect(markdown).toContain('_Internal note:_ Rollback started by Dana')
    expect(checkout.id).toMatch(/^cmp_/)

    // The project's figures across incidents, on the incidents list.
    await page.goto(`${server.url}/dashboard/incidents`)
    const learning = page.getByRole('region', { name: 'Learning for Acme Shop' })
    await learning.getByText('Median time to detect').waitFor()
    expect(await learning.getByRole('link', { name: 'Card payments fail' }).count()).toBe(1)
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({ path: '/tmp/shots/status-dashboard-list.png' })
  })

  test('status page settings: components, maintenance and a private-view token', async () => {
    await page.goto(`${server.url}/dashboard/incidents/status-page`)
    await page.getByRole('heading', { name: 'Public status page' }).waitFor()
    await page.getByLabel('New component name').fill('Search')
    await page.getByRole('button', { name: 'Add component' }).click()
    await page.getByLabel('Status of Search').waitFor()
    await page.getByLabel('Title').fill('Search index upgrade')
    await page.getByRole('button', { name: 'Schedule maintenance' }).click()
    await page.getByRole('cell', { name: /Search index upgrade/ }).waitFor()
    await page.getByLabel('Token label').fill('Acme Corp')
    await page.getByRole('button', { name: 'Create token' }).click()
    const url = await page.locator('.secret').textContent()
    expect(url).toMatch(/\/status\/demo\?token=stt_/)
    expect((await fetch(url!)).status).toBe(200)
    await page.setViewportSize({ width: 1280, height: 1700 })
    await page.screenshot({ path: '/tmp/shots/status-dashboard-settings.png' })
    const html = await (await fetch(`${server.url}/status/demo`)).text()
    expect(html).toContain('Search index upgrade')
    expect(html).toContain('Search')
  })

  test('custom domain: the TXT record and CNAME to set up, a failed check, then verified and served', async () => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${server.url}/dashboard/incidents/status-page`)
    await page.getByRole('heading', { name: 'Public status page' }).waitFor()
    await page.getByLabel(/Custom domain/).fill('status.acme-shop.example')
    await page.getByRole('button', { name: 'Save' }).click()
    const steps = page.getByRole('region', { name: 'Verify the custom domain' })
    await steps.waitFor()
    expect(await page.getByTestId('domain-state').textContent()).toBe('Not verified — not served yet')
    expect(await steps.getByTestId('txt-name').textContent()).toBe('_earshot-challenge.status.acme-shop.example')
    const value = (await steps.getByTestId('txt-value').textContent())!
    expect(value).toMatch(/^earshot-domain-verification=/)
    // PUBLIC_URL here is http://127.0.0.1:<port>.
    expect(await steps.textContent()).toContain(`A/AAAA record to ${new URL(server.url).hostname}`)
    // Verify before the record exists: the check says what it looked for.
    await steps.getByRole('button', { name: 'Verify' }).click()
    await steps
      .getByRole('status')
      .getByText(/No TXT record _earshot-challenge\.status\.acme-shop\.example/)
      .waitFor()
    await steps.scrollIntoViewIfNeeded()
    await page.screenshot({ path: '/tmp/shots/status-dashboard-domain-pending.png' })
    // The record is published: verified, served at the domain.
    dns.setTxt('_earshot-challenge.status.acme-shop.example', [value])
    await steps.getByRole('button', { name: 'Verify' }).click()
    await expect.poll(() => page.getByTestId('domain-state').textContent()).toMatch(/^Verified /)
    expect(await steps.count()).toBe(0)
    await page.screenshot({ path: '/tmp/shots/status-dashboard-domain-verified.png' })
    const { request } = await import('node:http')
    const served = await new Promise<number>((ok, fail) => {
      const base = new URL(server.url)
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: '/api/v2/summary.json',
          headers: { host: 'status.acme-shop.example' },
        },
        (res) => {
          res.resume()
          ok(res.statusCode!)
        },
      )
      req.on('error', fail)
      req.end()
    })
    expect(served).toBe(200)
  })
})
