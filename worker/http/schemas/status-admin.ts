// The status-page admin routes' schemas (routes/api/incidents/: components, maintenance,
// subscribers, status tokens): requests validated by `validate()`, answers typed by the
// serializers as `Out<typeof X>`; /openapi.json and the dashboard's types are made from these.
import { z } from 'zod'
import { COMPONENT_STATUSES } from '../../domain/shared/index.js'

// ---- requests ----

export const ComponentInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
})
export const ComponentPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  status: z.enum(COMPONENT_STATUSES).optional(),
})
export const MaintenanceInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().max(5000).default(''),
    starts_at: z.iso.datetime({ offset: true }),
    ends_at: z.iso.datetime({ offset: true }),
    component_ids: z.array(z.string().max(64)).max(100).default([]),
  })
  .refine((v) => Date.parse(v.ends_at) > Date.parse(v.starts_at), {
    message: 'ends_at must be after starts_at',
    path: ['ends_at'],
  })
export const StatusTokenInput = z.object({ label: z.string().trim().max(100).default('') })

// ---- answers ----

const time = z.string()
export const ComponentOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    name: z.string(),
    description: z.string(),
    position: z.number(),
    status: z.enum(COMPONENT_STATUSES),
    created_at: time,
  })
  .meta({ id: 'Component' })
export const MaintenanceOut = z
  .object({
    id: z.string(),
    project_id: z.string(),
    title: z.string(),
    message: z.string(),
    starts_at: time,
    ends_at: time,
    phase: z.enum(['scheduled', 'in_progress', 'completed', 'cancelled']),
    components: z.array(z.object({ id: z.string(), name: z.string() })),
    created_at: time,
    cancelled_at: time.nullable(),
  })
  .meta({ id: 'Maintenance' })
export const SubscriberOut = z
  .object({
    id: z.string(),
    email: z.string(),
    state: z.enum(['pending', 'confirmed', 'unsubscribed']),
    component_ids: z.array(z.string()),
    created_at: time,
    confirmed_at: time.nullable(),
  })
  .meta({ id: 'Subscriber' })
export const StatusTokenOut = z
  .object({ id: z.string(), label: z.string(), created_at: time, revoked_at: time.nullable() })
  .meta({ id: 'StatusToken' })
export const StatusTokenCreated = z
  .object({
    token: StatusTokenOut,
    secret: z.string().meta({ description: 'Shown once' }),
    private_url: z.string().meta({ description: 'The status page with ?token=: opens the private view' }),
  })
  .meta({ id: 'StatusTokenCreated' })
