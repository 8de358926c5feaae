// Who may do what in a workspace: roles rank viewer < support < responder < owner. A workspace the
// responder is not in answers "not found" (never reveal that it exists); too low a role, "forbidden".
import type { Role } from '../../db/schema/index.js'
import { forbidden, notFound } from '../shared/index.js'
import type { SessionResponder } from './auth.js'

const RANK: Record<Role, number> = { viewer: 0, support: 1, responder: 2, owner: 3 }

export function roleIn(responder: SessionResponder, workspaceId: string): Role | undefined {
  return responder.memberships.find((m) => m.workspaceId === workspaceId)?.role
}

export function workspaceIdsOf(responder: SessionResponder, atLeast: Role = 'viewer'): string[] {
  return responder.memberships.filter((m) => RANK[m.role] >= RANK[atLeast]).map((m) => m.workspaceId)
}

/** Throws not found for a workspace the responder is not in, forbidden for too low a role. */
export function requireRole(responder: SessionResponder, workspaceId: string, atLeast: Role): void {
  const role = roleIn(responder, workspaceId)
  if (!role) throw notFound()
  if (RANK[role] < RANK[atLeast]) throw forbidden('forbidden', `This needs the ${atLeast} role.`)
}
