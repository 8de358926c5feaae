// Issue 13 "responders keep control" in a real browser: the cluster page's similar clusters, merge
// of one or several with a confirmation that counts reports right, Undo (toast and page notice),
// renaming, and the "may be back" mark on a resolved incident that got new reports (list + page,
// dismiss). Screenshots: /tmp/shots/control-*.png (1440×900 and 390×844).
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, postReport, startServer, type TestServer } from '../support/server.js'

const SHOTS = '/tmp/shots'
let server: TestServer
let browser: Browser
let focus = ''
const others: string[] = []
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
  focus = (
    await postReport(server, 'Checkout button does nothing when I click pay', { reporter_id: 'a1', route: '/checkout' })
  ).cluster_id
  await postReport(server, 'Checkout button does nothing when I click pay now', {
    reporter_id: 'a2',
    route: '/checkout',
  })
  for (const [i, m] of [
    'Card declined at checkout though the card is fine',
    'Checkout page shows a blank white screen',
  ].entries()) {
    others.push((await postReport(server, m, { reporter_id: `o${i}`, route: '/checkout' })).cluster_id)
  }
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const similarRows = (page: Page) => page.getByTestId('similar-clusters').locator('.similar-row')
const POLL = { timeout: 15_000 }
/** Signs in and waits until the session is there (signInToDashboard leaves the waiting to callers). */
async function signIn(page: Page) {
  const signedIn = page.waitForResponse(
    (r) => r.url().endsWith('/api/session') && r.request().method() === 'POST' && r.status() === 200,
  )
  await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
  await signedIn
}

describe('cluster page: similar clusters, merge, undo, rename', () => {
  it('lists similar clusters, merges several after asking, undoes from the toast and from the page, and renames', {
    timeout: 90_000,
  }, async () => {
    expect(new Set([focus, ...others]).size).toBe(3)
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await ctx.newPage()
    await signIn(page)
    await page.goto(`${server.url}/dashboard/clusters/${focus}`)
    await expect.poll(() => similarRows(page).count(), POLL).toBe(2)
    const shown = await similarRows(page).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.clusterId))
    expect(shown.sort()).toEqual([...others].sort())
    await page.screenshot({ path: `${SHOTS}/control-cluster-desktop.png` })

    // Rename: the title stays the responder's.
    await page.getByRole('button', { name: 'Rename this cluster' }).click()
    const input = page.getByLabel('Cluster title')
    await input.fill('Checkout broken after the 2.3 deploy')
    await page.screenshot({ path: `${SHOTS}/control-rename.png` })
    await input.press('Enter')
    await page.locator('h1', { hasText: 'Checkout broken after the 2.3 deploy' }).waitFor()
    await page.getByText('Named by a responder').waitFor()

    // Several at once: asks, counting reports and clusters right.
    for (const row of await similarRows(page).all()) await row.getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Merge 2 selected' }).click()
    const dialog = page.getByRole('dialog', { name: 'Merge 2 clusters?' })
    await dialog.waitFor()
    const text = await dialog.innerText()
    expect(text).toContain('Move 2 reports from 2 clusters into “Checkout broken after the 2.3 deploy” (2 reports)')
    expect(text).not.toMatch(/\b1 reports\b/)
    await page.screenshot({ path: `${SHOTS}/control-merge-several.png` })
    await dialog.getByRole('button', { name: 'Merge 2 reports' }).click()
    const toast = page.locator('.toast', { hasText: 'Merged 2 reports from 2 clusters' })
    await toast.waitFor()
    await page.locator('.stat', { hasText: 'Reports' }).locator('.value', { hasText: '4' }).waitFor()
    await page.locator('.notice', { hasText: 'Merged 2 reports from 2 clusters into this one' }).waitFor()
    await expect.poll(() => similarRows(page).count(), POLL).toBe(0)
    await page.screenshot({ path: `${SHOTS}/control-undo-toast.png` })
    await toast.getByRole('button', { name: 'Undo' }).click()
    await page.locator('.toast', { hasText: 'Merge undone: 2 clusters back, 2 reports' }).waitFor()
    await expect.poll(() => similarRows(page).count(), POLL).toBe(2)
    await page.locator('.stat', { hasText: 'Reports' }).locator('.value', { hasText: '2' }).waitFor()

    // One with one click (still asks), undone from the page's notice.
    const one = similarRows(page).first()
    await one.getByRole('button', { name: /^Merge “/ }).click()
    const single = page.getByRole('dialog', { name: 'Merge this cluster?' })
    expect(await single.innerText()).toMatch(/Move 1 report from “.+” into/)
    await single.getByRole('button', { name: 'Merge 1 report' }).click()
    await page.locator('.toast', { hasText: 'Merged 1 report' }).waitFor()
    const notice = page.locator('.notice', { hasText: 'Merged 1 report from 1 cluster into this one' })
    await notice.waitFor()
    await notice.getByRole('button', { name: 'Undo merge' }).click()
    await page.locator('.toast', { hasText: 'Merge undone: 1 cluster back, 1 report' }).waitFor()
    await expect.poll(() => page.locator('.notice', { hasText: 'into this one' }).count(), POLL).toBe(0)
    await expect.poll(() => similarRows(page).count(), POLL).toBe(2)
    await ctx.close()

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    const p = await phone.newPage()
    await signIn(p)
    await p.goto(`${server.url}/dashboard/clusters/${focus}`)
    await expect.poll(() => similarRows(p).count(), POLL).toBe(2)
    await p.getByTestId('similar-clusters').scrollIntoViewIfNeeded()
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await p.screenshot({ path: `${SHOTS}/control-cluster-phone.png`, fullPage: true })
    await phone.close()
  })
})

