import type { Tx } from '../../db/client.js'
import type { surges } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { notifyWebhooks, type WebhookMessage } from '../notifications/index.js'
import type { Project } from '../projects/index.js'
import { deployNote } from './deploys.js'

type Surge = typeof surges.$inferSelect

/** Quoted and cut to 80 code points (never half an emoji). */
const quote = (text: string) => {
  const chars = [...text]
  return `“${chars.length > 80 ? chars.slice(0, 79).join('') + '…' : text}”`
}

/** The alert, as every project webhook subscribed to `surge` receives it (once per surge). */
export function surgeMessage(
  project: Pick<Project, 'id' | 'name'>,
  surge: Surge,
  clusterTitle: string | undefined,
  publicUrl?: string,
): WebhookMessage {
  const deploy = surge.deployId
    ? deployNote(
        { id: surge.deployId, release: surge.deployRelease!, environment: null, createdAt: surge.deployedAt! },
        surge.startedAt,
      )
    : undefined
  const what =
    surge.scope === 'cluster'
      ? `about ${quote(clusterTitle ?? 'one problem')}`
      : surge.scope === 'topic'
        ? `mentioning ${quote(surge.topic ?? '')}`
        : 'across many different problems'
  const headline =
    surge.scope === 'cluster'
      ? 'about one problem'
      : surge.scope === 'topic'
        ? `mentioning ${quote(surge.topic ?? '')}`
        : 'at once'
  const title = `Surge in ${project.name}: ${surge.reports} reports ${headline} in ${surge.windowMinutes} min`
  const lines = [
    `${surge.reports} reports from ${surge.reporters} different people ${what} ` +
      `in the last ${surge.windowMinutes} minutes (usually about ${surge.expected.toFixed(1)}).`,
  ]
  if (deploy) lines.push(`It ${deploy.text}.`)
  const base = publicUrl?.replace(/\/$/, '')
  const url = base
    ? surge.clusterId
      ? `${base}/dashboard/clusters/${surge.clusterId}`
      : `${base}/dashboard/`
    : undefined
  const fields = [
    { label: 'Reports', value: String(surge.reports) },
    { label: 'Reporters', value: String(surge.reporters) },
    {
      label: 'Scope',
      value:
        surge.scope === 'cluster'
          ? `cluster ${surge.clusterId}`
          : surge.scope === 'topic'
            ? `topic ${quote(surge.topic ?? '')}`
            : 'whole project',
    },
  ]
  if (deploy) fields.push({ label: 'After deploy', value: `${deploy.release} (${deploy.minutesAfter} min before)` })
  else if (surge.release) fields.push({ label: 'Release', value: surge.release })
  return {
    event: 'surge',
    title,
    text: lines.join('\n'),
    url,
    fields,
    at: surge.startedAt,
    data: {
      surge_id: surge.id,
      project_id: surge.projectId,
      scope: surge.scope,
      cluster_id: surge.clusterId,
      cluster_title: clusterTitle ?? null,
      topic: surge.topic,
      started_at: new Date(surge.startedAt).toISOString(),
      window_minutes: surge.windowMinutes,
      reports: surge.reports,
      reporters: surge.reporters,
      expected: Number(surge.expected.toFixed(3)),
      release: surge.release,
      deploy: deploy
        ? {
            id: deploy.deployId,
            release: deploy.release,
            deployed_at: new Date(deploy.deployedAt).toISOString(),
            minutes_before: deploy.minutesAfter,
          }
        : null,
    },
  }
}

export async function notifySurge(
  tx: Tx,
  deps: Deps,
  project: Project,
  surge: Surge,
  clusterTitle: string | undefined,
): Promise<string[]> {
  return notifyWebhooks(
    tx,
    deps,
    project.id,
    `surge:${surge.id}`,
    surgeMessage(project, surge, clusterTitle, deps.config.publicUrl),
  )
}
