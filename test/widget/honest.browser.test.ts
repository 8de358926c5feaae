// Honest widget states (issue 14), in real Chromium against the real server: a page whose origin is
// not allowed gets no launcher (the developer gets one console line naming the origin to add);
// "notify me" and a report already linked to the incident are remembered when the form reopens;
// the e-mail error goes once the address is fixed; on a phone the launcher stays on screen even
// when the host page overflows sideways, and the demo page itself does not overflow at 390 px.
import { clusterOf } from '../support/pipeline.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { declareIncident } from '../../worker/domain/incidents/incidents'
import { linkClusterToIncident } from '../../worker/domain/triage/clusters'
import { eq } from 'drizzle-orm'
import { projects } from '../../worker/db/schema/index'
import { tellReporters } from '../../worker/domain/incidents/fanout'
import { statusPageUrl } from '../../worker/domain/incidents/links'
import { dialog, embed, launcher, newPage, shot, startHarness, storedReports, widget, type Harness } from './harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h?.close())

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
const DESKTOP = { viewport: { width: 1440, height: 900 } }

describe('honest states', () => {
  test('an origin that is not allowed: no launcher, no form, one console.warn naming the origin', async () => {
    const page = await newPage(h.browser, DESKTOP)
    const warnings: string[] = []
    page.on('console', (m) => m.type() == 'warning' && warnings.push(m.text()))
    // The same host page, but on "localhost": an origin the project does not allow.
    const url = h.hosts.page('/not-allowed', { body: embed({ attach: '#help' }) }).replace('127.0.0.1', 'localhost')
    const origin = new URL(url).origin
    await page.goto(url)
    await expect.poll(() => warnings.length).toBe(1)
    expect(warnings[0]).toContain(`Reports from ${origin} are not allowed`)
    expect(await widget(page).count()).toBe(0)
    // Neither the product's own button nor the API opens a form that would be refused.
    await page.click('#help')
    await page.evaluate(() => (window as any).Earshot.open())
    expect(await widget(page).count()).toBe(0)
    expect(warnings).toHaveLength(1)
    await shot(page, 'origin-not-allowed')
    await page.context().close()
  })

  test('after “notify me”, reopening says “We’ll let you know” — also on the next page', async () => {
    const incident = await declareIncident(h.server.deps, {
      projectId: h.server.projectId,
      title: 'Search returns nothing',
      impact: 'minor',
      message: 'Looking into it.',
    })
    const page = await newPage(h.browser, DESKTOP)
    await page.goto(h.hosts.page('/notify-again', { body: embed() }))
    await launcher(page).click()
    await dialog(page).getByRole('button', { name: 'This is my problem too — notify me when it’s fixed' }).click()
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — you’re on the list')
    await dialog(page).getByRole('button', { name: 'Done' }).click()
    await launcher(page).click()
    const mine = dialog(page).getByRole('status')
    await expect.poll(() => mine.textContent()).toBe('We’ll let you know' + 'We’ll tell you here when it’s fixed.')
    expect(
      await dialog(page)
        .getByRole('button', { name: /notify me/ })
        .count(),
    ).toBe(0)
    await shot(page, 'notify-again')
    await page.reload()
    await launcher(page).click()
    await expect.poll(() => dialog(page).getByRole('status').textContent()).toContain('We’ll let you know')
    expect((await storedReports(h.server)).filter((r) => r.incidentId == incident.id)).toHaveLength(1)
    await page.context().close()
  })

  test('a customer whose report is linked to the incident sees “We have your report”', async () => {
    const page = await newPage(h.browser, DESKTOP)
    await page.goto(h.hosts.page('/linked', { body: embed() }))
    await launcher(page).click()
    // Another incident is active (the test before): report a different problem.
    await dialog(page).getByRole('button', { name: 'Something else? Report a different problem' }).click()
    await dialog(page).getByLabel('What happened?').fill('Exports to CSV time out after a minute')
    await dialog(page).getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — your report was sent')
    const [report] = (await storedReports(h.server)).filter((r) => r.message.startsWith('Exports to CSV'))
    const incident = await declareIncident(h.server.deps, {
      projectId: h.server.projectId,
      title: 'CSV exports time out',
      impact: 'major',
      message: 'We know; fixing it.',
    })
    // The 202 comes before clustering: take the report's cluster once the pipeline has run.
    await linkClusterToIncident(h.server.deps, (await clusterOf(h.server.deps, report!.id))!, incident.id)
    await page.reload()
    await launcher(page).click()
    const d = widget(page).getByRole('dialog', { name: 'We already know about this' })
    await d.waitFor()
    // Several incidents are active; the form starts on the first one and switches with the choice.
    const pick = d.getByRole('radio', { name: /CSV exports time out/ })
    if (await pick.count()) await pick.check()
    await expect.poll(() => d.getByRole('status').textContent()).toContain('We have your report')
    await shot(page, 'we-have-your-report')
    await page.context().close()
  })

  for (const lang of ['en', 'zh-CN'] as const) {
    test(`a responder's message to everyone affected is shown as that message, not as “fixed” (${lang})`, async () => {
      const title = `Invoices arrive twice (${lang})`
      const incident = await declareIncident(h.server.deps, {
        projectId: h.server.projectId,
        title,
        impact: 'minor',
        message: 'Looking into it.',
      })
      const page = await newPage(h.browser, { ...PHONE, locale: lang })
      await page.goto(h.hosts.page(`/update-notice-${lang}`, { body: embed({ locale: lang, poll: '0' }) }))
      await launcher(page).click()
      const pick = dialog(page).getByRole('radio', { name: new RegExp(title.replace(/[()]/g, '\\$&')) })
      if (await pick.count()) await pick.check()
      await dialog(page)
        .getByRole('button', { name: lang == 'en' ? /notify me/ : /通知我/ })
        .click()
      await expect
        .poll(() => dialog(page).getByRole('heading').textContent())
        .toBe(lang == 'en' ? 'Thanks — you’re on the list' : '谢谢，已记录')
      const message =
        lang == 'en' ? 'You were charged twice; the second charge is refunded today.' : '重复扣款将在今天退回。'
      // What POST /api/incidents/:id/notify-affected does.
      const project = (await h.server.db.orm.select().from(projects).where(eq(projects.id, h.server.projectId)).get())!
      const pageUrl = await statusPageUrl(h.server.db.orm, h.server.deps.config, project)
      await h.server.deps.db.write((tx) =>
        tellReporters(tx, h.server.deps, project, incident, {
          kind: 'update',
          message,
          key: `${incident.id}:${lang}`,
          pageUrl,
          at: Date.now(),
        }),
      )
      await page.reload()
      const card = widget(page).locator('.b.ok')
      await expect.poll(() => card.locator('.m').textContent(), { timeout: 10_000 }).toBe(message)
      expect(await card.locator('.t').textContent()).toBe(title)
      expect(await card.locator('.k').textContent()).toBe(lang == 'en' ? 'Update' : '进展')
      expect(await card.innerText()).not.toMatch(/fixed|已修复/)
      await shot(page, `update-notice-${lang}`)
      await page.context().close()
    })
  }

  test('the e-mail error stops being red as soon as the address is corrected', async () => {
    const page = await newPage(h.browser, DESKTOP)
    await page.goto(h.hosts.page('/email-fix', { body: embed({ poll: '0' }) }))
    await launcher(page).click()
    const d = dialog(page)
    // Wait until the dialog has chosen its first view (known incidents or the form) before
    // deciding: on a loaded machine the check could run before either is drawn.
    const other = d.getByRole('button', { name: 'Something else? Report a different problem' })
    await other.or(d.getByLabel('What happened?')).first().waitFor()
    if (await other.count()) await other.click()
    await d.getByLabel('What happened?').fill('The invoice date is wrong')
    const email = d.getByLabel('Email (optional)')
    await email.fill('ana@example')
    await d.getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true')
    expect(await d.locator('.err').textContent()).toBe('Please check the email address.')
    await email.pressSequentially('.com')
    expect(await email.getAttribute('aria-invalid')).toBeNull()
    expect(await d.locator('.err').count()).toBe(0)
    expect(await email.inputValue()).toBe('ana@example.com')
    await shot(page, 'email-corrected')
    await page.context().close()
  })
})

