// Incidents inside the product, end to end against the real server and domain layer: the banner,
// "we already know" in the form, "this is my problem too — notify me", dismissal that lasts until
// the next update, ETag revalidation, and the one-time "fixed" notice after the incident resolves.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents'
import { dialog, embed, launcher, newPage, shot, startHarness, storedReports, widget, type Harness } from './harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h?.close())

const banner = (page: import('playwright-core').Page) => widget(page).locator('.b')

describe('incidents in the product', () => {
  test('active incident → banner → “this is my problem too” → resolved → “fixed” shown once', async () => {
    const incident = await declareIncident(h.server.deps, {
      projectId: h.server.projectId,
      title: 'Checkout payments failing',
      impact: 'major',
      message: 'Card payments fail for some customers. We are rolling back the last deploy.',
    })
    const page = await newPage(h.browser)
    const url = h.hosts.page('/incident', { body: embed({ poll: '1' }) })
    await page.goto(url)
    await expect.poll(() => banner(page).locator('.t').textContent()).toBe('Checkout payments failing')
    expect(await banner(page).locator('.m').textContent()).toBe(
      'Card payments fail for some customers. We are rolling back the last deploy.',
    )
    await shot(page, 'incident-banner')

    await banner(page).getByRole('button', { name: 'I’m affected too' }).click()
    const d = widget(page).getByRole('dialog', { name: 'We already know about this' })
    await d.waitFor()
    expect(await d.locator('.it').textContent()).toBe('Checkout payments failing')
    expect(await d.locator('.meta').textContent()).toMatch(
      /^Latest update · (now|this minute|\d+ minutes? ago) · Investigating$/,
    )
    await d.getByLabel('Email me when it’s fixed (optional)').fill('ana@example.com')
    await shot(page, 'incident-known')
    await d.getByRole('button', { name: 'This is my problem too — notify me when it’s fixed' }).click()
    // The dialog's name follows its heading, so from here on address it without one.
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — you’re on the list')
    expect(await dialog(page).getByRole('status').textContent()).toBe(
      'We’ll tell you here when it’s fixed. We’ll also email ana@example.com.',
    )
    await shot(page, 'incident-affected')
    await expect.poll(() => banner(page).count()).toBe(0) // the banner asked; it was answered
    const affected = (await storedReports(h.server)).filter((r) => r.incidentId == incident.id)
    expect(affected).toHaveLength(1)
    expect(affected[0]).toMatchObject({ source: 'affected', email: 'ana@example.com', reporterId: expect.any(String) })
    const reporterId = await page.evaluate(() => JSON.parse(localStorage.getItem('earshot:rid')!))
    expect(affected[0].reporterId).toBe(reporterId)
    await page.keyboard.press('Escape')

    // Resolved: the banner goes away and the reporter is told, once.
    await postUpdate(h.server.deps, incident.id, { status: 'resolved', message: 'Payments work again.' })
    const fixed = widget(page).locator('.b.ok')
    await expect
      .poll(() => fixed.locator('.m').textContent(), { timeout: 10_000 })
      .toMatch(/^The problem you reported on .+ has been fixed\.$/)
    expect(await fixed.locator('.t').textContent()).toBe('Checkout payments failing')
    await expect.poll(() => banner(page).count()).toBe(1) // only the "fixed" notice, no incident banner
    await shot(page, 'incident-fixed-notice')
    await fixed.getByRole('button', { name: 'Dismiss' }).click()
    await page.reload()
    await launcher(page).waitFor()
    await page.waitForTimeout(2500) // two polls
    expect(await banner(page).count()).toBe(0)
    await page.context().close()
  })

  test('a dismissed banner stays away until the incident’s next update; polling revalidates with ETag', async () => {
    const incident = await declareIncident(h.server.deps, {
      projectId: h.server.projectId,
      title: 'Search is slow',
      impact: 'minor',
      message: 'Searches take up to 20 s.',
    })
    const page = await newPage(h.browser)
    const conditional: string[] = []
    page.on('request', async (r) => {
      if (r.url().includes('/v1/incidents?')) conditional.push((await r.allHeaders())['if-none-match'] || '')
    })
    const url = h.hosts.page('/dismiss', { body: embed({ poll: '1' }) })
    await page.goto(url)
    const searchBanner = banner(page).filter({ hasText: 'Search is slow' })
    await searchBanner.waitFor()
    await searchBanner.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => searchBanner.count()).toBe(0)
    await page.reload()
    await launcher(page).waitFor()
    await page.waitForTimeout(2500)
    expect(await searchBanner.count()).toBe(0)
    // Later polls are conditional requests (the browser's cache sends If-None-Match).
    expect(conditional.filter((v) => v.startsWith('"')).length).toBeGreaterThan(0)

    await postUpdate(h.server.deps, incident.id, { status: 'identified', message: 'A slow index; rebuilding it now.' })
    await expect
      .poll(() => searchBanner.locator('.m').textContent(), { timeout: 10_000 })
      .toBe('A slow index; rebuilding it now.')
    await postUpdate(h.server.deps, incident.id, { status: 'resolved', message: 'Fast again.' })
    await page.context().close()
  })

  test('during an incident a different problem can still be reported', async () => {
    const incident = await declareIncident(h.server.deps, {
      projectId: h.server.projectId,
      title: 'Login emails delayed',
      impact: 'minor',
      message: 'Emails arrive late.',
    })
    const page = await newPage(h.browser, { colorScheme: 'dark' })
    await page.goto(h.hosts.page('/other', { body: embed({ theme: 'system' }) }))
    await launcher(page).click()
    const d = dialog(page)
    await d.getByRole('button', { name: 'Something else? Report a different problem' }).waitFor()
    await shot(page, 'incident-known-dark')
    await d.getByRole('button', { name: 'Something else? Report a different problem' }).click()
    await d.getByLabel('What happened?').fill('Other: profile photo upload fails')
    await d.getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => d.getByRole('heading').textContent()).toBe('Thanks — your report was sent')
    const [report] = (await storedReports(h.server)).filter((r) => r.message == 'Other: profile photo upload fails')
    expect(report.source).toBe('widget')
    await postUpdate(h.server.deps, incident.id, { status: 'resolved', message: 'Done.' })
    await page.context().close()
  })

  test('zh-CN banner and “we already know” view', async () => {
    const incident = await declareIncident(h.server.deps, {
      projectId: h.server.projectId,
      title: '支付失败',
      impact: 'critical',
      message: '部分用户无法完成银行卡支付，我们正在回滚。',
    })
    const page = await newPage(h.browser, {
      locale: 'zh-CN',
      viewport: { width: 375, height: 720 },
      isMobile: true,
      hasTouch: true,
    })
    await page.goto(h.hosts.page('/zh-incident', { body: embed() }))
    await expect.poll(() => banner(page).locator('.k').textContent()).toBe('已知问题')
    await shot(page, 'incident-zh-banner')
    await banner(page).getByRole('button', { name: '我也受到影响' }).tap()
    await widget(page).getByRole('dialog', { name: '我们已经知道这个问题' }).waitFor()
    await shot(page, 'incident-zh-known')
    await postUpdate(h.server.deps, incident.id, { status: 'resolved', message: '已修复。' })
    await page.context().close()
  })
})

