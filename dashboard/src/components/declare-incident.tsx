import { useState } from 'preact/hooks'
import { api } from '../api'
import { navigate } from '../router'
import type { Cluster, IncidentImpact } from '../types'
import { ErrorBanner, IMPACT_LABEL, Modal, toast } from './ui'

/** A public message a responder can send as is: honest, no blame, says we are on it. */
export function prefillFrom(cluster: Cluster) {
  const title = cluster.title.length > 90 ? `${cluster.title.slice(0, 87)}…` : cluster.title
  const who = cluster.reporter_count === 1 ? 'a customer' : `${cluster.reporter_count} customers`
  return {
    title: `Customers report: ${title}`,
    message: `We are investigating reports from ${who} about this problem. We will post an update as soon as we know more.`,
  }
}

/** Declare an incident, prefilled from a cluster; opens the incident when done. */
export function DeclareIncidentDialog({ cluster, onClose, onDeclared }: { cluster: Cluster; onClose: () => void; onDeclared?: (id: string) => void }) {
  const pre = prefillFrom(cluster)
  const [title, setTitle] = useState(pre.title)
  const [message, setMessage] = useState(pre.message)
  const [impact, setImpact] = useState<IncidentImpact>(cluster.reporter_count >= 20 ? 'major' : 'minor')
  const [status, setStatus] = useState<'investigating' | 'identified' | 'monitoring'>('investigating')
  const [visibility, setVisibility] = useState<'public' | 'private'>('public')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const { incident } = await api.declareIncident({ cluster_id: cluster.id, title, impact, status, visibility, message })
      toast('Incident declared')
      onDeclared?.(incident.id)
      onClose()
      navigate(`/incidents/${incident.id}`)
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title="Declare an incident" onClose={onClose} wide>
      <form class="stack" onSubmit={submit}>
        <p class="muted" style={{ fontSize: '13px' }}>
          Linked to this cluster's {cluster.report_count} report{cluster.report_count === 1 ? '' : 's'}. A public incident shows in the widget and on the status page at once.
        </p>
        <ErrorBanner error={error} />
        <label class="field">
          Title
          <input name="title" required maxLength={200} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        </label>
        <div class="field-row">
          <label class="field">
            Status
            <select name="status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as typeof status)}>
              <option value="investigating">Investigating</option>
              <option value="identified">Identified</option>
              <option value="monitoring">Monitoring</option>
            </select>
          </label>
          <label class="field">
            Impact
            <select name="impact" value={impact} onChange={(e) => setImpact((e.target as HTMLSelectElement).value as IncidentImpact)}>
              {(['none', 'minor', 'major', 'critical'] as const).map((i) => (
                <option value={i}>{IMPACT_LABEL[i]}</option>
              ))}
            </select>
          </label>
        </div>
        <label class="field">
          Public message <span class="hint">What customers see in the widget and on the status page.</span>
          <textarea name="message" required maxLength={5000} rows={4} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
        </label>
        <label class="row" style={{ fontSize: '13px' }}>
          <input type="checkbox" checked={visibility === 'private'} onChange={(e) => setVisibility((e.target as HTMLInputElement).checked ? 'private' : 'public')} />
          Private: keep it off the widget and the public status page
        </label>
        <div class="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            {busy ? 'Declaring…' : 'Declare incident'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
