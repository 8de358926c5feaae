import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { scheduleMaintenance } from '../../worker/domain/incidents/maintenance.js'
import { createTestApp, type TestApp } from '../support/db.js'

// Earshot's status JSON against Atlassian Statuspage's public API, as Statuspage documents it
// (the "/api" page every Statuspage serves, e.g. metastatuspage.com/api, and the example
// responses there: summary, status, components, incidents, incidents/unresolved,
// scheduled-maintenances, …/upcoming, …/active) with the fields its live responses carry
// (components with group_id/showcase/only_show_if_degraded, updates with affected_components
// {code, name, old_status, new_status}, tweet fields, time_zone). Strict objects: a field Statuspage
// has is never missing (null where it does not apply) and nothing Statuspage lacks is added.

const isoTime = z.iso.datetime({ offset: true })
const nullableTime = isoTime.nullable()
const componentStatus = z.enum([
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
])

const Page = z.strictObject({
  id: z.string(),
  name: z.string(),
  url: z.url(),
  time_zone: z.string(),
  updated_at: isoTime,
})
const Component = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: componentStatus,
  created_at: isoTime,
  updated_at: isoTime,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
})
const AffectedComponent = z.strictObject({
  code: z.string(),
  name: z.string(),
  old_status: componentStatus,
  new_status: componentStatus,
})
const Update = (statuses: readonly [string, ...string[]]) =>
  z.strictObject({
    id: z.string(),
    status: z.enum(statuses),
    body: z.string(),
    incident_id: z.string(),
    created_at: isoTime,
    updated_at: isoTime,
    display_at: isoTime,
    affected_components: z.array(AffectedComponent).nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  })
const incidentFields = {
  id: z.string(),
  name: z.string(),
  created_at: isoTime,
  updated_at: nullableTime,
  monitoring_at: nullableTime,
  resolved_at: nullableTime,
  shortlink: z.url(),
  started_at: isoTime,
  page_id: z.string(),
  components: z.array(Component),
}
const Incident = z.strictObject({
  ...incidentFields,
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  incident_updates: z.array(Update(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'])),
})
const Maintenance = z.strictObject({
  ...incidentFields,
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  incident_updates: z.array(Update(['scheduled', 'in_progress', 'verifying', 'completed'])),
  scheduled_for: isoTime,
  scheduled_until: isoTime,
})
const Status = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string(),
})

const DOCUMENTED = {
  'summary.json': z.strictObject({
    page: Page,
    components: z.array(Component),
    incidents: z.array(Incident),
    scheduled_maintenances: z.array(Maintenance),
    status: Status,
  }),
  'status.json': z.strictObject({ page: Page, status: Status }),
  'components.json': z.strictObject({ page: Page, components: z.array(Component) }),
  'incidents.json': z.strictObject({ page: Page, incidents: z.array(Incident) }),
  'incidents/unresolved.json': z.strictObject({ page: Page, incidents: z.array(Incident) }),
  'scheduled-maintenances.json': z.strictObject({ page: Page, scheduled_maintenances: z.array(Maintenance) }),
  'scheduled-maintenances/upcoming.json': z.strictObject({ page: Page, scheduled_maintenances: z.array(Maintenance) }),
  'scheduled-maintenances/active.json': z.strictObject({ page: Page, scheduled_maintenances: z.array(Maintenance) }),
} as const

const MIN = 60_000
let t: TestApp
let ids: {
  api: string
  checkout: string
  resolved: string
  active: string
  upcoming: string
  running: string
  done: string
}

beforeEach(async () => {
  t = await createTestApp()
  const projectId = t.seed.projectId
  const api = await createComponent(t.deps, projectId, { name: 'API', description: 'Public REST API' })
  const checkout = await createComponent(t.deps, projectId, { name: 'Checkout' })
  // A resolved incident whose updates moved components around.
  const resolved = await declareIncident(t.deps, {
    projectId,
    title: 'API errors',
    impact: 'major',
    message: 'Elevated errors.',
    components: [{ componentId: api.id, status: 'partial_outage' }],
  })
  t.clock.advance(10 * MIN)
  await postUpdate(t.deps, resolved.id, {
    status: 'identified',
    message: 'Found it; checkout is slow too.',
    components: [
      { componentId: api.id, status: 'major_outage' },
      { componentId: checkout.id, status: 'degraded_performance' },
    ],
  })
  t.clock.advance(10 * MIN)
  await postUpdate(t.deps, resolved.id, { status: 'monitoring', message: 'Fix deployed.' })
  t.clock.advance(10 * MIN)
  await postUpdate(t.deps, resolved.id, { status: 'resolved', message: 'All good.', components: [] })
  t.clock.advance(10 * MIN)
  // One still active.
  const active = await declareIncident(t.deps, {
    projectId,
    title: 'Checkout slow',
    impact: 'minor',
    message: 'Slow payments.',
    components: [{ componentId: checkout.id, status: 'degraded_performance' }],
  })
  // Maintenance: one done, one running, one upcoming.
  const now = t.clock.now()
  const done = await scheduleMaintenance(t.deps, {
    projectId,
    title: 'DB upgrade',
    message: 'Upgrading the database.',
    startsAt: now - 60 * MIN + 1,
    endsAt: now - 30 * MIN,
    componentIds: [api.id],
  })
  const running = await scheduleMaintenance(t.deps, {
    projectId,
    title: 'Cache rotation',
    message: '',
    startsAt: now - 5 * MIN,
    endsAt: now + 30 * MIN,
    componentIds: [api.id],
  })
  const upcoming = await scheduleMaintenance(t.deps, {
    projectId,
    title: 'Network work',
    message: 'Brief blips possible.',
    startsAt: now + 24 * 60 * MIN,
    endsAt: now + 25 * 60 * MIN,
    componentIds: [checkout.id],
  })
  ids = {
    api: api.id,
    checkout: checkout.id,
    resolved: resolved.id,
    active: active.id,
    upcoming: upcoming.id,
    running: running.id,
    done: done.id,
  }
})
afterEach(() => t.close())

