import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { scheduleMaintenance } from '../../worker/domain/incidents/maintenance.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'

// The status page in Chromium as Chinese- and English-speaking visitors in their own time zones,
// at phone and desktop sizes: language from the browser, the switch (remembered), local times
// (UTC in the title), the HTML 404 and the favicon. Screenshots in /tmp/shots/statusux/.

const SHOTS = '/tmp/shots/statusux'
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const
let server: TestServer
let browser: Browser
let incidentAt = 0
let incidentId = ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
  const { deps, projectId } = server
  const checkout = await createComponent(deps, projectId, { name: 'Checkout' })
  await createComponent(deps, projectId, { name: 'Search' })
  const incident = await declareIncident(deps, {
    projectId,
    title: 'Card payments failing',
    impact: 'major',
    message: 'Some card payments are declined. We are investigating.',
    components: [{ componentId: checkout.id, status: 'partial_outage' }],
  })
  await postUpdate(deps, incident.id, {
    status: 'identified',
    message: 'A certificate at our payment provider expired; a new one is being installed.',
  })
  incidentAt = incident.createdAt
  incidentId = incident.id
  const now = deps.clock.now()
  await scheduleMaintenance(deps, {
    projectId,
    title: 'Database upgrade',
    message: 'Checkout may be slow for a few minutes.',
    startsAt: now + 2 * 86400_000,
    endsAt: now + 2 * 86400_000 + 3600_000,
    componentIds: [],
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const visitor = (
  locale: string,
  timezoneId: string,
  size: keyof typeof SIZES,
  extra: { javaScriptEnabled?: boolean } = {},
) => browser.newContext({ locale, timezoneId, viewport: SIZES[size], deviceScaleFactor: 1, ...extra })

/** What the visitor's clock shows for `ms`, as Intl formats it in that zone (hour:minute, 24 h). */
const clockIn = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms)

async function expectLocalTimes(ctx: BrowserContext, path: string, timeZone: string) {
  const page = await ctx.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(`${server.url}${path}`)
  await page.waitForSelector('time[data-local]')
  const times = await page.$$eval('time[datetime]', (els) =>
    els.map((e) => ({
      iso: e.getAttribute('datetime')!,
      text: e.textContent!,
      title: e.getAttribute('title')!,
      local: e.hasAttribute('data-local'),
    })),
  )
  expect(times.length).toBeGreaterThan(2)
  for (const t of times) {
    expect(t.local, t.iso).toBe(true)
    expect(t.title, t.iso).toMatch(/ UTC$/)
    expect(t.text, t.iso).toContain(clockIn(Date.parse(t.iso), timeZone))
  }
  const started = times.find((t) => Date.parse(t.iso) === incidentAt)!
  expect(started, 'the incident start is on the page').toBeTruthy()
  expect(errors).toEqual([])
  return page
}

describe('zh-CN visitor in Shanghai', () => {
  for (const size of ['phone', 'desktop'] as const) {
    it(`reads the page in Simplified Chinese with Shanghai times (${size})`, async () => {
      const ctx = await visitor('zh-CN', 'Asia/Shanghai', size)
      const page = await expectLocalTimes(ctx, '/status/demo', 'Asia/Shanghai')
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
      const text = (await page.textContent('body'))!
      for (const s of ['部分系统故障', '进行中的事件', '已定位', '计划维护', '组件', '历史事件', '获取更新'])
        expect(text, s).toContain(s)
      expect(text).not.toContain('Active incidents')
      // (textContent: headings are upper-cased by CSS.) Nothing wider than the screen (the header
      // holds name, switch and button).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SIZES[size].width)
      await page.screenshot({ path: `${SHOTS}/status-zh-CN-${size}.png`, fullPage: size === 'phone' })
      await ctx.close()
    })
  }

  it('switches to English with the link, and stays English on the next page and visit', async () => {
    const ctx = await visitor('zh-CN', 'Asia/Shanghai', 'phone')
    const page = await ctx.newPage()
    await page.goto(`${server.url}/status/demo`)
    await page.getByRole('link', { name: 'English' }).click()
    await page.waitForURL(/lang=en/)
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.textContent('body')).toContain('Active incidents')
    await page.goto(`${server.url}/status/demo/incidents/${incidentId}`)
    expect(await page.innerText('body')).toContain('← Current status')
    await page.getByRole('link', { name: '简体中文' }).click()
    await page.waitForURL(/lang=zh-CN/)
    expect(await page.innerText('body')).toContain('← 当前状态')
    await page.screenshot({ path: `${SHOTS}/incident-zh-CN-phone.png`, fullPage: true })
    await ctx.close()
  })

  it('gets an HTML "no such status page" in Chinese for an unknown address', async () => {
    const ctx = await visitor('zh-CN', 'Asia/Shanghai', 'phone')
    const page = await ctx.newPage()
    const res = await page.goto(`${server.url}/status/no-such-company`)
    expect(res!.status()).toBe(404)
    expect(await page.innerText('h1')).toBe('状态页不存在')
    await page.screenshot({ path: `${SHOTS}/404-zh-CN-phone.png` })
    await ctx.close()
  })
})