describe('phones', () => {
  test('the launcher stays inside the visible viewport on a host page that overflows sideways', async () => {
    const page = await newPage(h.browser, PHONE)
    await page.goto(
      h.hosts.page('/wide', {
        body: '<div style="width:1200px;height:40px;background:#fde68a">a page wider than the phone</div>' + embed(),
      }),
    )
    await launcher(page).waitFor()
    const inside = await page.evaluate(() => {
      const l = document.querySelector('earshot-widget')!.shadowRoot!.querySelector('button.l')!.getBoundingClientRect()
      const v = visualViewport!
      return {
        l: [l.left, l.top, l.right, l.bottom],
        v: [v.offsetLeft, v.offsetTop, v.width, v.height],
        layout: innerWidth,
      }
    })
    expect(inside.layout).toBeGreaterThan(390) // the page really makes the layout viewport wider than the screen
    const [left, top, right, bottom] = inside.l
    const [vx, vy, vw, vh] = inside.v
    expect(left).toBeGreaterThanOrEqual(vx)
    expect(right).toBeLessThanOrEqual(vx + vw)
    expect(top).toBeGreaterThanOrEqual(vy)
    expect(bottom).toBeLessThanOrEqual(vy + vh)
    expect(vx + vw - right).toBe(20) // the usual 20 px from the visible edge
    await shot(page, 'phone-wide-page')
    await launcher(page).click()
    await dialog(page).waitFor()
    await page.context().close()
  })

  test('the launcher is where it always was on a desktop page', async () => {
    const page = await newPage(h.browser, DESKTOP)
    await page.goto(h.hosts.page('/desktop-place', { body: embed() }))
    await launcher(page).waitFor()
    const box = (await launcher(page).boundingBox())!
    expect(Math.round(box.x + box.width)).toBe(1440 - 20)
    expect(Math.round(box.y + box.height)).toBe(900 - 20)
  })

  test('the demo page does not overflow at 390 px', async () => {
    const page = await newPage(h.browser, PHONE)
    await page.goto(h.server.url + '/')
    await launcher(page).waitFor()
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    await shot(page, 'demo-390')
    expect(width).toBeLessThanOrEqual(390)
    await page.context().close()
  })
})
