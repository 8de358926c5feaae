// A topic surge: one word that many people used in the last minutes, across several clusters. It
// is shown as what it is (the word, the clusters, reports and people across them), never as a
// badge on one of the clusters, with a one-click merge of the clusters it spans (one undoable merge,
// POST /api/clusters/merge, into the cluster with the most reports).
import { api } from '../api'
import { Link } from '../router'
import type { TopicSurge } from '../types'
import { Icon } from './icons'
import { mergedToast } from './merge-undo'
import { attempt, Time, num } from './ui'

export function TopicSurgeCard({
  surge,
  canMerge,
  here,
  onMerged,
}: {
  surge: TopicSurge
  canMerge: boolean
  here?: string
  onMerged: () => void
}) {
  const clusters = surge.clusters
  const target = [...clusters].sort((a, b) => b.report_count - a.report_count)[0]
  const spans = clusters.length === 1 ? '1 cluster' : `${clusters.length} clusters`
  const reports = num(surge.total_reports)
  const people = num(surge.people)
  return (
    <div class="alert warn topic-surge" role="alert" data-testid="topic-surge" style={{ marginBottom: '14px' }}>
      <Icon name="bolt" />
      <div class="grow stack" style={{ gap: '6px' }}>
        <div>
          <strong>Surging word “{surge.topic}”</strong> — {reports} reports from {people} people across {spans},
          starting <Time iso={surge.since} />
          {surge.deploy ? `; it ${surge.deploy.text}` : ''}.
        </div>
        <ul class="topic-clusters" style={{ margin: 0, paddingLeft: '18px' }}>
          {clusters.map((c) => (
            <li key={c.id}>
              {c.id === here ? <strong>{c.title}</strong> : <Link href={`/clusters/${c.id}`}>{c.title}</Link>}{' '}
              <span class="faint">
                {' '}
                ·{' '}
                {c.reports >= c.report_count
                  ? `${num(c.reports)} ${c.reports === 1 ? 'report' : 'reports'}`
                  : `${num(c.reports)} of its ${num(c.report_count)} reports`}
              </span>
            </li>
          ))}
        </ul>
        {canMerge && target && clusters.length > 1 ? (
          <div>
            <button
              class="small"
              onClick={() =>
                confirm(
                  `Merge these ${clusters.length} clusters into “${target.title}”? Their reports become one cluster.`,
                ) &&
                attempt(async () => {
                  const { merge } = await api.mergeClusters(
                    target.id,
                    clusters.filter((c) => c.id !== target.id).map((c) => c.id),
                  )
                  mergedToast(merge, onMerged)
                  onMerged()
                })
              }
            >
              <Icon name="merge" /> Merge these {clusters.length} clusters
            </button>
          </div>
        ) : null}
      </div>
    </div>
  )
}
