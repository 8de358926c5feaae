import { useState } from 'preact/hooks'
import { api } from '../../api'
import { attempt, Modal, toast } from '../../components/ui'
import { navigate } from '../../router'
import type { Cluster } from '../../types'
import { ClusterPicker } from './cluster-picker'

/** Moves the picked reports to a new cluster or an existing one. */
export function MoveDialog({
  cluster,
  reportIds,
  onClose,
  onDone,
}: {
  cluster: Cluster
  reportIds: string[]
  onClose: () => void
  onDone: () => void
}) {
  const [title, setTitle] = useState('')
  const move = (target: { to_cluster_id?: string; new_title?: string }) =>
    attempt(async () => {
      const res = await api.moveReports(cluster.id, reportIds, target)
      onClose()
      onDone()
      toast(`Moved ${reportIds.length} report${reportIds.length === 1 ? '' : 's'}`)
      if (target.new_title) navigate(`/clusters/${res.cluster.id}`)
    })
  return (
    <Modal title={`Move ${reportIds.length} report${reportIds.length === 1 ? '' : 's'}`} onClose={onClose}>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault()
          if (title.trim()) void move({ new_title: title.trim() })
        }}
      >
        <input
          class="grow"
          placeholder="Name a new cluster for them…"
          aria-label="New cluster title"
          value={title}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
        />
        <button class="primary" type="submit" disabled={!title.trim()}>
          New cluster
        </button>
      </form>
      <div class="faint" style={{ fontSize: '12px', textAlign: 'center' }}>
        or move them to an existing cluster
      </div>
      <ClusterPicker exclude={cluster.id} label="Target cluster" onPick={(t) => move({ to_cluster_id: t.id })} />
    </Modal>
  )
}
