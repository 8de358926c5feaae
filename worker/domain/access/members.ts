// Workspace membership: members and roles (a workspace always keeps an owner), invitations by
// link (signed-in accept, or a new person's claim that becomes an account at sign-in), passwords.
import { and, asc, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm'
import type { Reader, Tx } from '../../db/client.js'
import { invitations, memberships, responders, sessions, workspaces, type Role } from '../../db/schema/index.js'
import { hashPassword, normalizeEmail, verifyPassword } from './auth.js'
import { sha256Hex } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { DomainError } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'

export const INVITATION_TTL_MS = 7 * 86_400_000
export const MIN_PASSWORD = 10

export type Invitation = typeof invitations.$inferSelect

export async function listMembers(db: Reader, workspaceId: string) {
  return db
    .select({
      id: responders.id,
      email: responders.email,
      name: responders.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(responders, eq(responders.id, memberships.responderId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt), asc(responders.email))
    .all()
}

async function ownerCount(db: Reader, workspaceId: string) {
  const row = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM memberships WHERE workspace_id = ${workspaceId} AND role = 'owner'`,
  )
  return Number(row?.n ?? 0)
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, support: 1, responder: 2, owner: 3 }
const lastOwner = () => new DomainError('conflict', 'last_owner', 'A workspace needs at least one owner.')

async function membershipOf(db: Reader, workspaceId: string, responderId: string) {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.responderId, responderId)))
    .get()
}

/**
 * The one place a membership changes (role change, removal, leaving, joining by invitation):
 * a change that takes the workspace's last owner away throws `last_owner`, which rolls the
 * caller's transaction back. `role: null` removes the member.
 */
async function putMembership(tx: Tx, workspaceId: string, responderId: string, role: Role | null, now: number) {
  const before = await membershipOf(tx, workspaceId, responderId)
  if (role === null)
    await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.responderId, responderId)))
  else
    await tx
      .insert(memberships)
      .values({ workspaceId, responderId, role, createdAt: now })
      .onConflictDoUpdate({ target: [memberships.workspaceId, memberships.responderId], set: { role } })
  if (before?.role === 'owner' && role !== 'owner' && (await ownerCount(tx, workspaceId)) === 0) throw lastOwner()
}

/** Changes a member's role; a workspace always keeps at least one owner. */
export async function setMemberRole(deps: Deps, workspaceId: string, responderId: string, role: Role) {
  await deps.db.write(async (tx) => {
    if (!(await membershipOf(tx, workspaceId, responderId)))
      throw new DomainError('not_found', 'not_found', 'Not found.')
    await putMembership(tx, workspaceId, responderId, role, deps.clock.now())
  })
}

/** Removes a member (an owner's action, or the member leaving); never the last owner. */
export async function removeMember(deps: Deps, workspaceId: string, responderId: string) {
  await deps.db.write(async (tx) => {
    if (!(await membershipOf(tx, workspaceId, responderId)))
      throw new DomainError('not_found', 'not_found', 'Not found.')
    await putMembership(tx, workspaceId, responderId, null, deps.clock.now())
  })
}

export async function createInvitation(
  deps: Deps,
  input: { workspaceId: string; email?: string; role: Role; invitedById?: string },
) {
  const token = newSecret('inv')
  const now = deps.clock.now()
  const row: Invitation = {
    id: newId('invt', now),
    workspaceId: input.workspaceId,
    email: input.email ? normalizeEmail(input.email) : null,
    role: input.role,
    tokenHash: sha256Hex(token),
    invitedById: input.invitedById ?? null,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
    acceptedAt: null,
    acceptedById: null,
    claimEmail: null,
    claimName: null,
    claimPasswordHash: null,
    claimedAt: null,
  }
  await deps.db.write((tx) => tx.insert(invitations).values(row))
  return { invitation: row, token }
}

export async function listPendingInvitations(db: Reader, workspaceId: string, now: number) {
  return db
    .select()
    .from(invitations)
    .where(
      and(eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)),
    )
    .orderBy(desc(invitations.createdAt))
    .all()
}

export async function getInvitation(db: Reader, id: string) {
  return db.select().from(invitations).where(eq(invitations.id, id)).get()
}

export async function revokeInvitation(deps: Deps, id: string) {
  // Revoked = expired now: the link stops working and it leaves the pending list.
  await deps.db.write((tx) =>
    tx
      .update(invitations)
      .set({
        expiresAt: deps.clock.now() - 1,
        claimEmail: null,
        claimName: null,
        claimPasswordHash: null,
        claimedAt: null,
      })
      .where(eq(invitations.id, id)),
  )
}

const invitationInvalid = () =>
  new DomainError('not_found', 'invitation_invalid', 'This invitation link is invalid, used or expired.')

async function invitationByToken(deps: Deps, token: string) {
  return deps.db.orm
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.tokenHash, sha256Hex(token)))
    .get()
}

/** A usable invitation for this token (not accepted, not expired), with its workspace's name. */
export async function findInvitation(deps: Deps, token: string) {
  const row = await invitationByToken(deps, token)
  if (!row || row.invitation.acceptedAt || row.invitation.expiresAt <= deps.clock.now()) return undefined
  return row
}

/**
 * Signed out: a new person asks for an account through the link. Only the claim is stored (the
 * invitation's own e-mail if it names one, the chosen name and a hash of the password); the
 * account is made at their next normal sign-in, and only if the e-mail has no account then.
 * Nothing here reads accounts, so the answer is the same whether the e-mail has one or not, and no
 * password is ever checked against an existing account.
 */
export async function claimInvitation(
  deps: Deps,
  token: string,
  input: { email?: string; name?: string; password: string },
): Promise<void> {
  const found = await findInvitation(deps, token)
  if (!found) throw invitationInvalid()
  const inv = found.invitation
  const email = normalizeEmail(inv.email ?? input.email ?? '')
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new DomainError('invalid', 'invalid_body', 'email: an e-mail address is required.')
  if (input.password.length < MIN_PASSWORD)
    throw new DomainError('invalid', 'weak_password', `Choose a password of at least ${MIN_PASSWORD} characters.`)
  const passwordHash = await hashPassword(input.password)
  await deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const claimed = await tx
      .update(invitations)
      .set({
        claimEmail: email,
        claimName: (input.name ?? '').trim().slice(0, 100),
        claimPasswordHash: passwordHash,
        claimedAt: now,
      })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id })
    if (!claimed.length) throw invitationInvalid()
  })
}

/** The newest live claim for an e-mail (what a sign-in for an e-mail without an account checks). */
export async function newestClaim(db: Reader, email: string, now: number): Promise<Invitation | undefined> {
  return db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.claimEmail, normalizeEmail(email)),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(desc(invitations.claimedAt))
    .limit(1)
    .get()
}

/**
 * Makes the claimed account, joins it with the invitation's role and uses the invitation up, in
 * one transaction; undefined if the claim changed meanwhile or the e-mail got an account.
 */
export async function accountFromClaim(deps: Deps, claim: Invitation) {
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const email = claim.claimEmail!
    if (await tx.select({ id: responders.id }).from(responders).where(eq(responders.email, email)).get())
      return undefined
    const used = await tx
      .update(invitations)
      .set({ acceptedAt: now, claimEmail: null, claimName: null, claimPasswordHash: null, claimedAt: null })
      .where(
        and(
          eq(invitations.id, claim.id),
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, now),
          eq(invitations.claimEmail, email),
          eq(invitations.claimedAt, claim.claimedAt!),
        ),
      )
      .returning({ id: invitations.id })
    if (!used.length) return undefined
    const responder = {
      id: newId('usr', now),
      email,
      name: claim.claimName ?? '',
      passwordHash: claim.claimPasswordHash!,
      createdAt: now,
    }
    await tx.insert(responders).values(responder)
    await putMembership(tx, claim.workspaceId, responder.id, claim.role, now)
    await tx.update(invitations).set({ acceptedById: responder.id }).where(eq(invitations.id, claim.id))
    return responder
  })
}

/**
 * Signed in: the caller's own account joins with the invitation's role (an invitation never lowers
 * a role the member already has). An invitation naming an e-mail is only for the account with that
 * e-mail. Used once; the same person accepting again is told where they are.
 */
export async function acceptInvitationAs(
  deps: Deps,
  token: string,
  me: { id: string; email: string },
): Promise<{ workspaceId: string; role: Role }> {
  const row = await invitationByToken(deps, token)
  const inv = row?.invitation
  if (inv?.acceptedAt && inv.acceptedById === me.id) {
    const m = await membershipOf(deps.db.orm, inv.workspaceId, me.id)
    if (m) return { workspaceId: inv.workspaceId, role: m.role }
  }
  if (!inv || inv.acceptedAt || inv.expiresAt <= deps.clock.now()) throw invitationInvalid()
  if (inv.email && inv.email !== normalizeEmail(me.email))
    throw new DomainError(
      'forbidden',
      'invitation_for_another_email',
      `This invitation is for ${inv.email}: sign in with that account to accept it.`,
    )
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const used = await tx
      .update(invitations)
      .set({
        acceptedAt: now,
        acceptedById: me.id,
        claimEmail: null,
        claimName: null,
        claimPasswordHash: null,
        claimedAt: null,
      })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id })
    if (!used.length) throw invitationInvalid()
    const current = (await membershipOf(tx, inv.workspaceId, me.id))?.role
    const role = current && ROLE_RANK[current] >= ROLE_RANK[inv.role] ? current : inv.role
    await putMembership(tx, inv.workspaceId, me.id, role, now)
    return { workspaceId: inv.workspaceId, role }
  })
}

/** A new workspace with its creator as the owner. */
export async function createOwnedWorkspace(deps: Deps, responderId: string, name: string) {
  return deps.db.write(async (tx) => {
    const now = deps.clock.now()
    const ws = { id: newId('ws', now), name, createdAt: now }
    await tx.insert(workspaces).values(ws)
    await putMembership(tx, ws.id, responderId, 'owner', now)
    return ws
  })
}

/** Changes the password and ends every other session of this responder. */
export async function changePassword(
  deps: Deps,
  responderId: string,
  current: string,
  next: string,
  keepSessionHash?: string,
) {
  const me = await deps.db.orm.select().from(responders).where(eq(responders.id, responderId)).get()
  if (!me || !(await verifyPassword(current, me.passwordHash)))
    throw new DomainError('invalid', 'wrong_password', 'The current password is not right.')
  if (next.length < MIN_PASSWORD)
    throw new DomainError('invalid', 'weak_password', `Choose a password of at least ${MIN_PASSWORD} characters.`)
  const hash = await hashPassword(next)
  await deps.db.write(async (tx) => {
    await tx.update(responders).set({ passwordHash: hash }).where(eq(responders.id, responderId))
    await tx
      .delete(sessions)
      .where(
        keepSessionHash
          ? and(eq(sessions.responderId, responderId), ne(sessions.tokenHash, keepSessionHash))
          : eq(sessions.responderId, responderId),
      )
  })
}
