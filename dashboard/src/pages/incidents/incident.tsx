import { useState } from 'preact/hooks'
import { TopBar } from '../../components/layout'
import { attempt, EmptyState, ErrorBanner, fullTime, IMPACT_LABEL, ImpactPill, INCIDENT_LABEL, IncidentStatusPill, Skeleton, Time, toast } from '../../components/ui'
import { api } from '../../api'
import { useAsync } from '../../hooks'
import { Link, type RouteProps } from '../../router'
import { can, projectName, useSession } from '../../session'
import type { IncidentImpact, IncidentStatus } from '../../types'
import { COMPONENT_LABEL, duration, incidentsApi, type AffectedInput, type ComponentStatus, type IncidentDetail, type Learning, type StatusComponent } from './client'

/** The incident page: post updates (with internal notes), resolve, tell everyone affected, and learn. */
export function IncidentPage({ params }: RouteProps) {
  const session = useSession()
  const page = useAsync(() => incidentsApi.get(params.id!), [params.id])
  const learning = useAsync(() => incidentsApi.learning(params.id!), [params.id])
  const incident = page.data?.incident
  const components = useAsync(async () => (incident ? (await incidentsApi.components(incident.project_id)).components : []), [incident?.project_id])
  const reload = () => Promise.all([page.reload(), learning.reload()])

  if (page.error && !incident)
    return (
      <>
        <TopBar crumbs={<Link href="/incidents">Incidents</Link>} />
        <div class="content">{page.error.status === 404 ? <EmptyState icon="search" title="Incident not found" /> : <ErrorBanner error={page.error} onRetry={page.reload} />}</div>
      </>
    )
  if (!incident)
    return (
      <div class="content">
        <Skeleton rows={3} />
      </div>
    )
  const responder = can('responder', session)
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
      >
        <div class="row">
          {incident.status_page_url ? (
            <a class="btn" style={{ height: "26px", padding: "0 8px", fontSize: "12.5px" }} href={incident.status_page_url} target="_blank" rel="noopener">
              Status page ↗
            </a>
          ) : null}
          <a class="btn" style={{ height: "26px", padding: "0 8px", fontSize: "12.5px" }} href={incidentsApi.exportUrl(incident.id)} download>
            Export Markdown
          </a>
        </div>
      </TopBar>
      <div class="content">
        <div class="page-head">
          <div class="grow">
            <div class="row" style={{ marginBottom: '6px', flexWrap: 'wrap' }}>
              <IncidentStatusPill status={incident.status} />
              <ImpactPill impact={incident.impact} />
              <span class={`pill plain`} title={incident.visibility === 'private' ? 'Only customers with a status-page token see it' : 'On the status page, feeds, e-mails and webhooks'}>
                {incident.visibility === 'private' ? 'Private' : 'Public'}
              </span>
              <span class="faint" style={{ fontSize: '12.5px' }}>{projectName(incident.project_id)}</span>
            </div>
            <h1>{incident.title}</h1>
            <p class="faint" style={{ marginTop: '4px', fontSize: '13px' }}>
              Declared {fullTime(incident.created_at)} · updated <Time iso={incident.updated_at} />
            </p>
          </div>
          {responder ? <DetailsControls incident={incident} onChanged={page.reload} /> : null}
        </div>
        {incident.may_be_back_at && incident.status === 'resolved' ? <MayBeBack incident={incident} responder={responder} onChanged={reload} /> : null}
        <div class="grid-2">
          <div class="stack" style={{ gap: '20px' }}>
            {/* While it is active, acting comes first; once resolved, learning does. */}
            {incident.status === 'resolved' && learning.data ? <LearningCard l={learning.data.learning} /> : null}
            {responder && incident.status !== 'resolved' ? <UpdateForm incident={incident} components={components.data ?? []} onPosted={reload} /> : null}
            <Timeline incident={incident} />
            {responder ? <NotifyAffected incident={incident} reporters={learning.data?.learning.reporters ?? 0} onSent={reload} /> : null}
            {incident.status !== 'resolved' && learning.data ? <LearningCard l={learning.data.learning} /> : null}
            {responder && incident.status === 'resolved' ? <UpdateForm incident={incident} components={components.data ?? []} onPosted={reload} /> : null}
          </div>
          <aside class="stack" style={{ gap: '20px' }}>
            <section class="card" aria-labelledby="reports-title">
              <div class="card-head">
                <h2 id="reports-title">Customer reports</h2>
              </div>
              <div>
                {incident.clusters.length === 0 ? <p class="faint" style={{ padding: '14px 16px' }}>No clusters linked.</p> : null}
                {incident.clusters.map((c) => (
                  <Link href={`/clusters/${c.id}`} class="row" style={{ padding: '10px 16px', borderBottom: '1px solid var(--border)', color: 'var(--text)' }}>
                    <span class="grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {c.title}
                    </span>
                    <span class="faint" title={`${c.report_count} reports from ${c.reporter_count} reporters`}>
                      {c.report_count}
                    </span>
                  </Link>
                ))}
              </div>
            </section>
            <section class="card" aria-labelledby="components-title">
              <div class="card-head">
                <h2 id="components-title">Components</h2>
              </div>
              <div class="card-body">
                {incident.components.length === 0 ? (
                  <p class="faint">No component marked. {responder ? 'Choose them with the next update.' : ''}</p>
                ) : (
                  <dl class="kv">
                    {incident.components.map((c) => (
                      <>
                        <dt>{c.name}</dt>
                        {/* Resolved: what the public page shows now (the component's own status), and what it was. */}
                        {incident.status === 'resolved' ? (
                          <dd>
                            {COMPONENT_LABEL[components.data?.find((x) => x.id === c.id)?.status ?? 'operational']} <span class="faint">(was {COMPONENT_LABEL[c.status]})</span>
                          </dd>
                        ) : (
                          <dd>{COMPONENT_LABEL[c.status]}</dd>
                        )}
                      </>
                    ))}
                  </dl>
                )}
              </div>
            </section>
            <section class="card" aria-labelledby="told-title">
              <div class="card-head">
                <h2 id="told-title">Reporters told</h2>
              </div>
              <div class="card-body">
                <p style={{ fontSize: '13px' }}>
                  {incident.notices.total === 0
                    ? incident.status === 'resolved'
                      ? 'No reporter left an anonymous id to tell.'
                      : 'When you resolve, everyone who reported it is told in the app (and by e-mail if they left one).'
                    : `${incident.notices.total} in-app notice${incident.notices.total === 1 ? '' : 's'}, ${incident.notices.seen} seen.`}
                </p>
              </div>
            </section>
          </aside>
        </div>
      </div>
    </>
  )
}

