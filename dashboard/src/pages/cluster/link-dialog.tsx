import { api } from '../../api'
import { attempt, ErrorBanner, IncidentStatusPill, Modal } from '../../components/ui'
import { useAsync } from '../../hooks'
import type { Cluster } from '../../types'

/** Links the cluster to an open incident of the same project. */
export function LinkIncidentDialog({
  cluster,
  onClose,
  onDone,
}: {
  cluster: Cluster
  onClose: () => void
  onDone: () => void
}) {
  const list = useAsync(() => api.incidents(), [])
  const open = (list.data?.incidents ?? []).filter(
    (i) => i.status !== 'resolved' && i.project_id === cluster.project_id,
  )
  return (
    <Modal title="Link to an existing incident" onClose={onClose}>
      <ErrorBanner error={list.error} />
      {list.data && open.length === 0 ? (
        <p class="muted">No open incidents in this project. Declare one instead.</p>
      ) : null}
      <div class="card">
        {open.map((i) => (
          <button
            type="button"
            class="ghost"
            style={{ width: '100%', justifyContent: 'flex-start', height: '40px', borderRadius: 0 }}
            onClick={() =>
              attempt(async () => {
                await api.linkIncident(cluster.id, i.id)
                onClose()
                onDone()
              }, 'Linked to the incident')
            }
          >
            <IncidentStatusPill status={i.status} />
            <span class="grow" style={{ textAlign: 'left', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {i.title}
            </span>
          </button>
        ))}
      </div>
    </Modal>
  )
}
