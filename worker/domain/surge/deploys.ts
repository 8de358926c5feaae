import { and, desc, eq, gte, lte } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { deploys } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'

export type Deploy = typeof deploys.$inferSelect

/** Records a deploy marker (from CI: `POST /v1/deploys`). */
export async function recordDeploy(
  deps: Deps,
  projectId: string,
  input: { release: string; environment?: string | null; url?: string | null },
): Promise<Deploy> {
  const now = deps.clock.now()
  const row: Deploy = {
    id: newId('dep', now),
    projectId,
    release: input.release,
    environment: input.environment ?? null,
    url: input.url ?? null,
    createdAt: now,
  }
  await deps.db.write((tx) => tx.insert(deploys).values(row))
  return row
}

/** The latest deploy of the project at or before `at`, no older than `lookbackMs`. */
export async function latestDeployBefore(
  db: Reader,
  projectId: string,
  at: number,
  lookbackMs = 24 * 3_600_000,
): Promise<Deploy | undefined> {
  return db
    .select()
    .from(deploys)
    .where(and(eq(deploys.projectId, projectId), lte(deploys.createdAt, at), gte(deploys.createdAt, at - lookbackMs)))
    .orderBy(desc(deploys.createdAt))
    .limit(1)
    .get()
}

export async function listDeploys(db: Reader, projectId: string, limit = 50): Promise<Deploy[]> {
  return db
    .select()
    .from(deploys)
    .where(eq(deploys.projectId, projectId))
    .orderBy(desc(deploys.createdAt))
    .limit(limit)
    .all()
}

export interface DeployNote {
  deployId: string
  release: string
  environment: string | null
  deployedAt: number
  /** Whole minutes between the deploy and the start (of a surge, of a cluster). */
  minutesAfter: number
  /** "began 7 minutes after release web@1.4.2" */
  text: string
}

export function deployNote(
  deploy: Pick<Deploy, 'id' | 'release' | 'environment' | 'createdAt'>,
  startedAt: number,
): DeployNote {
  const minutesAfter = Math.max(0, Math.floor((startedAt - deploy.createdAt) / 60_000))
  const unit = minutesAfter === 1 ? 'minute' : 'minutes'
  return {
    deployId: deploy.id,
    release: deploy.release,
    environment: deploy.environment,
    deployedAt: deploy.createdAt,
    minutesAfter,
    text: `began ${minutesAfter} ${unit} after release ${deploy.release}`,
  }
}

/**
 * For the dashboard: "began N minutes after release X" for anything that started at `startedAt`
 * (a surge's started_at, a cluster's first_seen_at), or undefined when no deploy preceded it
 * within the lookback.
 */
export async function beganAfterDeploy(
  db: Reader,
  projectId: string,
  startedAt: number,
  lookbackMs = 24 * 3_600_000,
): Promise<DeployNote | undefined> {
  const deploy = await latestDeployBefore(db, projectId, startedAt, lookbackMs)
  return deploy ? deployNote(deploy, startedAt) : undefined
}
