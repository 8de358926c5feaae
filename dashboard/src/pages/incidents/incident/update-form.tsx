import { useState } from 'preact/hooks'
import { ErrorBanner, INCIDENT_LABEL, toast } from '../../../components/ui'
import type { IncidentStatus } from '../../../types'
import {
  COMPONENT_LABEL,
  incidentsApi,
  type AffectedInput,
  type ComponentStatus,
  type IncidentDetail,
  type StatusComponent,
} from '../client'

/** Posts a public update (status, message, affected components) or an internal note. */
export function UpdateForm({
  incident,
  components,
  onPosted,
}: {
  incident: IncidentDetail
  components: StatusComponent[]
  onPosted: () => void
}) {
  const [status, setStatus] = useState<IncidentStatus>(incident.status === 'resolved' ? 'monitoring' : incident.status)
  const [message, setMessage] = useState('')
  const [note, setNote] = useState('')
  const initial = Object.fromEntries(incident.components.map((c) => [c.id, c.status])) as Record<
    string,
    ComponentStatus
  >
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
      await incidentsApi.postUpdate(incident.id, {
        status,
        message,
        internal_note: note.trim() || undefined,
        components: changedComponents ? list : undefined,
      })
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
      {incident.status === 'resolved' ? (
        <p class="faint" style={{ fontSize: '13px' }}>
          This incident is resolved. Posting an update reopens it.
        </p>
      ) : null}
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
        <textarea
          name="update"
          required
          maxLength={5000}
          rows={3}
          placeholder={
            status === 'resolved' ? 'What was fixed, and what customers should do now…' : 'What we know now…'
          }
          value={message}
          onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label class="field">
        <span>
          Internal note <span class="hint">— optional, stays in the dashboard</span>
        </span>
        <textarea
          name="internal_note"
          maxLength={5000}
          rows={2}
          placeholder="Context for the team: hypotheses, who is on it, links…"
          value={note}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      {components.length ? (
        <fieldset class="stack" style={{ border: 0, padding: 0, margin: 0, gap: '6px' }}>
          <legend class="faint" style={{ fontSize: '12.5px', marginBottom: '6px' }}>
            Affected components
          </legend>
          {components.map((c) => (
            <label class="row" style={{ fontSize: '13px' }}>
              <span class="grow">{c.name}</span>
              <select
                value={affected[c.id] ?? 'operational'}
                onChange={(e) =>
                  setAffected({ ...affected, [c.id]: (e.target as HTMLSelectElement).value as ComponentStatus })
                }
              >
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