function DetailsControls({ incident, onChanged }: { incident: IncidentDetail; onChanged: () => void }) {
  const [busy, setBusy] = useState(false)
  async function change(input: { impact?: IncidentImpact; visibility?: 'public' | 'private' }, text: string) {
    setBusy(true)
    if (await attempt(() => incidentsApi.patch(incident.id, input), text)) onChanged()
    setBusy(false)
  }
  return (
    <div class="row" style={{ alignSelf: 'flex-start', gap: '8px' }}>
      <label class="sr-only" for="impact-select">
        Impact
      </label>
      <select id="impact-select" disabled={busy} value={incident.impact} onChange={(e) => change({ impact: (e.target as HTMLSelectElement).value as IncidentImpact }, 'Impact changed')}>
        {(['none', 'minor', 'major', 'critical'] as const).map((i) => (
          <option value={i}>{IMPACT_LABEL[i]} impact</option>
        ))}
      </select>
      <button
        class="small"
        disabled={busy}
        onClick={() => {
          const next = incident.visibility === 'public' ? 'private' : 'public'
          if (next === 'public' && !confirm('Make this incident public? It will appear on the status page, in feeds and in the widget.')) return
          void change({ visibility: next }, next === 'public' ? 'Incident is public' : 'Incident is private')
        }}
      >
        {incident.visibility === 'public' ? 'Make private' : 'Make public'}
      </button>
    </div>
  )
}

