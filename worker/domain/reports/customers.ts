// Reporter ids for customers that support or a help desk adds (POST /api/projects/:id/reports).
// They used to be `cust_` + sha256("<project id>:<e-mail>"): the project id is public, so anyone
// who knew a customer's e-mail could compute the id and read their in-app notices. Now the id is
// random and stored per (project, contact), so the same customer keeps the same id (distinct
// reporter counts stay honest) and nobody can derive it.
import { and, eq } from 'drizzle-orm'
import { customerReporters } from '../../db/schema/index.js'
import { sha256Hex } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newSecret } from '../shared/index.js'

/** Every server-assigned reporter id starts with this (the old derived ones did too). */
export const CUSTOMER_REPORTER_PREFIX = 'cust_'

/**
 * Server-assigned ids are held by no browser, so nobody can be shown an in-app notice under them:
 * those customers are told by e-mail (when they left one) and never through GET /v1/notices.
 */
export const isServerAssignedReporter = (reporterId: string) => reporterId.startsWith(CUSTOMER_REPORTER_PREFIX)

export const contactHash = (contact: string) => sha256Hex(contact.trim().toLowerCase())

/** The customer's stored reporter id in this project, created (random, 160 bits) on first use. */
export async function customerReporterId(deps: Deps, projectId: string, contact: string): Promise<string> {
  const hash = await contactHash(contact)
  const where = and(eq(customerReporters.projectId, projectId), eq(customerReporters.contactHash, hash))
  const known = await deps.db.orm
    .select({ id: customerReporters.reporterId })
    .from(customerReporters)
    .where(where)
    .get()
  if (known) return known.id
  return deps.db.write(async (tx) => {
    // Two requests for a new customer at once: the first insert wins and both read its id.
    await tx
      .insert(customerReporters)
      .values({
        projectId,
        contactHash: hash,
        reporterId: newSecret(CUSTOMER_REPORTER_PREFIX.slice(0, -1)),
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing()
    return (await tx.select({ id: customerReporters.reporterId }).from(customerReporters).where(where).get())!.id
  })
}
