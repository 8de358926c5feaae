import { useState } from 'preact/hooks'
import { api } from '../../api'
import { TopBar } from '../../components/layout'
import { EmptyState, ErrorBanner, fullTime, ImpactPill, INCIDENT_LABEL, IncidentStatusPill, Skeleton, Time, toast } from '../../components/ui'
import { useAsync } from '../../hooks'
import { Link, type RouteProps } from '../../router'
import { can, useSession } from '../../session'
import type { IncidentStatus } from '../../types'

export function IncidentPage({ params }: RouteProps) {
  const session = useSession()
  const page = useAsync(() => api.incident(params.id!), [params.id])
  const incident = page.data?.incident
  if (page.error && !incident)
    return (
      <>
        <TopBar crumbs={<Link href="/incidents">Incidents</Link>} />
        <div class="content">
          {page.error.status === 404 ? <EmptyState icon="search" title="Incident not found" /> : <ErrorBanner error={page.error} onRetry={page.reload} />}
        </div>
      </>
    )
  if (!incident)
    return (
      <div class="content">
        <Skeleton rows={3} />
      </div>
    )
  return (
    <>
      <TopBar
        crumbs={
          <>
            <Link href="/incidents">Incidents</Link>
            <span aria-hidden="true">/</span>
            <span class="nowrap">{incident.title}</span>
          </>
        }
      />
      <div class="content">
        <div class="page-head">
          <div class="grow">
            <div class="row" style={{ marginBottom: '6px' }}>
              <IncidentStatusPill status={incident.status} />
              <ImpactPill impact={incident.impact} />
              <span class="pill plain">{incident.visibility === 'private' ? 'Private' : 'Public'}</span>
            </div>
            <h1>{incident.title}</h1>
            <p class="faint" style={{ marginTop: '4px', fontSize: '13px' }}>
              Declared {fullTime(incident.created_at)} · updated <Time iso={incident.updated_at} />
            </p>
          </div>
        </div>
        <div class="grid-2">
          <div class="stack" style={{ gap: '20px' }}>
            {can('responder', session) && incident.status !== 'resolved' ? <UpdateForm id={incident.id} current={incident.status} onPosted={page.reload} /> : null}
            <section class="card" aria-labelledby="updates-title">
              <div class="card-head">
                <h2 id="updates-title">Updates</h2>
              </div>
              <div class="card-body">
                <ol class="timeline-list">
                  {incident.updates.map((u) => (
                    <li class={u.status}>
                      <div class="row" style={{ marginBottom: '4px' }}>
                        <strong style={{ fontSize: '13px' }}>{INCIDENT_LABEL[u.status]}</strong>
                        <span class="faint" style={{ fontSize: '12px' }} title={fullTime(u.created_at)}>
                          <Time iso={u.created_at} />
                        </span>
                      </div>
                      <p class="wrap-anywhere">{u.message}</p>
                      {u.internal_note ? (
                        <p class="faint wrap-anywhere" style={{ fontSize: '12.5px', marginTop: '4px' }}>
                          Internal: {u.internal_note}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </div>
            </section>
          </div>
          <aside class="card">
            <div class="card-head">
              <h2>Customer reports</h2>
            </div>
            <div>
              {incident.clusters.length === 0 ? <p class="faint" style={{ padding: '14px 16px' }}>No clusters linked.</p> : null}
              {incident.clusters.map((c) => (
                <Link href={`/clusters/${c.id}`} class="row" style={{ padding: '10px 16px', borderBottom: '1px solid var(--border)', color: 'var(--text)' }}>
                  <span class="grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                    {c.title}
                  </span>
                  <span class="faint">{c.report_count}</span>
                </Link>
              ))}
            </div>
          </aside>
        </div>
      </div>
    </>
  )
}

function UpdateForm({ id, current, onPosted }: { id: string; current: IncidentStatus; onPosted: () => void }) {
  const [status, setStatus] = useState<IncidentStatus>(current)
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await api.postIncidentUpdate(id, { status, message })
      setMessage('')
      toast(status === 'resolved' ? 'Incident resolved' : 'Update posted')
      onPosted()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card card-body stack" onSubmit={submit} aria-label="Post an update">
      <ErrorBanner error={error} />
      <div class="segmented" role="group" aria-label="New status">
        {(['investigating', 'identified', 'monitoring', 'resolved'] as const).map((s) => (
          <button type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {INCIDENT_LABEL[s]}
          </button>
        ))}
      </div>
      <label class="field">
        Public update
        <textarea name="update" required maxLength={5000} rows={3} placeholder={status === 'resolved' ? 'What was fixed, and what customers should do now…' : 'What we know now…'} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="form-actions">
        <button class="primary" type="submit" disabled={busy || !message.trim()}>
          {status === 'resolved' ? 'Resolve incident' : 'Post update'}
        </button>
      </div>
    </form>
  )
}
