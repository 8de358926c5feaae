import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../../api'
import { attempt } from '../../components/ui'
import type { Cluster } from '../../types'

export function RenameForm({
  cluster,
  onDone,
  onCancel,
}: {
  cluster: Cluster
  onDone: () => void
  onCancel: () => void
}) {
  const [title, setTitle] = useState(cluster.title)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])
  return (
    <form
      class="title-edit"
      onSubmit={(e) => {
        e.preventDefault()
        const t = title.trim()
        if (!t) return
        if (t === cluster.title) return onCancel()
        void attempt(() => api.renameCluster(cluster.id, t), 'Renamed').then((ok) => ok && onDone())
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          onCancel()
        }
      }}
    >
      <input
        aria-label="Cluster title"
        value={title}
        maxLength={200}
        ref={input}
        onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
      />
      <button class="primary" type="submit" disabled={!title.trim()}>
        Save
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  )
}
