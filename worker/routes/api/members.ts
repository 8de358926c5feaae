import { Hono } from 'hono'
import { z } from 'zod'
import { ROLES } from '../../domain/shared/index.js'
import type { Deps } from '../../domain/shared/index.js'
import { iso } from '../../domain/shared/index.js'
import {
  createInvitation,
  createOwnedWorkspace,
  getInvitation,
  listMembers,
  listPendingInvitations,
  removeMember,
  revokeInvitation,
  setMemberRole,
  type Invitation,
} from '../../domain/access/index.js'
import { ApiError } from '../../http/errors.js'
import { validate } from '../../http/validate.js'
import { requirePerson, requireRole, type ApiEnv } from './context.js'
import { describe, error, json, noContent } from '../../http/openapi.js'
import type { Out } from '../../http/schemas.js'
import { ROLE } from '../../http/schemas/answers.js'
import { WorkspaceOut } from './me.js'

const InvitationOut = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    role: ROLE,
    created_at: z.string(),
    expires_at: z.string(),
    accepted_at: z.string().nullable(),
  })
  .meta({ id: 'Invitation' })
const MemberOut = z
  .object({ id: z.string(), email: z.string(), name: z.string(), role: ROLE, joined_at: z.string() })
  .meta({ id: 'Member' })
const MembersOut = z
  .object({
    members: z.array(MemberOut),
    invitations: z
      .array(InvitationOut)
      .meta({ description: 'Pending invitations; only owners (people, not tokens) see them' }),
  })
  .meta({ id: 'MemberList' })
const InvitationCreated = z
  .object({
    invitation: InvitationOut,
    url: z.string().meta({ description: 'The invitation link (path under PUBLIC_URL); shown once' }),
  })
  .meta({ id: 'InvitationCreated' })

const WorkspaceInput = z.object({ name: z.string().trim().min(1).max(100) })
const RoleInput = z.object({ role: z.enum(ROLES) })
const InviteInput = z.object({ email: z.email().max(320).optional(), role: z.enum(ROLES) })

const invitationJson = (i: Invitation): Out<typeof InvitationOut> => ({
  id: i.id,
  email: i.email,
  role: i.role,
  created_at: iso(i.createdAt)!,
  expires_at: iso(i.expiresAt)!,
  accepted_at: iso(i.acceptedAt),
})

