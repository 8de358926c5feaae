import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { statusTokens } from '../../db/schema/index.js'
import { sha256Hex } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'

/**
 * Status-page tokens open a project's private view: private incidents on the status page, its
 * summary.json and feeds, and in the widget of customers the product hands the token to.
 * Only the SHA-256 is stored; the token is shown once.
 */
export async function createStatusToken(deps: Deps, projectId: string, label: string) {
  const token = newSecret('stt')
  const row = {
    id: newId('stk', deps.clock.now()),
    projectId,
    tokenHash: sha256Hex(token),
    label,
    createdAt: deps.clock.now(),
    revokedAt: null,
  }
  await deps.db.write((tx) => tx.insert(statusTokens).values(row))
  return { ...row, token }
}

export async function isValidStatusToken(db: Reader, projectId: string, token: string | undefined): Promise<boolean> {
  if (!token || token.length > 128) return false
  const row = await db
    .select({ id: statusTokens.id })
    .from(statusTokens)
    .where(
      and(
        eq(statusTokens.projectId, projectId),
        eq(statusTokens.tokenHash, sha256Hex(token)),
        isNull(statusTokens.revokedAt),
      ),
    )
    .get()
  return !!row
}

export async function listStatusTokens(db: Reader, projectId: string) {
  return db
    .select()
    .from(statusTokens)
    .where(eq(statusTokens.projectId, projectId))
    .orderBy(desc(statusTokens.createdAt))
    .all()
}

export async function revokeStatusToken(deps: Deps, projectId: string, id: string) {
  await deps.db.write((tx) =>
    tx
      .update(statusTokens)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(statusTokens.projectId, projectId), eq(statusTokens.id, id))),
  )
}
