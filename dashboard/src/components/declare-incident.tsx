import { useState } from 'preact/hooks'
import { api } from '../api'
import { useAsync } from '../hooks'
import { COMPONENT_LABEL, incidentsApi, type ComponentStatus } from '../pages/incidents/client'
import { navigate } from '../router'
import { allProjects } from '../session'
import type { Cluster, IncidentImpact } from '../types'
import { ErrorBanner, IMPACT_LABEL, Modal, toast } from './ui'

/** A public message a responder can send as is: honest, no blame, says we are on it. */
export function prefillFrom(cluster: Cluster) {
  // The cluster's title is a summary already (a responder's own, or the representative report cut
  // at a word boundary plus key terms); a responder's title is the incident's name as it stands.
  const cut = Array.from(cluster.title)
  const title =
    cut.length > 90
      ? `${cut
          .slice(0, 89)
          .join('')
          .replace(/\s+\S*$/u, '')}…`
      : cluster.title
  const who = cluster.reporter_count === 1 ? 'a customer' : `${cluster.reporter_count} customers`
  return {
    title: cluster.title_source === 'human' ? title : `Customers report: ${title}`,
    message:
      `We are investigating reports from ${who} about this problem. ` +
      'We will post an update as soon as we know more.',
  }
}

/**
 * Declare an incident, prefilled from a cluster (or blank, for a project); offers the project's
 * components with their new status, so the status page shows what is actually affected (its
 * headline follows the components marked here). Opens the incident when done.
 */
export function DeclareIncidentDialog({
  cluster,
  projectId,
  onClose,
  onDeclared,
}: {
  cluster?: Cluster
  projectId?: string
  onClose: () => void
  onDeclared?: (id: string) => void
}) {
  const pre = cluster ? prefillFrom(cluster) : { title: '', message: '' }
  const projects = allProjects()
  const [project, setProject] = useState(cluster?.project_id ?? projectId ?? projects[0]?.id ?? '')
  const components = useAsync(
    async () => (project ? (await incidentsApi.components(project)).components : []),
    [project],
  )
  const [affected, setAffected] = useState<Record<string, ComponentStatus>>({})
  const [title, setTitle] = useState(pre.title)
  const [message, setMessage] = useState(pre.message)
  const [impact, setImpact] = useState<IncidentImpact>(cluster && cluster.reporter_count >= 20 ? 'major' : 'minor')
  const [status, setStatus] = useState<'investigating' | 'identified' | 'monitoring'>('investigating')
  const [visibility, setVisibility] = useState<'public' | 'private'>('public')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const marked = Object.entries(affected)
        .filter(([, s]) => s !== 'operational')
        .map(([component_id, s]) => ({ component_id, status: s as Exclude<ComponentStatus, 'operational'> }))
      const { incident } = await api.declareIncident({
        ...(cluster ? { cluster_id: cluster.id } : { project_id: project }),
        title,
        impact,
        status,
        visibility,
        message,
        components: marked,
      })
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
          {cluster
            ? "Linked to this cluster's " +
              `${cluster.report_count === 1 ? '1 report' : `${cluster.report_count} reports`}. `
            : ''}
          A public incident shows in the widget and on the status page at once.
        </p>
        {!cluster && projects.length > 1 ? (
          <label class="field">
            Project
            <select
              value={project}
              onChange={(e) => (setAffected({}), setProject((e.target as HTMLSelectElement).value))}
            >
              {projects.map((p) => (
                <option value={p.id}>{p.name}</option>
              ))}
            </select>
          </label>
        ) : null}
        <ErrorBanner error={error} />
        <label class="field">
          Title
          <input
            name="title"
            required
            maxLength={200}
            value={title}
            onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          />
        </label>
        <div class="field-row">
          <label class="field">
            Status
            <select
              name="status"
              value={status}
              onChange={(e) => setStatus((e.target as HTMLSelectElement).value as typeof status)}
            >
              <option value="investigating">Investigating</option>
              <option value="identified">Identified</option>
              <option value="monitoring">Monitoring</option>
            </select>
          </label>
          <label class="field">
            Impact
            <select
              name="impact"
              value={impact}
              onChange={(e) => setImpact((e.target as HTMLSelectElement).value as IncidentImpact)}
            >
              {(['none', 'minor', 'major', 'critical'] as const).map((i) => (
                <option value={i}>{IMPACT_LABEL[i]}</option>
              ))}
            </select>
          </label>
        </div>
        <label class="field">
          Public message <span class="hint">What customers see in the widget and on the status page.</span>
          <textarea
            name="message"
            required
            maxLength={5000}
            rows={4}
            value={message}
            onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        {components.data?.length ? (
          <fieldset class="field components-pick" aria-describedby="components-pick-hint">
            <legend>Affected components</legend>
            <p class="hint" id="components-pick-hint">
              The status page headline follows these: marking none says “Minor Service Outage”, never “Major”.
            </p>
            {components.data.map((c) => (
              <label class="component-row">
                <span class="grow">{c.name}</span>
                <select
                  aria-label={`${c.name} status`}
                  value={affected[c.id] ?? 'operational'}
                  onChange={(e) =>
                    setAffected({ ...affected, [c.id]: (e.target as HTMLSelectElement).value as ComponentStatus })
                  }
                >
                  {(['operational', 'degraded_performance', 'partial_outage', 'major_outage'] as const).map((st) => (
                    <option value={st}>{st === 'operational' ? 'Not affected' : COMPONENT_LABEL[st]}</option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        ) : null}
        <label class="row" style={{ fontSize: '13px' }}>
          <input
            type="checkbox"
            checked={visibility === 'private'}
            onChange={(e) => setVisibility((e.target as HTMLInputElement).checked ? 'private' : 'public')}
          />
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