function LearningCard({ l }: { l: Learning }) {
  const since = (iso: string | null) => (iso && l.first_report_at ? duration(Date.parse(iso) - Date.parse(l.first_report_at)) : '—')
  return (
    <section class="card" aria-labelledby="learning-title">
      <div class="card-head">
        <h2 id="learning-title">Learning</h2>
      </div>
      <div class="grid-4" style={{ borderBottom: '1px solid var(--border)' }}>
        <div class="stat">
          <div class="label">Time to detect</div>
          <div class="value">{duration(l.time_to_detect_ms)}</div>
        </div>
        <div class="stat">
          <div class="label">To first public update</div>
          <div class="value">{duration(l.time_to_first_update_ms)}</div>
        </div>
        <div class="stat">
          <div class="label">Customer impact</div>
          <div class="value">{l.resolved_at ? duration(l.customer_impact_ms) : 'ongoing'}</div>
        </div>
        <div class="stat">
          <div class="label">Reports · reporters</div>
          <div class="value">
            {l.reports} · {l.reporters}
          </div>
        </div>
      </div>
      <div class="card-body">
        <dl class="kv">
          <dt>First report</dt>
          <dd>{l.first_report_at ? fullTime(l.first_report_at) : 'No customer report linked'}</dd>
          <dt>Declared</dt>
          <dd>
            {fullTime(l.declared_at)} <span class="faint">({since(l.declared_at)} after the first report)</span>
          </dd>
          <dt>First public update</dt>
          <dd>{l.first_public_update_at ? <>{fullTime(l.first_public_update_at)} <span class="faint">({since(l.first_public_update_at)})</span></> : 'Private incident: none'}</dd>
          <dt>Resolved</dt>
          <dd>{l.resolved_at ? <>{fullTime(l.resolved_at)} <span class="faint">({since(l.resolved_at)})</span></> : 'Not yet'}</dd>
          <dt>Releases</dt>
          <dd>{l.releases.length ? l.releases.map((r) => `${r.release} (${r.reports})`).join(', ') : 'None recorded'}</dd>
          <dt>“Me too”</dt>
          <dd>{l.affected_presses} pressed “I’m affected too”</dd>
        </dl>
      </div>
    </section>
  )
}

