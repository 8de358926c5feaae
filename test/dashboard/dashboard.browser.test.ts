// The responder's whole path in a real browser against the real Node server: sign in, triage,
// every cluster action, declare an incident and see it reach the widget endpoint — with customer
// input full of XSS payloads that must render as text and never run.
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer, postReport } from '../support/server.js'
import { clusterOf } from '../support/pipeline.js'

const SHOTS = '/tmp/shots'
const PAYLOADS = [
  `<img src=x onerror="window.__xss.push('img')">`,
  `<script>window.__xss.push('script')</script>`,
  `<svg/onload=window.__xss.push('svg')>`,
  `"><iframe srcdoc="<script>parent.__xss.push('iframe')</script>">`,
  `<a href="javascript:window.__xss.push('href')">click</a>`,
  `{{constructor.constructor('window.__xss.push(1)')()}}`,
  `<details open ontoggle="window.__xss.push('toggle')">`,
]

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

async function newPage(scheme: 'light' | 'dark'): Promise<{ page: Page; problems: string[] }> {
  const ctx = await browser.newContext({ colorScheme: scheme, viewport: { width: 1360, height: 860 } })
  const page = await ctx.newPage()
  const problems: string[] = []
  await page.addInitScript(() => ((window as any).__xss = []))
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`)
    void d.dismiss()
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  return { page, problems }
}

async function signIn(page: Page) {
  await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
  await page.waitForSelector('.cluster-row')
}

describe('responder dashboard in a browser', () => {
  it('walks login → list → cluster page → every action → incident declared, with XSS rendered as text', {
    timeout: 90_000,
  }, async () => {
    for (let i = 0; i < 6; i++)
      await postReport(server, 'The fonts look different on checkout', {
        reporter_id: `anon-${i}`,
        route: '/checkout',
        release: 'web@1.4.2',
        page_url: `${server.url}/checkout?step=${i}`,
        locale: 'en-GB',
      })
    for (const [i, p] of PAYLOADS.entries()) {
      await postReport(server, `Hacker report ${p}`, {
        reporter_id: `h${i}`,
        release: p.slice(0, 100),
        locale: 'en',
        page_url: `javascript:window.__xss.push('url${i}')`,
        context: { errors: [{ message: p }], user: { email: p.slice(0, 200) } },
      })
    }
    const pricing = await postReport(server, 'Where did the pricing page go?', { reporter_id: 'p1', route: '/pricing' })
    await postReport(server, 'Where did the pricing page go?', { reporter_id: 'p2', route: '/pricing' })
    const map = await postReport(server, 'The store map is grey', { reporter_id: 'm1' })

    const { page, problems } = await newPage('light')
    await signIn(page)
    await page.screenshot({ path: `${SHOTS}/dashboard-list-light.png` })
    expect(await page.locator('.cluster-row').count()).toBeGreaterThanOrEqual(3)

    // keyboard: j moves the selection, Enter opens it
    const first = await page.locator('.cluster-row[aria-selected="true"]').getAttribute('id')
    await page.keyboard.press('j')
    const second = await page.locator('.cluster-row[aria-selected="true"]').getAttribute('id')
    expect(second).not.toBe(first)
    await page.keyboard.press('k')
    expect(await page.locator('.cluster-row[aria-selected="true"]').getAttribute('id')).toBe(first)

    // live: a new report shows up without a reload
    const before = await page.locator('.cluster-row').count()
    await postReport(server, 'Brand new: the export button is gone', { reporter_id: 'x1' })
    await expect.poll(() => page.locator('.cluster-row').count(), { timeout: 15_000 }).toBe(before + 1)

    // search
    await page.getByLabel('Search reports').fill('pricing page')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.cluster-row').count(), { timeout: 10_000 }).toBe(1)
    await page.getByRole('button', { name: 'Clear' }).click()
    await expect.poll(() => page.locator('.cluster-row').count()).toBeGreaterThan(1)

    // every hacker report, wherever the engine clustered it, shows its payload as text; nothing ran
    await page.getByLabel('Search reports').fill('Hacker report')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.cluster-row').count(), { timeout: 10_000 }).toBeGreaterThan(0)
    const hrefs = await page
      .locator('.cluster-row a.cluster-title')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))
    const shown: string[] = []
    for (const href of hrefs) {
      await page.goto(href)
      await page.waitForSelector('.report')
      shown.push(...(await page.locator('.report-msg, .errors').allTextContents()))
      expect(
        await page.locator('.report img, .report script, .report svg[onload], .report iframe, .report details').count(),
      ).toBe(0)
      expect(await page.locator('.report a[href^="javascript:"]').count()).toBe(0)
    }
    for (const p of PAYLOADS) expect(shown.join('\n')).toContain(p)
    await page.goto(`${server.url}/dashboard/clusters`)
    await page.waitForSelector('.cluster-row')

    // open the fonts cluster with the keyboard from the list
    await page.goto(`${server.url}/dashboard/clusters?q=fonts`)
    await page.waitForSelector('.cluster-row')
    await page.keyboard.press('Enter')
    await page.waitForSelector('.report')
    await page.screenshot({ path: `${SHOTS}/dashboard-cluster-light.png`, fullPage: true })
    expect(await page.locator('.breakdown').first().textContent()).toContain('/checkout')

    // acknowledge (a), assign, mute, unmute
    await page.keyboard.press('a')
    await expect.poll(() => page.locator('.page-head .pill').first().textContent()).toBe('Acknowledged')
    await page.getByRole('button', { name: /^Assign/ }).click()
    await page.getByRole('dialog').getByRole('button', { name: /Admin/ }).click()
    await expect.poll(() => page.getByRole('button', { name: /Assigned: Admin/ }).count()).toBe(1)
    await page.getByRole('button', { name: 'Mute' }).click()
    await expect.poll(() => page.locator('.page-head .pill').first().textContent()).toBe('Muted')
    await page.getByRole('button', { name: 'Unmute' }).click()
    await expect.poll(() => page.locator('.page-head .pill').first().textContent()).toBe('Open')

    // move one selected report into a new cluster
    await page.locator('.report input[type=checkbox]').first().check()
    await page.getByRole('button', { name: /Move 1/ }).click()
    await page.getByLabel('New cluster title').fill('Fonts on the receipt e-mail')
    await page.getByRole('button', { name: 'New cluster' }).click()
    await page.waitForURL(/\/dashboard\/clusters\/clu_/)
    await expect.poll(() => page.locator('h1').textContent()).toContain('Fonts on the receipt')
    await expect.poll(() => page.locator('.report').count()).toBe(1)

    // merge the map cluster into the pricing cluster
    await page.goto(`${server.url}/dashboard/clusters/${map.cluster_id}`)
    await page.waitForSelector('.report')
    await page.keyboard.press('m')
    await page.getByLabel('Target cluster').fill('pricing')
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Where did the pricing page go\?/ })
      .click()
    // A merge asks first, and counts right ("1 report").
    await page.getByRole('button', { name: 'Merge 1 report' }).click()
    await page.waitForURL(new RegExp(pricing.cluster_id))
    await expect.poll(() => page.locator('.stat .value').first().textContent()).toBe('3')

    // declare an incident from the pricing cluster (i), prefilled
    await page.keyboard.press('i')
    const dialog = page.getByRole('dialog')
    expect(await dialog.getByLabel('Title').inputValue()).toContain('Where did the pricing page go?')
    await dialog.getByLabel('Impact').selectOption('major')
    await page.screenshot({ path: `${SHOTS}/dashboard-declare-light.png` })
    await dialog.getByRole('button', { name: 'Declare incident' }).click()
    await page.waitForURL(/\/dashboard\/incidents\/inc_/)
    const incidentId = page.url().split('/').pop()!
    await page.screenshot({ path: `${SHOTS}/dashboard-incident-light.png`, fullPage: true })

    const widget = async () =>
      (
        await (
          await fetch(`${server.url}/v1/incidents`, { headers: { 'x-earshot-key': server.key, origin: server.url } })
        ).json()
      ).incidents
    expect((await widget()).map((i: any) => i.id)).toContain(incidentId)

    // link the fonts cluster to the same incident
    await page.goto(`${server.url}/dashboard/clusters?q=fonts%20look`)
    await page.waitForSelector('.cluster-row')
    await page.locator('.cluster-row').first().click()
    await page.waitForSelector('.report')
    await page.getByRole('button', { name: 'Link incident' }).click()
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /pricing page/ })
      .click()
    await expect.poll(() => page.locator('.page-head a[href*="/incidents/"]').count()).toBe(1)

    // post an update, then resolve: the widget endpoint drops it
    await page.goto(`${server.url}/dashboard/incidents/${incidentId}`)
    await page.getByRole('button', { name: 'Identified' }).click()
    await page.getByLabel('Public update').fill('A deploy rolled the site back; we are restoring it.')
    await page.getByRole('button', { name: 'Post update' }).click()
    await expect.poll(async () => (await widget())[0]?.status).toBe('identified')
    await page.getByRole('button', { name: 'Resolved' }).click()
    await page.getByLabel('Public update').fill('The pricing page is back.')
    await page.getByRole('button', { name: 'Resolve incident' }).click()
    await expect.poll(async () => (await widget()).length).toBe(0)

    expect(await page.evaluate(() => (window as any).__xss)).toEqual([])
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('reads well in dark mode; a viewer gets no actions, foreign ids show not found; an owner sets up a webhook', {
    timeout: 60_000,
  }, async () => {
    const { createResponder } = await import('../../worker/domain/access/auth.js')
    const { createProject, createWorkspace, findProjectBySlug } = await import(
      '../../worker/domain/projects/projects.js'
    )
    const demo = (await findProjectBySlug(server.db.orm, 'demo'))!
    const foreign = await server.db.write(async (tx) => {
      await createResponder(tx, server.deps, {
        email: 'viewer@acme.test',
        password: 'viewer password 1',
        name: 'Vera',
        workspaceId: demo.workspaceId,
        role: 'viewer',
      })
      const ws = await createWorkspace(tx, server.deps, 'Globex')
      return createProject(tx, server.deps, {
        workspaceId: ws.id,
        name: 'Globex',
        slug: 'globex',
        allowedOrigins: [server.url],
      })
    })
    const other = await fetch(`${server.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': foreign.publicKey, origin: server.url },
      body: JSON.stringify({ message: 'Globex private problem' }),
    })
    const foreignCluster = await clusterOf(server.deps, (await other.json()).id)
    await postReport(server, 'Night theme: the checkout button is invisible', { reporter_id: 'd1', route: '/checkout' })

    const { page, problems } = await newPage('dark')
    await page.goto(`${server.url}/dashboard/login`)
    await page.getByLabel('E-mail').fill('viewer@acme.test')
    await page.getByLabel('Password').fill('viewer password 1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForSelector('.cluster-row')
    expect(await page.getByText('Globex private problem').count()).toBe(0)
    await page.locator('.cluster-row').first().click()
    await page.waitForSelector('.report')
    expect(await page.getByRole('toolbar', { name: 'Cluster actions' }).count()).toBe(0)
    await page.keyboard.press('a')
    expect(await page.locator('.page-head .pill').first().textContent()).not.toBe('Acknowledged')
    await page.goto(`${server.url}/dashboard/clusters/${foreignCluster}`)
    await page.getByText('Cluster not found').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/dashboard\/login/)
    await signIn(page)

    // owner: add a webhook in project settings, send a test, see the delivery in the log
    const hits: string[] = []
    const hook = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => (hits.push(body), res.end('ok')))
    })
    await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok))
    try {
      await page.goto(`${server.url}/dashboard/settings/projects/${demo.id}`)
      await page.getByLabel('Webhook URL').fill(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`)
      await page.getByLabel('Format').selectOption('generic')
      await page.getByRole('button', { name: 'Add webhook' }).click()
      await page.getByText('Signing secret, shown once').waitFor()
      await page.getByRole('button', { name: 'Send test' }).click()
      await expect.poll(() => hits.length, { timeout: 15_000 }).toBe(1)
      expect(JSON.parse(hits[0]!).event).toBe('test')
      await page.getByRole('button', { name: 'Deliveries' }).click()
      await page.locator('.pill.resolved', { hasText: 'sent' }).waitFor()
    } finally {
      hook.close()
    }
    await page.goto(`${server.url}/dashboard/clusters`)
    await page.waitForSelector('.cluster-row')
    await page.screenshot({ path: `${SHOTS}/dashboard-list-dark.png` })
    await page.locator('.cluster-row').first().click()
    await page.waitForSelector('.report')
    await page.screenshot({ path: `${SHOTS}/dashboard-cluster-dark.png`, fullPage: true })
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(14, 14, 18)')
    expect(await page.evaluate(() => (window as any).__xss)).toEqual([])
    expect(problems).toEqual([])
    await page.context().close()
  })
})
