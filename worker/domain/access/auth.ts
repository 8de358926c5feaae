import { and, eq, gt, lt } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { memberships, responders, sessions, type Role } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId, newSecret, sha256Hex } from '../shared/index.js'

// PBKDF2-SHA256 through WebCrypto: the same code on Node and Workers. workerd refuses more than
// 100,000 iterations, so that is the count; the format carries it so it can be raised later.
const ITERATIONS = 100_000

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256)
  return new Uint8Array(bits)
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  return `pbkdf2-sha256$${ITERATIONS}$${b64(salt)}$${b64(await derive(password, salt, ITERATIONS))}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$')
  if (scheme !== 'pbkdf2-sha256' || !iter || !salt || !hash) return false
  const actual = await derive(password, unb64(salt), Number(iter))
  return timingSafeEqual(actual, unb64(hash))
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase()

export async function createResponder(
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: { email: string; password: string; name?: string; workspaceId: string; role: Role },
) {
  const now = deps.clock.now()
  const responder = {
    id: newId('usr', now),
    email: normalizeEmail(input.email),
    name: input.name ?? '',
    passwordHash: await hashPassword(input.password),
    createdAt: now,
  }
  await tx.insert(responders).values(responder)
  await tx
    .insert(memberships)
    .values({ workspaceId: input.workspaceId, responderId: responder.id, role: input.role, createdAt: now })
  return responder
}

/**
 * Checks a password against a stored hash, or against a dummy one when there is none, so the
 * time taken does not reveal whether an account (or anything else to check) exists.
 */
export async function verifyPasswordOrDummy(password: string, stored: string | undefined): Promise<boolean> {
  const ok = await verifyPassword(password, stored ?? (await dummyHash()))
  return ok && stored !== undefined
}

let dummy: Promise<string> | undefined
const dummyHash = () => (dummy ??= hashPassword('not-a-real-password'))

export async function createSession(deps: Deps, responderId: string): Promise<{ token: string; expiresAt: number }> {
  const token = newSecret('ses')
  const now = deps.clock.now()
  const expiresAt = now + deps.config.sessionTtlMs
  const tokenHash = sha256Hex(token)
  await deps.db.write((tx) => tx.insert(sessions).values({ tokenHash, responderId, createdAt: now, expiresAt }))
  return { token, expiresAt }
}

export interface SessionResponder {
  id: string
  email: string
  name: string
  memberships: { workspaceId: string; role: Role }[]
}

export async function findSession(deps: Deps, token: string): Promise<SessionResponder | undefined> {
  const tokenHash = sha256Hex(token)
  const row = await deps.db.orm
    .select({ id: responders.id, email: responders.email, name: responders.name })
    .from(sessions)
    .innerJoin(responders, eq(responders.id, sessions.responderId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, deps.clock.now())))
    .get()
  if (!row) return undefined
  const ms = await deps.db.orm
    .select({ workspaceId: memberships.workspaceId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.responderId, row.id))
    .all()
  return { ...row, memberships: ms }
}

export async function deleteSession(deps: Deps, token: string) {
  const tokenHash = sha256Hex(token)
  await deps.db.write((tx) => tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash)))
}

export async function deleteAllSessions(deps: Deps, responderId: string) {
  await deps.db.write((tx) => tx.delete(sessions).where(eq(sessions.responderId, responderId)))
}

/** Background job: sessions past their expiry are never accepted again, so they go. */
export async function expireSessions(deps: Pick<Deps, 'db' | 'clock'>) {
  await deps.db.write((tx) => tx.delete(sessions).where(lt(sessions.expiresAt, deps.clock.now())))
}

/** Random password for the first responder when none is configured: readable, 20 chars of base32. */
export function generatePassword(): string {
  return newSecret('x').slice(2, 22)
}
