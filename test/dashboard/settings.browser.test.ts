// The owner's settings dialogs in a real browser: an API token shown once, an invitation link, a
// new project, a new workspace — and each form's error shown when the server refuses; and the
// invitation link's accept page, signed out (new account) and signed in (existing account).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { createResponder } from '../../worker/domain/access/auth.js'
import { createWorkspace } from '../../worker/domain/projects/projects.js'
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

/** An open invitation link made by the owner through the members dialog, as a full URL. */
async function invitationLink(): Promise<string> {
  await page.goto(`${server.url}/dashboard/settings/members`)
  await page
    .getByRole('button', { name: /Invite/ })
    .first()
    .click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Role').selectOption('viewer')
  await dialog.getByRole('button', { name: 'Create invitation link' }).click()
  const link = (await dialog.getByTestId('invite-link').locator('span').textContent())!
  await dialog.getByRole('button', { name: 'Done' }).click()
  return link
}

async function workspaceIdOf(name: string) {
  return (await server.db.client.execute({ sql: 'SELECT id FROM workspaces WHERE name = ?', args: [name] }))
    .rows[0]?.[0] as string | undefined
}

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
    await page
      .getByRole('button', { name: /Invite/ })
      .first()
      .click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Create invitation link' }).click()
    expect(await dialog.getByTestId('invite-link').locator('span').textContent()).toContain('/dashboard/invite/')
    await dialog.getByRole('button', { name: 'Done' }).click()
  })

  it('lets a new person open the link signed out, create an account and land in the workspace', async () => {
    const link = await invitationLink()
    const context = await browser.newContext({ viewport: { width: 1100, height: 860 } })
    const guest = await context.newPage()
    guest.setDefaultTimeout(10_000)
    await guest.goto(link)
    await guest.getByRole('heading', { name: 'Join Acme' }).waitFor()
    await guest.getByRole('button', { name: 'Sign in to accept' }).waitFor()
    mkdirSync('/tmp/shots', { recursive: true })
    await guest.screenshot({ path: '/tmp/shots/dashboard-invite-signed-out.png', fullPage: true })
    await guest.getByLabel('Name').fill('Nia Newcomer')
    await guest.getByLabel('E-mail').fill('nia@acme.test')
    await guest.getByLabel(/Password/).fill('a long new password')
    await guest.getByRole('button', { name: 'Create account and join' }).click()
    await guest.waitForURL(/\/dashboard\/clusters/)
    await guest.getByRole('button', { name: 'Sign out' }).waitFor()
    expect(await guest.locator('.sidebar').textContent()).toContain('Nia Newcomer')
    // The link is used up now.
    await guest.goto(link)
    await guest.getByText('This invitation does not work').waitFor()
    await context.close()
  })

  it('asks someone with an account to sign in, then joins with their session (no password on the invite)', async () => {
    // Sam already has an account, in a workspace of their own.
    await server.db.write(async (tx) => {
      const ws = await createWorkspace(tx, server.deps, 'Sam’s side project')
      await createResponder(tx, server.deps, {
        email: 'sam@elsewhere.test',
        password: 'sams long password',
        name: 'Sam',
        workspaceId: ws.id,
        role: 'owner',
      })
    })
    const link = await invitationLink()
    const context = await browser.newContext({ viewport: { width: 1100, height: 860 } })
    const sam = await context.newPage()
    sam.setDefaultTimeout(10_000)
    // Typing an existing account's e-mail into "create account" with a guess neither joins nor signs in.
    await sam.goto(link)
    await sam.getByLabel('E-mail').fill('sam@elsewhere.test')
    await sam.getByLabel(/Password/).fill('a wrong guess here')
    await sam.getByRole('button', { name: 'Create account and join' }).click()
    await sam.getByText(/already has an Earshot account/).waitFor()
    expect(await sam.context().cookies()).toEqual([])

    await sam.getByRole('button', { name: 'Sign in to accept' }).click()
    await sam.waitForURL(/\/dashboard\/login\?next=/)
    await sam.getByText('Sign in with your account to accept the invitation.').waitFor()
    await sam.getByLabel('E-mail').fill('sam@elsewhere.test')
    await sam.getByLabel('Password').fill('sams long password')
    await sam.getByRole('button', { name: 'Sign in' }).click()
    await sam.waitForURL(/\/dashboard\/invite\//)
    await sam.getByText('Signed in as').waitFor()
    expect(await sam.locator('input[type=password]').count()).toBe(0)
    await sam.screenshot({ path: '/tmp/shots/dashboard-invite-signed-in.png', fullPage: true })
    await sam.getByRole('button', { name: 'Join Acme' }).click()
    await sam.waitForURL(/\/dashboard\/clusters/)
    const options = await sam.locator('.ws-switch option').allTextContents()
    expect(options.sort()).toEqual(['Acme', 'Sam’s side project'])
    expect(await sam.locator('.ws-switch select').inputValue()).toBe((await workspaceIdOf('Acme'))!)
    await context.close()
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