describe('en visitor in New York', () => {
  for (const size of ['phone', 'desktop'] as const) {
    it(`reads the page in English with New York times (${size})`, async () => {
      const ctx = await visitor('en-US', 'America/New_York', size)
      const page = await expectLocalTimes(ctx, '/status/demo', 'America/New_York')
      expect(await page.getAttribute('html', 'lang')).toBe('en')
      expect(await page.innerText('body')).toContain('Partial System Outage')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SIZES[size].width)
      await page.screenshot({ path: `${SHOTS}/status-en-${size}.png`, fullPage: size === 'phone' })
      await ctx.close()
    })
  }

  it('sees the favicon: the project colour mark decodes as an image', async () => {
    const ctx = await visitor('en-US', 'America/New_York', 'desktop')
    const page = await ctx.newPage()
    await page.goto(`${server.url}/status/demo`)
    const size = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href
      const img = new Image()
      img.src = href
      await img.decode()
      return img.naturalWidth
    })
    expect(size).toBeGreaterThan(0)
    const res = await page.goto(`${server.url}/status/nope`)
    expect(res!.status()).toBe(404)
    expect(await page.innerText('h1')).toBe('No such status page')
    await page.screenshot({ path: `${SHOTS}/404-en-desktop.png` })
    await ctx.close()
  })

  it('without JavaScript the times read in UTC', async () => {
    const ctx = await visitor('en-US', 'America/New_York', 'desktop', { javaScriptEnabled: false })
    const page = await ctx.newPage()
    await page.goto(`${server.url}/status/demo`)
    const texts = await page.$$eval('time[datetime]', (els) => els.map((e) => e.textContent!))
    expect(texts.length).toBeGreaterThan(2)
    for (const t of texts) expect(t).toMatch(/ UTC$/)
    await ctx.close()
  })
})

describe("the project's default language", () => {
  it('is chosen in the dashboard settings and shown to visitors whose browser asks for another language', async () => {
    const admin = await browser.newContext({ viewport: SIZES.desktop })
    const page = await admin.newPage()
    await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    await page.goto(`${server.url}/dashboard/settings/projects/${server.projectId}`)
    await page.getByLabel('Default language').selectOption('zh-CN')
    await page.getByRole('button', { name: 'Save language' }).click()
    await page.getByText('Status page language saved').waitFor()
    await page.getByRole('heading', { name: 'Status page language' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/dashboard-status-language-desktop.png` })
    await admin.close()

    const german = await visitor('de-DE', 'Europe/Berlin', 'phone')
    const visit = await german.newPage()
    await visit.goto(`${server.url}/status/demo`)
    expect(await visit.getAttribute('html', 'lang')).toBe('zh-CN')
    const english = await visitor('en-GB', 'Europe/London', 'phone')
    const other = await english.newPage()
    await other.goto(`${server.url}/status/demo`)
    expect(await other.getAttribute('html', 'lang')).toBe('en')
    await german.close()
    await english.close()
  })
})