const get = async (name: string) => {
  const res = await t.app.request(`/status/demo/api/v2/${name}`)
  expect(res.status, name).toBe(200)
  expect(res.headers.get('access-control-allow-origin')).toBe('*')
  return res.json() as Promise<any>
}

describe("Statuspage's public API", () => {
  it('every documented endpoint answers in the documented shape, every field present', async () => {
    for (const [name, schema] of Object.entries(DOCUMENTED)) {
      const parsed = schema.safeParse(await get(name))
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${name} ${i.path.join('.')}: ${i.message}`)).toEqual(
        [],
      )
    }
  })

  it('incidents.json lists resolved and unresolved incidents, newest first; unresolved.json the open one', async () => {
    expect((await get('incidents.json')).incidents.map((i: any) => [i.id, i.status])).toEqual([
      [ids.active, 'investigating'],
      [ids.resolved, 'resolved'],
    ])
    expect((await get('incidents/unresolved.json')).incidents.map((i: any) => i.id)).toEqual([ids.active])
  })

  it('affected_components come from the updates that changed components', async () => {
    const incident = (await get('incidents.json')).incidents.find((i: any) => i.id === ids.resolved)
    const byStatus = Object.fromEntries(incident.incident_updates.map((u: any) => [u.status, u.affected_components]))
    expect(byStatus.investigating).toEqual([
      { code: ids.api, name: 'API', old_status: 'operational', new_status: 'partial_outage' },
    ])
    expect(byStatus.identified).toEqual([
      { code: ids.api, name: 'API', old_status: 'partial_outage', new_status: 'major_outage' },
      { code: ids.checkout, name: 'Checkout', old_status: 'operational', new_status: 'degraded_performance' },
    ])
    expect(byStatus.monitoring).toBeNull()
    expect(byStatus.resolved).toEqual([
      { code: ids.api, name: 'API', old_status: 'major_outage', new_status: 'operational' },
      { code: ids.checkout, name: 'Checkout', old_status: 'degraded_performance', new_status: 'operational' },
    ])
    expect(incident.incident_updates.map((u: any) => u.status)).toEqual([
      'resolved',
      'monitoring',
      'identified',
      'investigating',
    ])
  })

  it('components inside incidents and maintenances are whole component objects with their current status', async () => {
    const summary = await get('summary.json')
    const checkout = summary.components.find((c: any) => c.id === ids.checkout)
    expect(checkout).toMatchObject({
      name: 'Checkout',
      status: 'degraded_performance',
      position: 1,
      group_id: null,
      group: false,
      page_id: t.seed.projectId,
    })
    const apiComponent = summary.components.find((c: any) => c.id === ids.api)
    expect(apiComponent).toMatchObject({
      name: 'API',
      description: 'Public REST API',
      status: 'under_maintenance',
      position: 0,
    })
    expect(summary.incidents).toHaveLength(1)
    expect(summary.incidents[0].components).toEqual([checkout])
    expect(summary.scheduled_maintenances.find((m: any) => m.id === ids.running).components).toEqual([apiComponent])
    expect(summary.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' })
  })

  it('scheduled-maintenances.json holds all recent windows; upcoming.json and active.json their part', async () => {
    const all = (await get('scheduled-maintenances.json')).scheduled_maintenances
    expect(all.map((m: any) => [m.id, m.status])).toEqual([
      [ids.upcoming, 'scheduled'],
      [ids.running, 'in_progress'],
      [ids.done, 'completed'],
    ])
    expect((await get('scheduled-maintenances/upcoming.json')).scheduled_maintenances.map((m: any) => m.id)).toEqual([
      ids.upcoming,
    ])
    expect((await get('scheduled-maintenances/active.json')).scheduled_maintenances.map((m: any) => m.id)).toEqual([
      ids.running,
    ])
    // A window's updates follow its phases, and say what happened to the components.
    const done = all.find((m: any) => m.id === ids.done)
    expect(done.incident_updates.map((u: any) => u.status)).toEqual(['completed', 'in_progress', 'scheduled'])
    expect(done.incident_updates[1].affected_components).toEqual([
      { code: ids.api, name: 'API', old_status: 'operational', new_status: 'under_maintenance' },
    ])
    expect(done.resolved_at).toBe(done.scheduled_until)
  })
})
