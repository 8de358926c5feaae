// Workspace membership: members and roles, invitations by link, password changes.
import { and, asc, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm'
import type { Reader } from '../db/client.js'
import { invitations, memberships, responders, sessions, workspaces, type Role } from '../db/schema/index.js'
import { hashPassword, normalizeEmail, sha256Hex, verifyPassword } from './auth.js'
import type { Deps } from './deps.js'
import { ApiError } from '../http/errors.js'
import { newId, newSecret } from './ids.js'

export const INVITATION_TTL_MS = 7 * 86_400_000
export const MIN_PASSWORD = 10

export type Invitation = typeof invitations.$inferSelect

export async function listMembers(db: Reader, workspaceId: string) {
  return db
    .select({ id: responders.id, email: responders.email, name: responders.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(responders, eq(responders.id, memberships.responderId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt), asc(responders.email))
    .all()
}

async function ownerCount(db: Reader, workspaceId: string) {
  const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM memberships WHERE workspace_id = ${workspaceId} AND role = 'owner'`)
  return Number(row?.n ?? 0)
}

/** Changes a member's role; a workspace always keeps at least one owner. */
export async function setMemberRole(deps: Deps, workspaceId: string, responderId: string, role: Role) {
  await deps.db.write(async (tx) => {
    const m = await tx.select().from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.responderId, responderId))).get()
    if (!m) throw new ApiError(404, 'not_found', 'Not found.')
    if (m.role === 'owner' && role !== 'owner' && (await ownerCount(tx, workspaceId)) <= 1) throw new ApiError(409, 'last_owner', 'A workspace needs at least one owner.')
    await tx.update(memberships).set({ role }).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.responderId, responderId)))
  })
}

export async function removeMember(deps: Deps, workspaceId: string, responderId: string) {
  await deps.db.write(async (tx) => {
    const m = await tx.select().from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.responderId, responderId))).get()
    if (!m) throw new ApiError(404, 'not_found', 'Not found.')
    if (m.role === 'owner' && (await ownerCount(tx, workspaceId)) <= 1) throw new ApiError(409, 'last_owner', 'A workspace needs at least one owner.')
    await tx.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.responderId, responderId)))
  })
}

export async function createInvitation(deps: Deps, input: { workspaceId: string; email?: string; role: Role; invitedById?: string }) {
  const token = newSecret('inv')
  const now = deps.clock.now()
  const row: Invitation = {
    id: newId('invt', now),
    workspaceId: input.workspaceId,
    email: input.email ? normalizeEmail(input.email) : null,
    role: input.role,
    tokenHash: await sha256Hex(token),
    invitedById: input.invitedById ?? null,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
    acceptedAt: null,
    acceptedById: null,
  }
  await deps.db.write((tx) => tx.insert(invitations).values(row))
  return { invitation: row, token }
}

export async function listPendingInvitations(db: Reader, workspaceId: string, now: number) {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.createdAt))
    .all()
}

export async function getInvitation(db: Reader, id: string) {
  return db.select().from(invitations).where(eq(invitations.id, id)).get()
}

export async function revokeInvitation(deps: Deps, id: string) {
  // Revoked = expired now: the link stops working and it leaves the pending list.
  await deps.db.write((tx) => tx.update(invitations).set({ expiresAt: deps.clock.now() - 1 }).where(eq(invitations.id, id)))
}

/** A usable invitation for this token (not accepted, not expired), with its workspace's name. */
export async function findInvitation(deps: Deps, token: string) {
  const row = await deps.db.orm
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.tokenHash, await sha256Hex(token)))
    .get()
  if (!row || row.invitation.acceptedAt || row.invitation.expiresAt <= deps.clock.now()) return undefined
  return row
}

/**
 * Accepts an invitation: an existing account joins after proving its password; otherwise a new
 * account is created. One transaction, and the invitation can only be used once.
 */
export async function acceptInvitation(deps: Deps, token: string, input: { email?: string; name?: string; password: string }): Promise<string> {
  const found = await findInvitation(deps, token)
  if (!found) throw new ApiError(404, 'invitation_invalid', 'This invitation link is invalid, used or expired.')
  const inv = found.invitation
  const email = normalizeEmail(inv.email ?? input.email ?? '')
  if (!email.includes('@')) throw new ApiError(400, 'invalid_body', 'email: an e-mail address is required.')
  const existing = await deps.db.orm.select().from(responders).where(eq(responders.email, email)).get()
  if (existing && !(await verifyPassword(input.password, existing.passwordHash))) throw new ApiError(401, 'invalid_credentials', 'This e-mail already has an account: enter its password to join.')
  if (!existing && input.password.length < MIN_PASSWORD) throw new ApiError(400, 'weak_password', `Choose a password of at least ${MIN_PASSWORD} characters.`)
  const passwordHash = existing ? existing.passwordHash : await hashPassword(input.password)
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const claimed = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id })
    if (!claimed.length) throw new ApiError(404, 'invitation_invalid', 'This invitation link is invalid, used or expired.')
    let responderId = existing?.id
    if (!responderId) {
      responderId = newId('usr', now)
      await tx.insert(responders).values({ id: responderId, email, name: (input.name ?? '').trim().slice(0, 100), passwordHash, createdAt: now })
    }
    await tx
      .insert(memberships)
      .values({ workspaceId: inv.workspaceId, responderId, role: inv.role, createdAt: now })
      .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.responderId], set: { role: inv.role } })
    await tx.update(invitations).set({ acceptedById: responderId }).where(eq(invitations.id, inv.id))
    return responderId
  })
}

/** A new workspace with its creator as the owner. */
export async function createOwnedWorkspace(deps: Deps, responderId: string, name: string) {
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const ws = { id: newId('ws', now), name, createdAt: now }
    await tx.insert(workspaces).values(ws)
    await tx.insert(memberships).values({ workspaceId: ws.id, responderId, role: 'owner', createdAt: now })
    return ws
  })
}

/** Changes the password and ends every other session of this responder. */
export async function changePassword(deps: Deps, responderId: string, current: string, next: string, keepSessionHash?: string) {
  const me = await deps.db.orm.select().from(responders).where(eq(responders.id, responderId)).get()
  if (!me || !(await verifyPassword(current, me.passwordHash))) throw new ApiError(400, 'wrong_password', 'The current password is not right.')
  if (next.length < MIN_PASSWORD) throw new ApiError(400, 'weak_password', `Choose a password of at least ${MIN_PASSWORD} characters.`)
  const hash = await hashPassword(next)
  await deps.db.write(async (tx) => {
    await tx.update(responders).set({ passwordHash: hash }).where(eq(responders.id, responderId))
    await tx
      .delete(sessions)
      .where(keepSessionHash ? and(eq(sessions.responderId, responderId), ne(sessions.tokenHash, keepSessionHash)) : eq(sessions.responderId, responderId))
  })
}
