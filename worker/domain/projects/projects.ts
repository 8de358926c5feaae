import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm'
import type { Reader, Tx } from '../../db/client.js'
import { projects, workspaces } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { conflict } from '../shared/index.js'
import { newId, newSecret } from '../shared/index.js'
import { parseJson } from '../shared/index.js'

export type Project = typeof projects.$inferSelect

export function allowedOriginsOf(project: Project): string[] {
  return parseJson<string[]>(project.allowedOrigins, [])
}

export function projectSettings(project: Project): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(project.settings, {})
}

/** Is a browser on `origin` allowed to use this project's public key? `*` allows every origin. */
export function isOriginAllowed(project: Project, origin: string): boolean {
  const allowed = allowedOriginsOf(project)
  return allowed.includes('*') || allowed.includes(origin.toLowerCase().replace(/\/$/, ''))
}

/** The public-key → project query, prepared once per entry by createDeps (`Deps.projectByKeyQuery`). */
export const prepareProjectByKey = (db: Reader) =>
  db
    .select()
    .from(projects)
    .where(eq(projects.publicKey, sql.placeholder('key')))
    .prepare()
export type ProjectByKeyQuery = ReturnType<typeof prepareProjectByKey>

/** Every public request starts here, so the query is built once per entry, not per request. */
export async function findProjectByKey(
  deps: Pick<Deps, 'projectByKeyQuery'>,
  publicKey: string,
): Promise<Project | undefined> {
  return deps.projectByKeyQuery.get({ key: publicKey })
}

/**
 * The public-key → project look-up kept in memory for `ttlMs` (Workers: per isolate, so a report
 * costs no database request for it). Only found projects are kept. A rotated key (the old one
 * "stops working at once") can still be answered from another isolate's copy for at most `ttlMs`
 * on reads; a report under it never is stored, because the Workers intake's one write checks the
 * key again inside its INSERT (reports.ts) and drops the copy when it no longer matches. Allowed
 * origins changed in the settings reach every isolate within `ttlMs` too.
 */
export class ProjectKeyCache {
  private readonly entries = new Map<string, { project: Project; until: number }>()
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxKeys = 1000,
  ) {}

  /**
   * With `revalidatedByWrite` (report intake) an expired copy is still used for up to a minute
   * more: that write checks the key again itself and hands the fresh row back (`refresh`).
   */
  async get(
    deps: Pick<Deps, 'projectByKeyQuery'>,
    publicKey: string,
    opts: { revalidatedByWrite?: boolean } = {},
  ): Promise<Project | undefined> {
    const now = this.now()
    const hit = this.entries.get(publicKey)
    if (hit && (hit.until > now || (opts.revalidatedByWrite && hit.until + STALE_FOR_WRITES_MS > now)))
      return hit.project
    const project = await findProjectByKey(deps, publicKey)
    if (!project) {
      this.entries.delete(publicKey)
      return undefined
    }
    if (this.entries.size >= this.maxKeys) this.entries.clear()
    this.entries.set(publicKey, { project, until: now + this.ttlMs })
    return project
  }

  /** The project as a write just read it: kept for another TTL under its current key. */
  refresh(project: Project): void {
    this.entries.set(project.publicKey, { project, until: this.now() + this.ttlMs })
  }

  forget(publicKey: string): void {
    this.entries.delete(publicKey)
  }
}

const STALE_FOR_WRITES_MS = 60_000

/** The project row of a public key as one raw statement (for a write's batch), and its result as a Project. */
export function projectByKeyStatement(publicKey: string): SQL {
  return sql`SELECT * FROM projects WHERE public_key = ${publicKey}`
}

export function projectFromRow(row: Record<string, unknown>): Project {
  const out: Record<string, unknown> = {}
  for (const [name, column] of Object.entries(getTableColumns(projects)))
    out[name] = column.mapFromDriverValue(row[column.name])
  return out as Project
}

/** The project of a public key: from `deps.projectKeys` where the entry keeps one (Workers), else the database. */
export function projectByKey(
  deps: Pick<Deps, 'projectByKeyQuery' | 'projectKeys'>,
  publicKey: string,
  opts: { revalidatedByWrite?: boolean } = {},
): Promise<Project | undefined> {
  return deps.projectKeys ? deps.projectKeys.get(deps, publicKey, opts) : findProjectByKey(deps, publicKey)
}

export async function findProjectBySlug(db: Reader, slug: string): Promise<Project | undefined> {
  return db.select().from(projects).where(eq(projects.slug, slug)).get()
}

