// Who may do what: sessions and sign-in, members and invitations, API tokens, sign-in rate limits.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export {
  authenticateApiToken,
  createApiToken,
  getApiToken,
  listApiTokens,
  revokeApiToken,
  scopesOf,
  type ApiToken,
} from './api-tokens.js'
export {
  createResponder,
  createSession,
  deleteAllSessions,
  deleteSession,
  expireSessions,
  findSession,
  generatePassword,
  normalizeEmail,
  type SessionResponder,
} from './auth.js'
export {
  acceptInvitationAs,
  changePassword,
  claimInvitation,
  createInvitation,
  createOwnedWorkspace,
  findInvitation,
  getInvitation,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
  setMemberRole,
  type Invitation,
} from './members.js'
export { countRateLimitHit, pruneRateLimits } from './rate-limits.js'
export { signIn } from './sign-in.js'
export { requireRole, roleIn, workspaceIdsOf } from './roles.js'
