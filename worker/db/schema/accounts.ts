import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { responders, workspaces } from './core.js'

// Accounts beyond sign-in: invitations by link and API tokens for automation. Secrets are stored
// only as SHA-256 hashes: a leaked database leaks no usable link or token.

export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** When set, only this e-mail can accept. */
    email: text('email'),
    role: text('role', { enum: ['owner', 'responder', 'support', 'viewer'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedById: text('invited_by_id').references(() => responders.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    acceptedById: text('accepted_by_id'),
    /**
     * A signed-out invitee's request for a new account (e-mail, name, PBKDF2 hash of the chosen
     * password). It becomes an account at the invitee's next normal sign-in, and only if that
     * e-mail has no account then: accepting never looks at existing accounts, so its answer
     * cannot tell which e-mails have one. Cleared when the invitation is used.
     */
    claimEmail: text('claim_email'),
    claimName: text('claim_name'),
    claimPasswordHash: text('claim_password_hash'),
    claimedAt: integer('claimed_at'),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_unique').on(t.tokenHash),
    index('invitations_workspace_idx').on(t.workspaceId, t.createdAt),
    index('invitations_claim_email_idx').on(t.claimEmail, t.claimedAt),
    check('invitations_role_valid', sql`${t.role} IN ('owner','responder','support','viewer')`),
  ],
)

export const TOKEN_SCOPES = ['read', 'write'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /** JSON array of scopes: ["read"] or ["read","write"]. */
    scopes: text('scopes').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, shown so people can tell tokens apart. */
    prefix: text('prefix').notNull(),
    createdById: text('created_by_id'),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_unique').on(t.tokenHash),
    index('api_tokens_workspace_idx').on(t.workspaceId),
  ],
)
