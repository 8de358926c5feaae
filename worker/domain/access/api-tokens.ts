// API tokens for automation (CI deploy markers, help desks, scripts). Shown once at creation;
// only a SHA-256 hash is stored. Scopes: read (GET), write (everything a responder may do).
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { apiTokens, type TokenScope } from '../../db/schema/index.js'
import { sha256Hex } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'
import { parseJson } from '../shared/index.js'

export type ApiToken = typeof apiTokens.$inferSelect

export interface TokenPrincipal {
  workspaceId: string
  scopes: TokenScope[]
  tokenId: string
}

export const TOKEN_PREFIX = 'est_'

export async function createApiToken(
  deps: Deps,
  input: { workspaceId: string; name: string; scopes: TokenScope[]; createdById?: string },
): Promise<{ token: ApiToken; secret: string }> {
  const secret = newSecret('est')
  const now = deps.clock.now()
  const token: ApiToken = {
    id: newId('tok', now),
    workspaceId: input.workspaceId,
    name: input.name,
    scopes: JSON.stringify([...new Set(input.scopes)].sort()),
    tokenHash: sha256Hex(secret),
    prefix: secret.slice(0, 10),
    createdById: input.createdById ?? null,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  }
  await deps.db.write((tx) => tx.insert(apiTokens).values(token))
  return { token, secret }
}

export const scopesOf = (t: Pick<ApiToken, 'scopes'>) => parseJson<TokenScope[]>(t.scopes, [])

/**
 * Checks a bearer token. Returns who it acts for, or undefined for an unknown or revoked token.
 * Usable from any route (the deploy-marker endpoint uses it too). Records when it was last used,
 * at most once a minute, so verification stays a read in the common case.
 */
export async function authenticateApiToken(
  db: Deps['db'],
  token: string,
  now = Date.now(),
): Promise<TokenPrincipal | undefined> {
  if (!token?.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined
  const row = await db.orm
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, sha256Hex(token)), isNull(apiTokens.revokedAt)))
    .get()
  if (!row) return undefined
  if (!row.lastUsedAt || now - row.lastUsedAt > 60_000) {
    await db
      .write((tx) => tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)))
      .catch(() => undefined)
  }
  return { workspaceId: row.workspaceId, scopes: scopesOf(row), tokenId: row.id }
}

export async function listApiTokens(db: Reader, workspaceId: string): Promise<ApiToken[]> {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.workspaceId, workspaceId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt))
    .all()
}

export async function getApiToken(db: Reader, id: string): Promise<ApiToken | undefined> {
  return db.select().from(apiTokens).where(eq(apiTokens.id, id)).get()
}

export async function revokeApiToken(deps: Deps, id: string) {
  await deps.db.write((tx) => tx.update(apiTokens).set({ revokedAt: deps.clock.now() }).where(eq(apiTokens.id, id)))
}
