// A project's webhooks: the list (URL, format, events), each one's recent deliveries, a test send,
// removal, and the form that adds one (its signing secret is shown once).
import { useState } from 'preact/hooks'
import { api } from '../../api'
import { RevokeButton } from '../../components/revoke-table'
import { attempt, ErrorBanner, ReadOnlyNote, Time } from '../../components/ui'
import { useAsync } from '../../hooks'
import { can } from '../../session'
import type { Project, Webhook } from '../../types'

const EVENT_LABEL: Record<string, string> = {
  surge: 'Surges',
  'incident.created': 'Incident declared',
  'incident.updated': 'Incident updated',
  'incident.resolved': 'Incident resolved',
  'maintenance.scheduled': 'Maintenance scheduled',
  deploy: 'Deploys',
}

export function WebhooksSection({ project, owner }: { project: Project; owner: boolean }) {
  // Webhook URLs are secrets (a Slack URL can post to the channel): responders and owners only.
  if (!can('responder'))
    return (
      <section class="card">
        <div class="card-head">
          <h2>Webhooks</h2>
        </div>
        <div class="card-body">
          <ReadOnlyNote>Responders and owners see this project's webhooks; owners change them.</ReadOnlyNote>
        </div>
      </section>
    )
  return <WebhooksList project={project} owner={owner} />
}

function WebhooksList({ project, owner }: { project: Project; owner: boolean }) {
  const list = useAsync(() => api.webhooks(project.id), [project.id])
  const [url, setUrl] = useState('')
  const [kind, setKind] = useState<'slack' | 'generic'>('slack')
  const [events, setEvents] = useState<string[]>(['surge', 'incident.created', 'incident.resolved'])
  const [secret, setSecret] = useState<string>()
  const [open, setOpen] = useState<string>()
  const available = list.data?.events ?? Object.keys(EVENT_LABEL)
  return (
    <section class="card">
      <div class="card-head">
        <h2>Webhooks</h2>
      </div>
      <div class="card-body stack">
        <p class="muted">
          Earshot posts surges and incident changes to these URLs: Slack incoming webhooks get Slack messages, other
          URLs get signed JSON.
        </p>
        {list.error?.status === 404 ? (
          <p class="faint">Webhooks are not available on this server yet.</p>
        ) : (
          <ErrorBanner error={list.error} onRetry={list.reload} />
        )}
        {secret ? (
          <div class="alert success">
            <div class="grow">
              Signing secret, shown once (verify <code>X-Earshot-Signature</code> with it): <code>{secret}</code>
            </div>
          </div>
        ) : null}
        {(list.data?.webhooks ?? []).map((w) => (
          <WebhookRow
            key={w.id}
            webhook={w}
            owner={owner}
            open={open === w.id}
            onToggle={() => setOpen(open === w.id ? undefined : w.id)}
            onDeleted={list.reload}
          />
        ))}
        {list.data && list.data.webhooks.length === 0 ? <p class="faint">No webhooks yet.</p> : null}
        {owner && list.data ? (
          <form
            class="stack"
            style={{ gap: '10px' }}
            onSubmit={(e) => {
              e.preventDefault()
              void attempt(async () => {
                const res = await api.createWebhook(project.id, { url: url.trim(), kind, events })
                setUrl('')
                setSecret(res.secret)
                await list.reload()
              }, 'Webhook added')
            }}
          >
            <div class="row webhook-add">
              <input
                class="grow"
                type="url"
                required
                placeholder="https://hooks.slack.com/services/…"
                aria-label="Webhook URL"
                value={url}
                onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
              />
              <select
                aria-label="Format"
                value={kind}
                onChange={(e) => setKind((e.target as HTMLSelectElement).value as 'slack' | 'generic')}
              >
                <option value="slack">Slack message</option>
                <option value="generic">Signed JSON</option>
              </select>
              <button class="primary" type="submit" disabled={events.length === 0}>
                Add webhook
              </button>
            </div>
            <fieldset
              class="row"
              style={{ border: 0, padding: 0, margin: 0, flexWrap: 'wrap', gap: '6px 16px', fontSize: '13px' }}
            >
              <legend class="sr-only">Events</legend>
              {available.map((ev) => (
                <label class="row" style={{ gap: '6px' }}>
                  <input
                    type="checkbox"
                    checked={events.includes(ev)}
                    onChange={(e) =>
                      setEvents((list) =>
                        (e.target as HTMLInputElement).checked ? [...list, ev] : list.filter((x) => x !== ev),
                      )
                    }
                  />
                  {EVENT_LABEL[ev] ?? ev}
                </label>
              ))}
            </fieldset>
          </form>
        ) : null}
      </div>
    </section>
  )
}

/** A delivery's status as a pill colour (any other status looks acknowledged). */
const DELIVERY_PILL: Record<string, string> = { sent: 'resolved', failed: 'st-investigating' }

function WebhookRow({
  webhook: w,
  owner,
  open,
  onToggle,
  onDeleted,
}: {
  webhook: Webhook
  owner: boolean
  open: boolean
  onToggle: () => void
  onDeleted: () => void
}) {
  const deliveries = useAsync(
    () => (open ? api.webhookDeliveries(w.id) : Promise.resolve({ deliveries: [] })),
    [open, w.id],
  )
  return (
    <div class="card" style={{ boxShadow: 'none' }}>
      <div class="row webhook-row" style={{ padding: '10px 12px' }}>
        {/* The whole URL, wrapped: a cut one ("http:/…") says nothing about where alerts go. */}
        <code class="webhook-url">{w.url}</code>
        <span class="pill plain">{w.kind === 'slack' ? 'Slack' : 'JSON'}</span>
        <span class="faint" style={{ fontSize: '12px' }}>
          {w.events.map((e) => EVENT_LABEL[e] ?? e).join(', ')}
        </span>
        <button class="small" aria-expanded={open} onClick={onToggle}>
          Deliveries
        </button>
        {owner ? (
          <button class="small" onClick={() => attempt(() => api.testWebhook(w.id), 'Test sent: see Deliveries')}>
            Send test
          </button>
        ) : null}
        {owner ? (
          <RevokeButton
            action={{ label: 'Remove', run: () => api.deleteWebhook(w.id), done: 'Webhook removed' }}
            onDone={onDeleted}
          />
        ) : null}
      </div>
      {open ? (
        <div style={{ borderTop: '1px solid var(--border)' }}>
          {(deliveries.data?.deliveries ?? []).length === 0 ? (
            <p class="faint" style={{ padding: '10px 12px' }}>
              {deliveries.loading ? 'Loading…' : 'No deliveries yet.'}
            </p>
          ) : null}
          <table class="table">
            <tbody>
              {(deliveries.data?.deliveries ?? []).map((d) => (
                <tr>
                  <td>{d.event}</td>
                  <td>
                    <span class={`pill ${DELIVERY_PILL[d.status] ?? 'acknowledged'}`}>{d.status}</span>
                  </td>
                  <td class="muted">
                    {d.status_code != null ? `HTTP ${d.status_code}` : (d.error ?? '')} · attempt {d.attempt}
                  </td>
                  <td class="muted">
                    <Time iso={d.at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  )
}
