import { useState } from 'preact/hooks'
import { api } from '../../api'
import { useAsync } from '../../hooks'
import type { Cluster } from '../../types'

/** Search for another cluster to act on (merge into, move reports to, mark as unrelated). */
export function ClusterPicker({
  exclude,
  onPick,
  label,
  secondary,
}: {
  exclude: string
  onPick: (c: Cluster) => void
  label: string
  secondary?: { label: string; onPick: (c: Cluster) => void }
}) {
  const [q, setQ] = useState('')
  const list = useAsync(() => api.clusters({ q: q.trim() || undefined, status: '', limit: 20, project_id: '' }), [q])
  const options = (list.data?.clusters ?? []).filter((c) => c.id !== exclude)
  return (
    <div class="stack" style={{ gap: '8px' }}>
      <input
        type="search"
        placeholder="Search clusters by what customers wrote…"
        aria-label={label}
        value={q}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
      />
      <div class="card" style={{ maxHeight: '280px', overflowY: 'auto' }}>
        {options.length === 0 ? (
          <p class="faint" style={{ padding: '12px' }}>
            {list.loading ? 'Searching…' : 'No other clusters found.'}
          </p>
        ) : null}
        {options.map((c) => (
          <div class="row" style={{ borderBottom: '1px solid var(--border)', paddingRight: '8px' }}>
            <button
              type="button"
              class="ghost grow"
              style={{
                justifyContent: 'flex-start',
                height: 'auto',
                padding: '8px 12px',
                borderRadius: 0,
                minWidth: 0,
              }}
              onClick={() => onPick(c)}
            >
              <span class="grow" style={{ textAlign: 'left', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {c.title}
              </span>
              <span class="faint">{c.report_count}</span>
            </button>
            {secondary ? (
              <button
                type="button"
                class="small"
                onClick={() => secondary.onPick(c)}
                aria-label={`${secondary.label}: ${c.title}`}
              >
                {secondary.label}
              </button>
            ) : null}
          </div>
        ))}
      </div>
    </div>
  )
}
