// Issue 13 in a real browser: the project settings page shows the surge defaults the server's
// schema holds and saves only what was changed; a topic surge is a card with the word, the
// clusters it spans and a one-click merge, never a badge on one arbitrary cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import { projects } from '../../worker/db/schema/index.js'
import { DEFAULT_SURGE_SETTINGS } from '../../worker/domain/surge/settings.js'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { clusterOf } from '../support/pipeline.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'
import { postJson } from '../trust/http.js'

let server: TestServer
let browser: Browser
let page: Page
const SHOTS = '/tmp/shots'
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.setDefaultTimeout(10_000)
  await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const storedSettings = async () =>
  JSON.parse(
    (await server.db.orm
      .select({ s: projects.settings })
      .from(projects)
      .where(eq(projects.id, server.projectId))
      .get())!.s ?? '{}',
  )

describe('surge settings page', () => {
  it('shows the defaults in effect, saves nothing when untouched and only the changed field otherwise', async () => {
    const before = await storedSettings()
    expect(before.surge).toBeUndefined()
    await page.goto(`${server.url}/dashboard/settings/projects/${server.projectId}`)
    const form = page.getByTestId('surge-settings')
    await form.waitFor()
    const d = DEFAULT_SURGE_SETTINGS
    expect(await form.getByLabel('Window (min)', { exact: true }).inputValue()).toBe(String(d.windowMinutes))
    expect(await form.getByLabel('Reports', { exact: true }).inputValue()).toBe(String(d.cluster.minReports))
    expect(await form.getByLabel('People', { exact: true }).inputValue()).toBe(String(d.cluster.minReporters))
    expect(await form.getByLabel('× usual rate', { exact: true }).inputValue()).toBe(String(d.cluster.ratio))
    expect(await form.getByTestId('default-cluster.minReports').textContent()).toBe(`default ${d.cluster.minReports}`)
    expect(await form.getByTestId('surge-defaults-more').textContent()).toContain(
      `${d.project.minReports} reports from ${d.project.minReporters} people`,
    )
    expect(await form.getByTestId('surge-defaults-more').textContent()).toContain(
      `within ${d.afterDeploy.minutes} min after a deploy marker, the whole project at ` +
        `${d.afterDeploy.minReports} reports from ${d.afterDeploy.minReporters} people`,
    )
    await form.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/surge-settings-defaults-desktop.png`, fullPage: true })

    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Nothing changed').waitFor()
    expect(await storedSettings()).toEqual(before)

    await form.getByLabel('Reports', { exact: true }).fill('6')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Settings saved').waitFor()
    await expect.poll(async () => (await storedSettings()).surge).toEqual({ cluster: { minReports: 6 } })
    await expect
      .poll(() => form.getByTestId('default-cluster.minReports').textContent())
      .toBe(`default ${d.cluster.minReports} · changed`)

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } })
    try {
      await signInToDashboard(
        phone,
        `${server.url}/dashboard/settings/projects/${server.projectId}`,
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
      )
      await phone.getByTestId('surge-settings').waitFor()
      await phone.getByTestId('surge-settings').scrollIntoViewIfNeeded()
      await phone.screenshot({ path: `${SHOTS}/surge-settings-phone.png` })
    } finally {
      await phone.close()
    }
  })
})

describe('topic surge card', () => {
  it('shows the word, the clusters it spans, reports and people; "merge these" merges them', async () => {
    // Clusters effectively off so the shared word is what surges, as when the engine splits a new problem.
    await server.db.write((tx) =>
      tx
        .update(projects)
        .set({ settings: JSON.stringify({ surge: { cluster: { minReports: 1000 } } }) })
        .where(eq(projects.id, server.projectId)),
    )
    const sentences = [
      'Zorblax export crashed halfway',
      'my zorblax dashboard is empty',
      'cannot open zorblax on mobile',
      'zorblax charts show nothing since noon',
      'zorblax says access denied',
    ]
    const clusters = new Set<string>()
    for (let i = 0; i < sentences.length; i++) {
      const res = await postJson(
        `${server.url}/v1/reports`,
        { message: sentences[i], reporter_id: `z-${i}` },
        { 'x-earshot-key': server.key },
        `127.0.0.${30 + i}`,
      )
      expect(res.status).toBe(202)
      clusters.add((await clusterOf(server.deps, res.json().id))!)
    }
    expect(clusters.size).toBeGreaterThanOrEqual(2)

    await page.goto(`${server.url}/dashboard/clusters`)
    const card = page.getByTestId('topic-surge')
    await card.waitFor()
    const text = (await card.textContent())!
    expect(text).toContain('Surging word “zorblax”')
    expect(text).toContain(
      `${sentences.length} reports from ${sentences.length} people across ${clusters.size} clusters, starting`,
    )
    expect(await card.getByRole('listitem').count()).toBe(clusters.size)
    // No cluster row wears the topic as a badge.
    expect(await page.locator('.pill.surge').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/topic-surge-card-desktop.png`, fullPage: true })

    // The cluster page of one of them: no "Surging · N reports" beside its own count; the card instead.
    const first = [...clusters][0]!
    await page.goto(`${server.url}/dashboard/clusters/${first}`)
    await page.getByTestId('topic-surge').waitFor()
    expect(await page.locator('.pill.surge').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/topic-surge-cluster-page-desktop.png`, fullPage: true })

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } })
    try {
      await signInToDashboard(phone, `${server.url}/dashboard/clusters`, ADMIN_EMAIL, ADMIN_PASSWORD)
      await phone.getByTestId('topic-surge').waitFor()
      await phone.screenshot({ path: `${SHOTS}/topic-surge-card-phone.png`, fullPage: true })
    } finally {
      await phone.close()
    }

    await page.goto(`${server.url}/dashboard/clusters`)
    page.once('dialog', (d) => void d.accept())
    await page
      .getByTestId('topic-surge')
      .getByRole('button', { name: `Merge these ${clusters.size} clusters` })
      .click()
    // One merge of them all, which the toast offers to undo (sigctl's 10-minute window).
    await page.getByText(/^Merged \d+ reports/).waitFor()
    await page.getByRole('button', { name: 'Undo' }).waitFor()
    await expect.poll(() => page.getByTestId('topic-surge').getByRole('listitem').count()).toBe(1)
    const open = await server.db.client.execute({
      sql:
        'SELECT count(*) AS n FROM clusters ' +
        'WHERE project_id = ? AND merged_into_id IS NULL AND id IN (SELECT value FROM json_each(?))',
      args: [server.projectId, JSON.stringify([...clusters])],
    })
    expect(Number(open.rows[0]!.n)).toBe(1)
    await page.screenshot({ path: `${SHOTS}/topic-surge-merged-desktop.png`, fullPage: true })
  })
})
