import { useEffect, useState } from 'preact/hooks'
import { api } from '../../api'
import { reportsText } from '../../components/merge-undo'
import { ErrorBanner } from '../../components/ui'
import { useAsync } from '../../hooks'
import { Link } from '../../router'
import type { Cluster, SimilarCluster } from '../../types'

/**
 * Other clusters most like this one (centroid similarity, so across languages as far as the
 * features go): merge one with a click, or select several and merge them at once. Each merge asks
 * first and can be undone.
 */
export function SimilarCard({
  cluster,
  responder,
  onMerge,
}: {
  cluster: Cluster
  responder: boolean
  onMerge: (sources: Cluster[]) => void
}) {
  const list = useAsync(() => api.similarClusters(cluster.id), [cluster.id, cluster.report_count])
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const items = (list.data?.similar ?? []).filter((s) => s.cluster.project_id === cluster.project_id)
  useEffect(() => setPicked(new Set()), [cluster.id])
  const chosen = items.filter((s) => picked.has(s.cluster.id)).map((s) => s.cluster)
  return (
    <section class="card" aria-labelledby="similar-title" data-testid="similar-clusters">
      <div class="card-head">
        <h2 id="similar-title" class="grow">
          Similar clusters
        </h2>
        {responder && chosen.length ? (
          <button class="small primary" onClick={() => onMerge(chosen)}>
            Merge {chosen.length} selected
          </button>
        ) : null}
      </div>
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      {list.data && items.length === 0 ? (
        <p class="faint" style={{ padding: '12px 16px', fontSize: '13px' }}>
          No similar clusters.
        </p>
      ) : null}
      {!list.data && !list.error ? (
        <p class="faint" style={{ padding: '12px 16px', fontSize: '13px' }}>
          Looking…
        </p>
      ) : null}
      <div>
        {items.map((s) => (
          <SimilarRow
            s={s}
            responder={responder}
            picked={picked.has(s.cluster.id)}
            onPick={() =>
              setPicked((p) => {
                const n = new Set(p)
                n.has(s.cluster.id) ? n.delete(s.cluster.id) : n.add(s.cluster.id)
                return n
              })
            }
            onMerge={() => onMerge([s.cluster])}
          />
        ))}
      </div>
    </section>
  )
}

function SimilarRow({
  s,
  responder,
  picked,
  onPick,
  onMerge,
}: {
  s: SimilarCluster
  responder: boolean
  picked: boolean
  onPick: () => void
  onMerge: () => void
}) {
  return (
    <div class="similar-row" data-cluster-id={s.cluster.id}>
      {responder ? (
        <input type="checkbox" checked={picked} onChange={onPick} aria-label={`Select “${s.cluster.title}”`} />
      ) : null}
      <div class="grow" style={{ minWidth: 0 }}>
        <Link class="t" href={`/clusters/${s.cluster.id}`} title={s.cluster.title}>
          {s.cluster.title}
        </Link>
        <div class="sim" title="How alike the two clusters' reports are (centroid similarity)">
          {reportsText(s.cluster.report_count)} · {Math.round(s.similarity * 100)}% similar
          {s.kept_apart ? (
            <span title="Marked as a different problem, or a merge of the two was undone"> · kept apart</span>
          ) : null}
        </div>
      </div>
      {responder ? (
        <button class="small" onClick={onMerge} aria-label={`Merge “${s.cluster.title}” into this cluster`}>
          Merge
        </button>
      ) : null}
    </div>
  )
}