describe('may be back', () => {
  it('marks a resolved incident whose cluster got a new report, on the list and the page, until dismissed', {
    timeout: 60_000,
  }, async () => {
    const cluster = (
      await postReport(server, 'Password reset e-mails never arrive', { reporter_id: 'm1', route: '/reset' })
    ).cluster_id
    const incident = await declareIncident(server.deps, {
      projectId: server.projectId,
      title: 'Password reset e-mails delayed',
      impact: 'minor',
      message: 'Looking into it.',
      clusterId: cluster,
    })
    await postUpdate(server.deps, incident.id, { status: 'resolved', message: 'Fixed: e-mails are going out again.' })
    const again = await postReport(server, 'Password reset e-mails never arrive, again', {
      reporter_id: 'm2',
      route: '/reset',
    })
    expect(again.cluster_id).toBe(cluster)

    for (const [w, h, name] of [
      [1440, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      const ctx = await browser.newContext({
        viewport: { width: w, height: h },
        ...(w < 500 ? { isMobile: true, hasTouch: true } : {}),
      })
      const page = await ctx.newPage()
      await signIn(page)
      await page.goto(`${server.url}/dashboard/incidents`)
      await page
        .locator('tr', { hasText: 'Password reset e-mails delayed' })
        .locator('.pill.back', { hasText: 'May be back' })
        .waitFor()
      await page.screenshot({ path: `${SHOTS}/control-incidents-${name}.png` })
      await page.goto(`${server.url}/dashboard/incidents/${incident.id}`)
      const notice = page.getByTestId('may-be-back')
      await notice.waitFor()
      expect(await notice.innerText()).toContain('1 new report since it was resolved')
      await page.screenshot({ path: `${SHOTS}/control-incident-${name}.png` })
      if (name === 'phone') {
        await notice.getByRole('button', { name: 'Dismiss' }).click()
        await page.locator('.toast', { hasText: 'Dismissed' }).waitFor()
        await expect.poll(() => page.getByTestId('may-be-back').count(), POLL).toBe(0)
      }
      await ctx.close()
    }
    const res = await server.deps.db.client.execute({
      sql: 'SELECT may_be_back_at FROM incidents WHERE id = ?',
      args: [incident.id],
    })
    expect(res.rows[0]![0]).toBeNull()
  })
})