export async function findProjectById(db: Reader, projectId: string): Promise<Project | undefined> {
  return db.select().from(projects).where(eq(projects.id, projectId)).get()
}

export async function listWorkspaces(db: Reader, workspaceIds: string[]) {
  return workspaceIds.length ? db.select().from(workspaces).where(inArray(workspaces.id, workspaceIds)).all() : []
}

export async function getProject(db: Reader, workspaceId: string, projectId: string): Promise<Project | undefined> {
  return db
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.workspaceId, workspaceId)))
    .get()
}

export async function listProjects(db: Reader, workspaceId: string): Promise<Project[]> {
  return db.select().from(projects).where(eq(projects.workspaceId, workspaceId)).all()
}

export async function createWorkspace(tx: Tx, deps: Pick<Deps, 'clock'>, name: string) {
  const row = { id: newId('ws', deps.clock.now()), name, createdAt: deps.clock.now() }
  await tx.insert(workspaces).values(row)
  return row
}

export async function createProject(
  tx: Tx,
  deps: Pick<Deps, 'clock'>,
  input: { workspaceId: string; name: string; slug: string; allowedOrigins: string[]; color?: string },
): Promise<Project> {
  const row = {
    id: newId('prj', deps.clock.now()),
    workspaceId: input.workspaceId,
    name: input.name,
    slug: input.slug,
    publicKey: newSecret('pk'),
    allowedOrigins: JSON.stringify(input.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, ''))),
    color: input.color ?? '#4f46e5',
    settings: '{}',
    createdAt: deps.clock.now(),
  }
  await tx.insert(projects).values(row)
  return row
}

export async function setAllowedOrigins(tx: Tx, projectId: string, origins: string[]) {
  await tx
    .update(projects)
    .set({ allowedOrigins: JSON.stringify([...new Set(origins.map((o) => o.toLowerCase().replace(/\/$/, '')))]) })
    .where(eq(projects.id, projectId))
}

/** Issues a new public key; the old one stops working at once. */
export async function rotatePublicKey(tx: Tx, projectId: string): Promise<string> {
  const publicKey = newSecret('pk')
  await tx.update(projects).set({ publicKey }).where(eq(projects.id, projectId))
  return publicKey
}

export async function updateProject(
  tx: Tx,
  projectId: string,
  input: { name?: string; color?: string; settings?: Record<string, unknown> },
) {
  const set: Partial<Project> = {}
  if (input.name !== undefined) set.name = input.name
  if (input.color !== undefined) set.color = input.color
  if (input.settings !== undefined) set.settings = JSON.stringify(input.settings)
  if (Object.keys(set).length) await tx.update(projects).set(set).where(eq(projects.id, projectId))
}

/**
 * A new project in a workspace (POST /api/workspaces/:ws/projects): the slug check and the insert
 * share one write, so two requests for the same slug cannot both pass the check.
 */
export async function addProject(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { workspaceId: string; name: string; slug: string; allowedOrigins: string[]; color?: string },
): Promise<Project> {
  return deps.db.write(async (tx) => {
    if (await findProjectBySlug(tx, input.slug)) throw conflict('slug_taken', 'That slug is taken; pick another.')
    return createProject(tx, deps, input)
  })
}

/**
 * A responder's change to a project (PATCH /api/projects/:id), in one write; answers the project
 * as stored. Settings merge shallowly: a form that sends only `retention_days` keeps `surge`, and
 * `retention_days: null` removes the key (back to the default).
 */
export async function changeProject(
  deps: Pick<Deps, 'db'>,
  project: Project,
  input: { name?: string; color?: string; allowedOrigins?: string[]; settings?: Record<string, unknown> },
): Promise<Project> {
  await deps.db.write(async (tx) => {
    if (input.allowedOrigins) await setAllowedOrigins(tx, project.id, input.allowedOrigins)
    const settings = input.settings ? { ...projectSettings(project), ...input.settings } : undefined
    if (settings && settings.retention_days === null) delete settings.retention_days
    await updateProject(tx, project.id, { name: input.name, color: input.color, settings })
  })
  return (await getProject(deps.db.orm, project.workspaceId, project.id))!
}

/** Replaces the project's public key (the old one stops working at once); answers the project as stored. */
export async function rotateProjectKey(deps: Pick<Deps, 'db'>, project: Project): Promise<Project> {
  await deps.db.write((tx) => rotatePublicKey(tx, project.id))
  return (await getProject(deps.db.orm, project.workspaceId, project.id))!
}
