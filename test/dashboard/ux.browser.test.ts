// The dashboard as a responder and a support agent meet it in a real browser: search as you type
// with the query in the URL, Esc back to the list as it was, merge confirmation with the right
// plural, the `a` toast, landmarks + skip link + `?` help, role-aware hints and read-only settings,
// and a phone layout (one navigation bar, the reports column kept). Screenshots: /tmp/shots/dashboard-ux-*.png.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { memberships } from '../../worker/db/schema/index.js'
import { createResponder } from '../../worker/domain/access/auth.js'
import { recordDeploy } from '../../worker/domain/surge/deploys.js'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer, postReport } from '../support/server.js'

const SHOTS = '/tmp/shots'
let server: TestServer
let browser: Browser
let pricing = ''
let fonts = ''
let map = ''
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
  for (let i = 0; i < 3; i++)
    fonts = (await postReport(server, 'The fonts look different on checkout', { reporter_id: `f${i}` })).cluster_id
  pricing = (await postReport(server, 'Where did the pricing page go?', { reporter_id: 'p1' })).cluster_id
  map = (await postReport(server, 'The store map is grey and empty', { reporter_id: 'm1' })).cluster_id
  const ws = (await server.db.orm.select().from(memberships).get())!.workspaceId
  await server.db.write((tx) =>
    createResponder(tx, server.deps, {
      email: 'support@example.com',
      password: 'long enough password',
      name: 'Sam',
      workspaceId: ws,
      role: 'support',
    }),
  )
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('dashboard UX', () => {
  it('search as you type, Esc back to the same list, merge confirmation, `a` toast, landmarks and `?` help', {
    timeout: 60_000,
  }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.waitForSelector('.cluster-row')
    expect(await page.locator('main#main').count()).toBe(1)

    // Skip link: first Tab stop, moves focus to <main>.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')

    // Typing filters (no Enter) and the URL keeps the query and filters.
    await page.getByLabel('Status').selectOption('')
    await page.getByLabel('Search reports').pressSequentially('fonts', { delay: 20 })
    await page.waitForURL(/q=fonts/)
    expect(page.url()).toContain('status=')
    await expect.poll(() => page.locator('.cluster-row').count()).toBe(1)

    // Open it, Esc: back to the same filtered list.
    await page.locator('.cluster-row').first().click()
    await page.waitForURL(new RegExp(`/clusters/${fonts}`))
    await page.locator('h1', { hasText: 'fonts' }).waitFor()
    // `a` says what it did — once the page knows the responder may act (its toolbar shows; under
    // load the session can arrive after the cluster, and until then the shortcut is rightly inert).
    await page.getByRole('toolbar', { name: 'Cluster actions' }).waitFor()
    await page.keyboard.press('a')
    await page.locator('.toast', { hasText: 'Acknowledged' }).waitFor()
    await page.keyboard.press('Escape')
    await page.waitForURL(/\/clusters\?.*q=fonts/)
    expect(await page.getByLabel('Search reports').inputValue()).toBe('fonts')
    await expect.poll(() => page.locator('.cluster-row').count()).toBe(1)

    // `?` opens the shortcut help, with the responder's shortcuts.
    await page.locator('body').click({ position: { x: 700, y: 880 } })
    await page.keyboard.press('?')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await help.waitFor()
    expect(await help.innerText()).toContain('Declare an incident')
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-help.png` })
    await page.keyboard.press('Escape')

    // Merge a 1-report cluster: asks first, and says "1 report".
    await page.goto(`${server.url}/dashboard/clusters/${map}`)
    await page.getByRole('button', { name: /Merge/ }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.innerText()).toContain('its 1 report')
    await dialog.getByLabel('Target cluster').fill('pricing')
    await dialog
      .getByRole('button', { name: /pricing page/ })
      .first()
      .click()
    await page.getByRole('dialog', { name: 'Merge these clusters?' }).waitFor()
    const confirmText = await page.getByRole('dialog').innerText()
    expect(confirmText).toContain('Move 1 report from')
    expect(confirmText).toContain('(1 report)')
    expect(confirmText).not.toMatch(/1 reports/)
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-merge-confirm.png` })
    // Nothing merged yet.
    const before = await (await fetch(`${server.url}/health`)).status
    expect(before).toBe(200)
    await page.getByRole('button', { name: 'Merge 1 report' }).click()
    await page.waitForURL(new RegExp(`/clusters/${pricing}`))
    await page.locator('.toast', { hasText: 'Merged 1 report' }).waitFor()
    await ctx.close()
  })

  it('support: read-only settings without errors or Retry, hints without responder shortcuts', {
    timeout: 60_000,
  }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/`, 'support@example.com', 'long enough password')
    await page.waitForSelector('.cluster-row')
    expect(await page.locator('.key-hints').isVisible()).toBe(true)
    const hint = await page.locator('p.faint', { hasText: 'move' }).innerText()
    expect(hint).not.toContain('acknowledge')
    expect(hint).not.toContain('declare')
    await page.goto(`${server.url}/dashboard/settings/projects/${server.projectId}`)
    await page.getByText('Read-only for your role.').first().waitFor()
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0)
    expect(await page.locator('.alert[role="alert"]').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-support-settings.png`, fullPage: true })
    await page.keyboard.press('?')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await help.waitFor()
    expect(await help.innerText()).not.toContain('Declare an incident')
    await ctx.close()
  })

  it('smaller things: deploy label inside the chart, whole webhook URL, allowed origin errors name the origin', {
    timeout: 60_000,
  }, async () => {
    await recordDeploy(server.deps, server.projectId, { release: 'web@2026.12.03-build.48213' })
    await postReport(server, 'The fonts look different on checkout', { reporter_id: 'f9' })
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/clusters/${fonts}`, ADMIN_EMAIL, ADMIN_PASSWORD)
    const label = page.locator('.deploy-label').first()
    await label.waitFor()
    const chart = (await page.locator('.timeline svg').boundingBox())!
    const box = (await label.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(chart.x)
    expect(box.x + box.width).toBeLessThanOrEqual(chart.x + chart.width + 0.5)
    await page.locator('.timeline').screenshot({ path: `${SHOTS}/dashboard-ux-deploy-label.png` })

    // A webhook's whole URL is shown (not "http:/…").
    const hookUrl = `${server.url}/hooks/incoming/a-rather-long-path/T000/B000/XXXXXXXX`
    await page.goto(`${server.url}/dashboard/settings/projects/${server.projectId}`)
    await page.getByLabel('Webhook URL').fill(hookUrl)
    await page.getByRole('button', { name: /Add webhook/ }).click()
    const code = page.locator('code.webhook-url')
    await code.waitFor()
    expect(await code.innerText()).toBe(hookUrl)
    const cb = (await code.boundingBox())!
    expect(await code.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true)
    expect(cb.width).toBeGreaterThan(100)

    // A pasted page address becomes its origin; a bad one is named with the reason.
    const origins = page.locator('textarea.mono')
    await origins.fill(`${server.url}\nhttps://app.example.com/settings/billing?tab=2\nftp://files.example.com`)
    await page.getByRole('button', { name: 'Save origins' }).click()
    const err = page.locator('.toast.error')
    await err.waitFor()
    expect(await err.innerText()).toContain(
      'Line 3: “ftp://files.example.com” is not an origin: ftp is not a web scheme',
    )
    await origins.fill(`${server.url}\nhttps://app.example.com/settings/billing?tab=2`)
    await page.getByRole('button', { name: 'Save origins' }).click()
    await page.locator('.toast', { hasText: 'Allowed origins saved' }).waitFor()
    await expect.poll(() => origins.inputValue()).not.toContain('/settings/billing')
    expect((await origins.inputValue()).split('\n')).toContain('https://app.example.com')
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-project-settings.png`, fullPage: true })
    await ctx.close()
  })

  it('phone (390×844): one navigation bar, the list keeps its reports column, nothing overflows', {
    timeout: 60_000,
  }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.waitForSelector('.cluster-row')
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-phone-list.png` })
    const nav = await page.locator('nav.sidebar').boundingBox()
    expect(nav!.height).toBeLessThan(60) // one bar, not a block of wrapped links
    const counts = page.locator('.cluster-row .counts').first()
    expect(await counts.isVisible()).toBe(true)
    expect(await counts.innerText()).toMatch(/\d/)
    // No keyboard hints on a touch screen (they are shown on the desktop list above).
    expect(await page.locator('.key-hints').isVisible()).toBe(false)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1)).toBe(true)
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-phone-list.png` })
    // The incidents list too, with a long title.
    await declareIncident(server.deps, {
      projectId: server.projectId,
      title: 'Checkout payments fail for every card since the 14:00 deploy',
      impact: 'major',
      message: 'We are on it.',
    })
    await page.goto(`${server.url}/dashboard/incidents`)
    await page.getByText('Checkout payments fail').first().waitFor()
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-phone-incidents.png` })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391)
    await ctx.close()
  })

  it('phone (390×844): a webhook’s URL and the new-webhook field get a line each, nothing overflows', {
    timeout: 60_000,
  }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    const page = await ctx.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.waitForSelector('.cluster-row')
    await page.goto(`${server.url}/dashboard/settings/projects/${server.projectId}`)
    const field = page.getByLabel('Webhook URL')
    await field.waitFor()
    // Squeezed beside the format and the button, the field was a few characters wide.
    expect((await field.boundingBox())!.width).toBeGreaterThan(250)
    const hookUrl = `${server.url}/hooks/phone/T000/B000/XXXXXXXX`
    await field.fill(hookUrl)
    await page.getByRole('button', { name: /Add webhook/ }).click()
    const code = page.locator('code.webhook-url', { hasText: hookUrl })
    await code.waitFor()
    // Squeezed beside its buttons, the URL was one character a line.
    expect((await code.boundingBox())!.width).toBeGreaterThan(250)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(391)
    await page.screenshot({ path: `${SHOTS}/dashboard-ux-phone-project.png`, fullPage: true })
    await ctx.close()
  })
})
