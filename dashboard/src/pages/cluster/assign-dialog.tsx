import { api } from '../../api'
import { Icon } from '../../components/icons'
import { attempt, ErrorBanner, Modal } from '../../components/ui'
import { useAsync } from '../../hooks'
import { currentWorkspace, useSession } from '../../session'
import type { Cluster, ClusterPage as Page } from '../../types'

/** Assigns the cluster to a responder or owner of the workspace, or unassigns it. */
export function AssignDialog({
  cluster,
  page,
  onClose,
  onDone,
}: {
  cluster: Cluster
  page: Page
  onClose: () => void
  onDone: () => void
}) {
  const session = useSession()
  const ws = currentWorkspace(session)
  const members = useAsync(() => api.members(ws!.id), [ws?.id])
  const assign = (id: string | null) =>
    attempt(
      async () => {
        await api.assignCluster(cluster.id, id)
        onClose()
        onDone()
      },
      id ? 'Assigned' : 'Unassigned',
    )
  const eligible = (members.data?.members ?? []).filter((m) => m.role === 'owner' || m.role === 'responder')
  return (
    <Modal title="Assign to a responder" onClose={onClose}>
      <ErrorBanner error={members.error} />
      <div class="card">
        {eligible.map((m) => (
          <button
            type="button"
            class="ghost"
            style={{ width: '100%', justifyContent: 'flex-start', height: '40px', borderRadius: 0 }}
            onClick={() => assign(m.id)}
          >
            <span class="avatar">{(m.name || m.email).slice(0, 1)}</span>
            <span class="grow" style={{ textAlign: 'left' }}>
              {m.name || m.email} {m.id === session.me?.id ? <span class="faint">(you)</span> : null}
            </span>
            {page.assignee?.id === m.id ? <Icon name="check" /> : null}
          </button>
        ))}
      </div>
      {page.assignee ? (
        <div class="form-actions">
          <button onClick={() => assign(null)}>Unassign</button>
        </div>
      ) : null}
    </Modal>
  )
}