/** Members, roles and invitations of a workspace. Reading needs membership; changing needs owner. */
export function memberRoutes(deps: Deps) {
  const app = new Hono<ApiEnv>()

  app.post(
    '/workspaces',
    describe({
      id: 'createWorkspace',
      tag: 'workspaces',
      auth: 'person',
      summary: 'Create a workspace (the caller becomes its owner)',
      responses: { '201': json(z.object({ workspace: WorkspaceOut }), 'Created') },
    }),
    validate('json', WorkspaceInput),
    async (c) => {
      const responder = c.get('responder')
      requirePerson(responder)
      const ws = await createOwnedWorkspace(deps, responder.id, c.req.valid('json').name)
      return c.json(
        { workspace: { id: ws.id, name: ws.name, role: 'owner', projects: [] } } satisfies {
          workspace: Out<typeof WorkspaceOut>
        },
        201,
      )
    },
  )

  app.get(
    '/workspaces/:ws/members',
    describe({
      id: 'listMembers',
      tag: 'workspaces',
      auth: 'session',
      summary: 'Members of a workspace (and, for owners, pending invitations)',
      responses: { '200': json(MembersOut, 'Members'), '404': error('not_found') },
    }),
    async (c) => {
      const responder = c.get('responder')
      const ws = c.req.param('ws')
      requireRole(responder, ws, 'viewer')
      const members = await listMembers(deps.db.orm, ws)
      const isOwner = responder.memberships.some((m) => m.workspaceId === ws && m.role === 'owner') && !responder.token
      const invitations = isOwner ? await listPendingInvitations(deps.db.orm, ws, deps.clock.now()) : []
      return c.json({
        members: members.map((m) => ({
          id: m.id,
          email: m.email,
          name: m.name,
          role: m.role,
          joined_at: iso(m.joinedAt)!,
        })),
        invitations: invitations.map(invitationJson),
      } satisfies Out<typeof MembersOut>)
    },
  )

  app.patch(
    '/workspaces/:ws/members/:id',
    describe({
      id: 'setMemberRole',
      tag: 'workspaces',
      auth: 'session',
      summary: 'Change a member’s role (owners)',
      responses: {
        '204': noContent('Changed'),
        '404': error('not_found'),
        '409': error('last_owner: a workspace keeps at least one owner'),
      },
    }),
    validate('json', RoleInput),
    async (c) => {
      const responder = c.get('responder')
      const ws = c.req.param('ws')
      requireRole(responder, ws, 'owner')
      await setMemberRole(deps, ws, c.req.param('id'), c.req.valid('json').role)
      return c.body(null, 204)
    },
  )

  app.delete(
    '/workspaces/:ws/members/:id',
    describe({
      id: 'removeMember',
      tag: 'workspaces',
      auth: 'session',
      summary: 'Remove a member (owners)',
      responses: { '204': noContent('Removed'), '404': error('not_found'), '409': error('last_owner') },
    }),
    async (c) => {
      const responder = c.get('responder')
      const ws = c.req.param('ws')
      requireRole(responder, ws, 'owner')
      await removeMember(deps, ws, c.req.param('id'))
      return c.body(null, 204)
    },
  )

  // Leaving: any member, for themselves; the last owner cannot (the domain refuses last_owner).
  app.post(
    '/workspaces/:ws/leave',
    describe({
      id: 'leaveWorkspace',
      tag: 'workspaces',
      auth: 'person',
      summary: 'Leave a workspace',
      responses: { '204': noContent('Left'), '404': error('not_found'), '409': error('last_owner') },
    }),
    async (c) => {
      const responder = c.get('responder')
      const ws = c.req.param('ws')
      requireRole(responder, ws, 'viewer')
      requirePerson(responder)
      await removeMember(deps, ws, responder.id)
      return c.body(null, 204)
    },
  )

  app.post(
    '/workspaces/:ws/invitations',
    describe({
      id: 'createInvitation',
      tag: 'workspaces',
      auth: 'person',
      summary: 'Invite someone (owners): a link valid for a while',
      responses: { '201': json(InvitationCreated, 'Invited'), '404': error('not_found') },
    }),
    validate('json', InviteInput),
    async (c) => {
      const responder = c.get('responder')
      const ws = c.req.param('ws')
      requireRole(responder, ws, 'owner')
      requirePerson(responder)
      const input = c.req.valid('json')
      const { invitation, token } = await createInvitation(deps, {
        workspaceId: ws,
        email: input.email,
        role: input.role,
        invitedById: responder.id,
      })
      return c.json(
        { invitation: invitationJson(invitation), url: `/dashboard/invite/${token}` } satisfies Out<
          typeof InvitationCreated
        >,
        201,
      )
    },
  )

  app.delete(
    '/invitations/:id',
    describe({
      id: 'revokeInvitation',
      tag: 'workspaces',
      auth: 'session',
      summary: 'Revoke a pending invitation (owners)',
      responses: { '204': noContent('Revoked'), '404': error('not_found') },
    }),
    async (c) => {
      const responder = c.get('responder')
      const inv = await getInvitation(deps.db.orm, c.req.param('id'))
      if (!inv || !responder.memberships.some((m) => m.workspaceId === inv.workspaceId))
        throw new ApiError(404, 'not_found', 'Not found.')
      requireRole(responder, inv.workspaceId, 'owner')
      await revokeInvitation(deps, inv.id)
      return c.body(null, 204)
    },
  )

  return app
}
