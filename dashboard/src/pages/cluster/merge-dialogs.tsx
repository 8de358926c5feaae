import { api } from '../../api'
import { useState } from 'preact/hooks'
import { clustersText, mergedToast, reportsText } from '../../components/merge-undo'
import { attempt, Modal } from '../../components/ui'
import { navigate } from '../../router'
import type { Cluster } from '../../types'
import { ClusterPicker } from './cluster-picker'

/** Asks before merging `sources` into `target`, naming what moves; then offers Undo. */
export function MergeConfirm({
  sources,
  target,
  onClose,
  onDone,
}: {
  sources: Cluster[]
  target: Cluster
  onClose: () => void
  onDone: () => unknown
}) {
  const moving = sources.reduce((n, c) => n + c.report_count, 0)
  const from = sources.length === 1 ? `“${sources[0]!.title}”` : clustersText(sources.length)
  return (
    <Modal
      title={sources.length === 1 ? 'Merge this cluster?' : `Merge ${clustersText(sources.length)}?`}
      onClose={onClose}
    >
      <p>
        Move {reportsText(moving)} from {from} into “{target.title}” ({reportsText(target.report_count)})? New reports
        like them will follow. You can undo this for 10 minutes.
      </p>
      {sources.length > 1 ? (
        <ul style={{ margin: 0, paddingLeft: '18px', fontSize: '13px' }}>
          {sources.map((c) => (
            <li>
              {c.title} <span class="faint">· {reportsText(c.report_count)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="form-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class="primary"
          onClick={() =>
            attempt(async () => {
              const res = await api.mergeClusters(
                target.id,
                sources.map((c) => c.id),
              )
              onClose()
              await onDone()
              mergedToast(res.merge, onDone)
            })
          }
        >
          Merge {reportsText(moving)}
        </button>
      </div>
    </Modal>
  )
}

/** Merges this cluster into one picked from a search, or marks a pair as different problems. */
export function MergeDialog({ cluster, onClose }: { cluster: Cluster; onClose: () => void }) {
  const [target, setTarget] = useState<Cluster>()
  const all = cluster.report_count === 1 ? 'its 1 report' : `all ${cluster.report_count} reports`
  if (target)
    return (
      <Modal title="Merge these clusters?" onClose={onClose}>
        <p>
          Move {reportsText(cluster.report_count)} from “{cluster.title}” into “{target.title}” (
          {reportsText(target.report_count)})? This cluster then points to that one.
        </p>
        <div class="form-actions">
          <button type="button" onClick={() => setTarget(undefined)}>
            Back
          </button>
          <button
            type="button"
            class="primary"
            onClick={() =>
              attempt(async () => {
                const res = await api.mergeCluster(cluster.id, target.id)
                onClose()
                navigate(`/clusters/${target.id}`)
                mergedToast(res.merge, () => navigate(`/clusters/${cluster.id}`))
              })
            }
          >
            Merge {reportsText(cluster.report_count)}
          </button>
        </div>
      </Modal>
    )
  return (
    <Modal title="Merge into another cluster" onClose={onClose}>
      <p class="muted" style={{ fontSize: '13px' }}>
        Pick a cluster to move {all} into; new reports like them will follow and Earshot will not split them apart
        again. Or mark a cluster as a different problem: Earshot will then never merge the two on its own.
      </p>
      <ClusterPicker
        exclude={cluster.id}
        label="Target cluster"
        secondary={{
          label: 'Not related',
          onPick: (other) => attempt(() => api.markNotRelated(cluster.id, other.id), 'Marked as a different problem'),
        }}
        onPick={setTarget}
      />
    </Modal>
  )
}
