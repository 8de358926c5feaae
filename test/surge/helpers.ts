import type { TestApp } from '../support/db.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { getProject, type Project } from '../../worker/domain/projects/projects.js'
import { projects } from '../../worker/db/schema/index.js'
import { eq } from 'drizzle-orm'
import { clusterOf } from '../support/pipeline.js'

/** Clearly different complaints (different words), so no engine groups them together. */
export const DISTINCT_COMPLAINTS = [
  'The fonts look different on every page',
  'Where did the pricing page go?',
  'Checkout button does nothing when I click it',
  'I cannot upload my avatar picture',
  'Search results are empty for everything',
  'The invoice PDF download is blank',
  'Password reset email never arrives',
  'Dark mode turned itself off',
  'Map tiles fail to load near my city',
  'Notifications are delayed by hours',
  'Calendar shows the wrong timezone',
  'Cart forgets items after refresh',
  'Video player stutters and freezes',
  'Export to spreadsheet crashes the tab',
  'Login with Google loops forever',
  'Profile settings will not save',
  'Coupons are rejected at payment',
  'Images appear blurry on retina screens',
  'The chat widget covers the menu',
  'Shipping estimate says zero days',
  'Receipts show someone else’s address',
  'Keyboard shortcuts stopped working',
  'Sidebar overlaps the main content',
  'Audio is out of sync with subtitles',
  'Two factor codes are always wrong',
  'Scrolling jumps back to the top',
  'Currency shows dollars instead of euros',
  'Help articles return a 404 error',
  'Mobile layout is cut off on the right',
  'Reviews section disappeared from products',
  'Wishlist hearts do not stay red',
  'Team invites expire immediately',
  'Billing history is missing last month',
  'Dragging files into folders fails',
  'Printer friendly view prints nothing',
  'Onboarding tour restarts each visit',
  'Language switcher resets to English',
  'The logo is stretched on tablets',
  'Gift cards show a negative balance',
  'Bookmarks vanished after the update',
]

export async function demoProject(t: Pick<TestApp, 'db' | 'seed'>): Promise<Project> {
  return (await t.db.orm.select().from(projects).where(eq(projects.id, t.seed.projectId)).get())!
}

export async function setSurgeSettings(t: Pick<TestApp, 'db' | 'seed'>, surge: Record<string, unknown>) {
  await t.db.write((tx) =>
    tx
      .update(projects)
      .set({ settings: JSON.stringify({ surge }) })
      .where(eq(projects.id, t.seed.projectId)),
  )
}

/**
 * Sends a report through the one intake path at the test clock's current time, and waits for the
 * pipeline to cluster it.
 */
export async function report(
  t: Pick<TestApp, 'deps' | 'db' | 'seed'>,
  message: string,
  reporter: string,
  extra: { release?: string } = {},
) {
  const project = (await getProject(t.db.orm, (await demoProject(t)).workspaceId, t.seed.projectId))!
  const accepted = await submitReport(t.deps, project, { message, reporter_id: reporter, ...extra })
  return { ...accepted, clusterId: await clusterOf(t.deps, accepted.id) }
}