test('a banner arriving while the launcher has keyboard focus does not steal it', async () => {
  const page = await newPage(h.browser)
  await page.goto(h.hosts.page('/focus-kept', { body: embed({ poll: '1' }) }))
  await launcher(page).waitFor()
  await launcher(page).focus()
  const incident = await declareIncident(h.server.deps, {
    projectId: h.server.projectId,
    title: 'Image uploads failing',
    impact: 'minor',
    message: 'Uploads over 5 MB fail.',
  })
  await expect
    .poll(() => banner(page).filter({ hasText: 'Image uploads failing' }).count(), { timeout: 10_000 })
    .toBe(1)
  expect(await launcher(page).evaluate((b) => b === (b.getRootNode() as ShadowRoot).activeElement)).toBe(true)
  await postUpdate(h.server.deps, incident.id, { status: 'resolved', message: 'Fixed.' })
  await page.context().close()
})

test('two active incidents: the customer picks which one is theirs', async () => {
  const first = await declareIncident(h.server.deps, {
    projectId: h.server.projectId,
    title: 'Exports time out',
    impact: 'minor',
    message: 'CSV exports over 10k rows time out.',
  })
  const second = await declareIncident(h.server.deps, {
    projectId: h.server.projectId,
    title: 'Invoices show the wrong currency',
    impact: 'major',
    message: 'EUR invoices show USD; a fix is deploying.',
  })
  const page = await newPage(h.browser)
  await page.goto(h.hosts.page('/two-incidents', { body: embed() }))
  await launcher(page).click()
  const d = widget(page).getByRole('dialog', { name: 'We already know about this' })
  const group = d.getByRole('radiogroup', { name: 'Which problem affects you?' })
  await group.waitFor()
  expect(await group.getByRole('radio').count()).toBe(2)
  await group.getByRole('radio', { name: /Invoices show the wrong currency/ }).check()
  await shot(page, 'incident-two')
  await d.getByRole('button', { name: 'This is my problem too — notify me when it’s fixed' }).click()
  await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — you’re on the list')
  const linked = (await storedReports(h.server)).filter(
    (r) => r.source == 'affected' && [first.id, second.id].includes(r.incidentId!),
  )
  expect(linked.map((r) => r.incidentId)).toEqual([second.id])
  for (const i of [first, second]) await postUpdate(h.server.deps, i.id, { status: 'resolved', message: 'Fixed.' })
  await page.context().close()
})