function Timeline({ incident }: { incident: IncidentDetail }) {
  return (
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
              <p class="wrap-anywhere" style={{ whiteSpace: 'pre-wrap' }}>
                {u.message}
              </p>
              {u.internal_note ? (
                <p class="wrap-anywhere" style={{ fontSize: '12.5px', marginTop: '6px', padding: '6px 10px', background: 'var(--sunken)', borderRadius: '6px', whiteSpace: 'pre-wrap' }}>
                  <strong>Internal note</strong> <span class="faint">(never shown to customers)</span>: {u.internal_note}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      </div>
    </section>
  )
}

function UpdateForm({ incident, components, onPosted }: { incident: IncidentDetail; components: StatusComponent[]; onPosted: () => void }) {
  const [status, setStatus] = useState<IncidentStatus>(incident.status === 'resolved' ? 'monitoring' : incident.status)
  const [message, setMessage] = useState('')
  const [note, setNote] = useState('')
  const initial = Object.fromEntries(incident.components.map((c) => [c.id, c.status])) as Record<string, ComponentStatus>
  const [affected, setAffected] = useState<Record<string, ComponentStatus>>(initial)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const changedComponents = JSON.stringify(affected) !== JSON.stringify(initial)
  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const list: AffectedInput = Object.entries(affected)
        .filter(([, s]) => s !== 'operational')
        .map(([component_id, s]) => ({ component_id, status: s as AffectedInput[number]['status'] }))
      await incidentsApi.postUpdate(incident.id, { status, message, internal_note: note.trim() || undefined, components: changedComponents ? list : undefined })
      setMessage('')
      setNote('')
      toast(status === 'resolved' ? 'Incident resolved — reporters are being told' : 'Update posted to every channel')
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
      {incident.status === 'resolved' ? <p class="faint" style={{ fontSize: '13px' }}>This incident is resolved. Posting an update reopens it.</p> : null}
      <div class="segmented" role="group" aria-label="New status">
        {(['investigating', 'identified', 'monitoring', 'resolved'] as const).map((s) => (
          <button type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {INCIDENT_LABEL[s]}
          </button>
        ))}
      </div>
      <label class="field">
        <span>
          Public update <span class="hint">— status page, feeds, widget, subscribers’ e-mail and webhooks</span>
        </span>
        <textarea name="update" required maxLength={5000} rows={3} placeholder={status === 'resolved' ? 'What was fixed, and what customers should do now…' : 'What we know now…'} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label class="field">
        <span>
          Internal note <span class="hint">— optional, stays in the dashboard</span>
        </span>
        <textarea name="internal_note" maxLength={5000} rows={2} placeholder="Context for the team: hypotheses, who is on it, links…" value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      </label>
      {components.length ? (
        <fieldset class="stack" style={{ border: 0, padding: 0, margin: 0, gap: '6px' }}>
          <legend class="faint" style={{ fontSize: '12.5px', marginBottom: '6px' }}>
            Affected components
          </legend>
          {components.map((c) => (
            <label class="row" style={{ fontSize: '13px' }}>
              <span class="grow">{c.name}</span>
              <select value={affected[c.id] ?? 'operational'} onChange={(e) => setAffected({ ...affected, [c.id]: (e.target as HTMLSelectElement).value as ComponentStatus })}>
                {(Object.keys(COMPONENT_LABEL) as ComponentStatus[]).map((s) => (
                  <option value={s}>{COMPONENT_LABEL[s]}</option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      ) : null}
      <div class="form-actions">
        <button class="primary" type="submit" disabled={busy || !message.trim()}>
          {status === 'resolved' ? 'Resolve incident' : 'Post update'}
        </button>
      </div>
    </form>
  )
}

function NotifyAffected({ incident, reporters, onSent }: { incident: IncidentDetail; reporters: number; onSent: () => void }) {
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    try {
      const r = await incidentsApi.notifyAffected(incident.id, message)
      toast(notifiedText(r))
      setMessage('')
      onSent()
    } catch (err) {
      toast((err as Error).message, 'error')
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card card-body stack" onSubmit={submit} aria-labelledby="notify-title">
      <h2 id="notify-title" style={{ fontSize: '14px' }}>
        Message everyone affected
      </h2>
      <p class="faint" style={{ fontSize: '13px' }}>
        Goes to the {reporters} customer{reporters === 1 ? '' : 's'} who reported this or pressed “notify me”: once in the widget in their browser, and by e-mail to those who left an address. It does not go to the status page.
      </p>
      <label class="field">
        Message
        <textarea required maxLength={2000} rows={2} value={message} placeholder="e.g. Orders placed during the incident were not charged; you can retry now." onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="form-actions">
        <button type="submit" disabled={busy || !message.trim() || reporters === 0}>
          Send to {reporters} affected
        </button>
      </div>
    </form>
  )
}

/** Never "sent" for e-mails that cannot leave: without an e-mail provider they wait in the outbox. */
export function notifiedText(r: { notices: number; emails: number; email_configured?: boolean }): string {
  const notices = `${r.notices} in-app notice${r.notices === 1 ? '' : 's'}`
  const emails = `${r.emails} e-mail${r.emails === 1 ? '' : 's'}`
  if (r.email_configured === false && r.emails > 0) return `Sent: ${notices}. Queued: ${emails}: e-mail is not configured yet (see Outbox)`
  return `Sent: ${notices}, ${emails}`
}

/**
 * A resolved incident whose clusters got new reports: say so, and let a responder reopen it (a new
 * public update, written here) or dismiss the mark.
 */
function MayBeBack({ incident, responder, onChanged }: { incident: IncidentDetail; responder: boolean; onChanged: () => unknown }) {
  const [reopening, setReopening] = useState(false)
  const [message, setMessage] = useState('We are seeing new reports about this problem and are looking into it again.')
  const n = incident.reports_since_resolved ?? 0
  return (
    <div class="notice back" role="status" data-testid="may-be-back">
      <span class="pill back">May be back</span>
      <span class="grow">
        {n === 1 ? '1 new report' : `${n} new reports`} since it was resolved (first <Time iso={incident.may_be_back_at!} />).
      </span>
      {responder && !reopening ? (
        <>
          <button class="small" onClick={() => attempt(() => api.dismissRecurrence(incident.id), 'Dismissed: not back').then((ok) => ok && onChanged())}>
            Dismiss
          </button>
          <button class="small primary" onClick={() => setReopening(true)}>
            Reopen incident…
          </button>
        </>
      ) : null}
      {reopening ? (
        <form
          class="stack"
          style={{ width: '100%', gap: '8px' }}
          onSubmit={(e) => {
            e.preventDefault()
            void attempt(() => api.postIncidentUpdate(incident.id, { status: 'investigating', message: message.trim() }), 'Incident reopened').then((ok) => ok && onChanged())
          }}
        >
          <label for="reopen-message" style={{ fontSize: '12.5px' }}>
            Public update (status: Investigating)
          </label>
          <textarea id="reopen-message" rows={2} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
          <div class="row" style={{ justifyContent: 'flex-end' }}>
            <button type="button" class="small" onClick={() => setReopening(false)}>
              Cancel
            </button>
            <button type="submit" class="small primary" disabled={!message.trim()}>
              Reopen incident
            </button>
          </div>
        </form>
      ) : null}
    </div>
  )
}
