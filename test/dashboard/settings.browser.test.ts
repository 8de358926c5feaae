// The owner's settings dialogs in a real browser: an API token shown once, an invitation link, a
// new project, a new workspace — and each form's error shown when the server refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'

let server: TestServer
let browser: Browser
let page: Page
beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1360, height: 860 } })
  page.setDefaultTimeout(10_000)
  await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('settings dialogs', () => {
  it('creates an API token and shows its secret once; it authenticates /api', async () => {
    await page.goto(`${server.url}/dashboard/settings/tokens`)
    await page.getByRole('button', { name: /New token/ }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel(/Name/).fill('CI deploys')
    await dialog.getByRole('button', { name: 'Create token' }).click()
    const secret = (await dialog.getByTestId('token-secret').locator('span').textContent())!
    expect(secret).toMatch(/^est_/)
    const me = await fetch(`${server.url}/api/clusters`, { headers: { authorization: `Bearer ${secret}` } })
    expect(me.status).toBe(200)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect.poll(() => page.getByText('CI deploys').count()).toBeGreaterThan(0)
  })

  it('creates an invitation link', async () => {
    await page.goto(`${server.url}/dashboard/settings/members`)
    await page.getByRole('button', { name: /Invite/ }).first().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Create invitation link' }).click()
    expect(await dialog.getByTestId('invite-link').locator('span').textContent()).toContain('/dashboard/invite/')
    await dialog.getByRole('button', { name: 'Done' }).click()
  })

  it('shows the server’s refusal in the new-project form, then creates the project', async () => {
    await page.goto(`${server.url}/dashboard/settings/projects`)
    await page.getByRole('button', { name: /New project/ }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel(/^Name/).fill('Demo again')
    await dialog.getByLabel(/^Slug/).fill('demo') // taken by the demo project
    await dialog.getByRole('button', { name: 'Create project' }).click()
    await expect.poll(() => dialog.locator('.alert, [role=alert]').count()).toBeGreaterThan(0)
    await dialog.getByLabel(/^Slug/).fill('billing')
    await dialog.getByRole('button', { name: 'Create project' }).click()
    await page.waitForURL(/\/dashboard\/settings\/projects\/prj_/)
  })

  it('creates a new workspace from the account page', async () => {
    await page.goto(`${server.url}/dashboard/account`)
    await page.getByLabel('Workspace name').fill('Globex')
    await page.getByRole('button', { name: 'Create workspace' }).click()
    await page.waitForURL(/\/dashboard\/settings\/projects/)
  })
})
