import { Hono } from 'hono'
import { z } from 'zod'
import { ROLES } from '../../domain/vocabulary.js'
import type { Deps } from '../../domain/deps.js'
import { iso } from '../../domain/json.js'
import { createInvitation, createOwnedWorkspace, getInvitation, listMembers, listPendingInvitations, removeMember, revokeInvitation, setMemberRole, type Invitation } from '../../domain/members.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { requirePerson, requireRole, type ApiEnv } from './context.js'

const WorkspaceInput = z.object({ name: z.string().trim().min(1).max(100) })
const RoleInput = z.object({ role: z.enum(ROLES) })
const InviteInput = z.object({ email: z.email().max(320).optional(), role: z.enum(ROLES) })

const invitationJson = (i: Invitation) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  created_at: iso(i.createdAt),
  expires_at: iso(i.expiresAt),
  accepted_at: iso(i.acceptedAt),
})

/** Members, roles and invitations of a workspace. Reading needs membership; changing needs owner. */
export function memberRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.post('/workspaces', validate('json', WorkspaceInput), async (c) => {
    const responder = c.get('responder')
    requirePerson(responder)
    const ws = await createOwnedWorkspace(deps, responder.id, c.req.valid('json').name)
    return c.json({ workspace: { id: ws.id, name: ws.name, role: 'owner', projects: [] } }, 201)
  })

  app.get('/workspaces/:ws/members', async (c) => {
    const responder = c.get('responder')
    const ws = c.req.param('ws')
    requireRole(responder, ws, 'viewer')
    const members = await listMembers(deps.db.orm, ws)
    const isOwner = responder.memberships.some((m) => m.workspaceId === ws && m.role === 'owner') && !responder.token
    const invitations = isOwner ? await listPendingInvitations(deps.db.orm, ws, deps.clock.now()) : []
    return c.json({
      members: members.map((m) => ({ id: m.id, email: m.email, name: m.name, role: m.role, joined_at: iso(m.joinedAt) })),
      invitations: invitations.map(invitationJson),
    })
  })

  app.patch('/workspaces/:ws/members/:id', validate('json', RoleInput), async (c) => {
    const responder = c.get('responder')
    const ws = c.req.param('ws')
    requireRole(responder, ws, 'owner')
    await setMemberRole(deps, ws, c.req.param('id'), c.req.valid('json').role)
    return c.body(null, 204)
  })

  app.delete('/workspaces/:ws/members/:id', async (c) => {
    const responder = c.get('responder')
    const ws = c.req.param('ws')
    requireRole(responder, ws, 'owner')
    await removeMember(deps, ws, c.req.param('id'))
    return c.body(null, 204)
  })

  // Leaving: any member, for themselves; the last owner cannot (the domain refuses last_owner).
  app.post('/workspaces/:ws/leave', async (c) => {
    const responder = c.get('responder')
    const ws = c.req.param('ws')
    requireRole(responder, ws, 'viewer')
    requirePerson(responder)
    await removeMember(deps, ws, responder.id)
    return c.body(null, 204)
  })

  app.post('/workspaces/:ws/invitations', validate('json', InviteInput), async (c) => {
    const responder = c.get('responder')
    const ws = c.req.param('ws')
    requireRole(responder, ws, 'owner')
    requirePerson(responder)
    const input = c.req.valid('json')
    const { invitation, token } = await createInvitation(deps, { workspaceId: ws, email: input.email, role: input.role, invitedById: responder.id })
    return c.json({ invitation: invitationJson(invitation), url: `/dashboard/invite/${token}` }, 201)
  })

  app.delete('/invitations/:id', async (c) => {
    const responder = c.get('responder')
    const inv = await getInvitation(deps.db.orm, c.req.param('id'))
    if (!inv || !responder.memberships.some((m) => m.workspaceId === inv.workspaceId)) throw new ApiError(404, 'not_found', 'Not found.')
    requireRole(responder, inv.workspaceId, 'owner')
    await revokeInvitation(deps, inv.id)
    return c.body(null, 204)
  })

  return app
}
