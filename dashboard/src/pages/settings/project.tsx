import { useEffect, useState } from 'preact/hooks'
import { api } from '../../api'
import { TopBar } from '../../components/layout'
import { RevokeButton } from '../../components/revoke-table'
import { attempt, EmptyState, ErrorBanner, ReadOnlyNote, Skeleton, Time, toast } from '../../components/ui'
import { useAsync } from '../../hooks'
import { Link, type RouteProps } from '../../router'
import { can, loadSession, useSession } from '../../session'
import type { Project, Webhook } from '../../types'
import { StatusLanguageSection } from './status-language'

export function ProjectSettingsPage({ params }: RouteProps) {
  const session = useSession()
  const data = useAsync(() => api.project(params.id!), [params.id])
  const owner = can('owner', session)
  const project = data.data?.project
  if (data.error && !project)
    return (
      <div class="content">
        {data.error.status === 404 ? (
          <EmptyState icon="search" title="Project not found" />
        ) : (
          <ErrorBanner error={data.error} onRetry={data.reload} />
        )}
      </div>
    )
  if (!project)
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
            <Link href="/settings/projects">Projects</Link>
            <span aria-hidden="true">/</span>
            <span>{project.name}</span>
          </>
        }
      />
      <div class="content stack" style={{ maxWidth: '860px', gap: '20px' }}>
        {!owner ? (
          <ReadOnlyNote>
            Owners change a project's key, origins, alerts and webhooks; you see them as they are.
          </ReadOnlyNote>
        ) : null}
        <KeySection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <OriginsSection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <AlertingSection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <StatusLanguageSection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <WebhooksSection project={project} owner={owner} />
      </div>
    </>
  )
}

type SectionProps = { project: Project; owner: boolean; onChange: (p: Project) => void }

function KeySection({ project, owner, onChange }: SectionProps) {
  const snippet = `<script src="${location.origin}/widget.js" data-key="${project.public_key}" async></script>`
  return (
    <section class="card">
      <div class="card-head">
        <h2 class="grow">Widget key</h2>
        {owner ? (
          <button
            class="small danger"
            onClick={() =>
              confirm(
                'Rotate the public key? The old key stops working at once: update your embed snippet right after.',
              ) &&
              attempt(async () => {
                const { project: p } = await api.rotateKey(project.id)
                onChange(p)
                await loadSession()
              }, 'New key issued')
            }
          >
            Rotate key
          </button>
        ) : null}
      </div>
      <div class="card-body stack">
        <p class="muted">Public by design: it only lets the allowed origins send reports. Embed it in your product:</p>
        <div class="secret" data-testid="embed-snippet">
          <span class="grow">{snippet}</span>
          <button class="small" onClick={() => navigator.clipboard?.writeText(snippet)}>
            Copy
          </button>
        </div>
      </div>
    </section>
  )
}

function OriginsSection({ project, owner, onChange }: SectionProps) {
  const [text, setText] = useState(project.allowed_origins.join('\n'))
  useEffect(() => setText(project.allowed_origins.join('\n')), [project.allowed_origins.join()])
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault()
        void attempt(async () => {
          const list = text.split(/[\s,]+/).filter(Boolean)
          // The API names the entry by index ("allowed_origins.2: …"); people count lines from 1.
          const { project: p } = await api.updateProject(project.id, { allowed_origins: list }).catch((err: Error) => {
            throw new Error(
              err.message.replace(/^allowed_origins\.(\d+): /, (_, i: string) => `Line ${Number(i) + 1}: `),
            )
          })
          onChange(p)
        }, 'Allowed origins saved')
      }}
    >
      <div class="card-head">
        <h2>Allowed origins</h2>
      </div>
      <div class="card-body stack">
        <label class="field">
          <span>
            Sites allowed to send reports with this key, one per line (scheme + host + port). <code>*</code> allows any
            site.
          </span>
          <textarea
            rows={4}
            disabled={!owner}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            class="mono"
          />
        </label>
        {owner ? (
          <div class="form-actions">
            <button class="primary" type="submit">
              Save origins
            </button>
          </div>
        ) : null}
      </div>
    </form>
  )
}

type SurgeStored = {
  enabled?: boolean
  windowMinutes?: number
  cluster?: Record<string, number>
  [key: string]: unknown
}

/** The fields this form edits: [path in settings.surge, label, input bounds]. */
const SURGE_FIELDS = [
  { path: ['windowMinutes'], label: 'Window (min)', min: 1, max: 120, step: '1' },
  { path: ['cluster', 'minReports'], label: 'Reports', min: 1, max: 100000, step: '1' },
  { path: ['cluster', 'minReporters'], label: 'People', min: 1, max: 100000, step: '1' },
  { path: ['cluster', 'ratio'], label: '× usual rate', min: 1, max: 1000, step: '0.5' },
] as const

const at = (o: unknown, path: readonly string[]): unknown =>
  path.reduce<any>((v, k) => (v && typeof v === 'object' ? v[k] : undefined), o)

function AlertingSection({ project, owner, onChange }: SectionProps) {
  // Keys follow the surge detector's settings schema (worker/domain/surge/settings.ts); an unset key
  // means the server's default, which the project JSON carries (surge_defaults): the form shows the
  // value in effect and saves only the fields that were changed.
  const surge = (project.settings?.surge ?? {}) as SurgeStored
  const defaults = project.surge_defaults
  const effective = (path: readonly string[]) => String(at(surge, path) ?? at(defaults, path) ?? '')
  const initial = {
    enabled: surge.enabled ?? defaults?.enabled ?? true,
    fields: SURGE_FIELDS.map((f) => effective(f.path)),
    retention: project.settings?.retention_days ? String(project.settings.retention_days) : '',
  }
  const [enabled, setEnabled] = useState(initial.enabled)
  const [fields, setFields] = useState(initial.fields)
  const [retention, setRetention] = useState(initial.retention)
  useEffect(() => {
    setEnabled(initial.enabled)
    setFields(initial.fields)
    setRetention(initial.retention)
  }, [project.settings ? JSON.stringify(project.settings) : ''])
  return (
    <form
      class="card"
      data-testid="surge-settings"
      onSubmit={(e) => {
        e.preventDefault()
        const settings: Record<string, unknown> = {}
        const next: SurgeStored = JSON.parse(JSON.stringify(surge))
        let surgeChanged = false
        if (enabled !== initial.enabled) {
          next.enabled = enabled
          surgeChanged = true
        }
        SURGE_FIELDS.forEach((f, i) => {
          if (fields[i]!.trim() === initial.fields[i]) return
          let o: any = next
          for (const k of f.path.slice(0, -1)) o = o[k] ??= {}
          o[f.path[f.path.length - 1]!] = Number(fields[i])
          surgeChanged = true
        })
        if (surgeChanged) settings.surge = next
        if (retention.trim() !== initial.retention)
          settings.retention_days = retention.trim() ? Number(retention) : null
        if (Object.keys(settings).length === 0) {
          toast('Nothing changed')
          return
        }
        void attempt(async () => {
          const { project: p } = await api.updateProject(project.id, { settings })
          onChange(p)
        }, 'Settings saved')
      }}
    >
      <div class="card-head">
        <h2>Surge alerts and retention</h2>
      </div>
      <div class="card-body stack">
        <label class="row" style={{ fontSize: '13px' }}>
          <input
            type="checkbox"
            disabled={!owner}
            checked={enabled}
            onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)}
          />
          Alert when customers start reporting the same problem
        </label>
        <p class="muted">
          A cluster surges when, within the window, at least this many reports from this many different people arrive,
          well above its usual rate.
        </p>
        <div class="field-row" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))' }}>
          {SURGE_FIELDS.map((f, i) => {
            const d = at(defaults, f.path)
            return (
              <label class="field" key={f.path.join('.')}>
                {f.label}
                <input
                  type="number"
                  min={f.min}
                  max={f.max}
                  step={f.step}
                  disabled={!owner}
                  value={fields[i]}
                  name={f.path.join('.')}
                  aria-label={f.label}
                  aria-describedby={`default-${f.path.join('-')}`}
                  onInput={(e) => setFields(fields.map((v, j) => (j === i ? (e.target as HTMLInputElement).value : v)))}
                />
                <span class="hint" id={`default-${f.path.join('-')}`} data-testid={`default-${f.path.join('.')}`}>
                  {d === undefined ? '' : at(surge, f.path) === undefined ? `default ${d}` : `default ${d} · changed`}
                </span>
              </label>
            )
          })}
        </div>
        {defaults ? (
          <p class="faint" data-testid="surge-defaults-more">
            Also on by default: a word shared across clusters surges at {defaults.topic.minReports} reports from{' '}
            {defaults.topic.minReporters} people; the whole project at {defaults.project.minReports} reports from{' '}
            {defaults.project.minReporters} people, {defaults.project.ratio}× its last{' '}
            {defaults.project.baselineMinutes / 60} hours; a slow burn at {defaults.slow.minReports} reports from{' '}
            {defaults.slow.minReporters} people in {defaults.slow.windowMinutes} min, {defaults.slow.ratio}× usual;
            within {defaults.afterDeploy.minutes} min after a deploy marker, the whole project at{' '}
            {defaults.afterDeploy.minReports} reports from {defaults.afterDeploy.minReporters} people,{' '}
            {defaults.afterDeploy.ratio}× usual.
          </p>
        ) : null}
        <label class="field" style={{ maxWidth: '360px' }}>
          Keep reports for (days) <span class="hint">Empty: keep them. Older reports are deleted daily.</span>
          <input
            type="number"
            min={1}
            max={3650}
            placeholder="forever"
            disabled={!owner}
            value={retention}
            onInput={(e) => setRetention((e.target as HTMLInputElement).value)}
          />
        </label>
        {owner ? (
          <div class="form-actions">
            <button class="primary" type="submit">
              Save
            </button>
          </div>
        ) : null}
      </div>
    </form>
  )
}

const EVENT_LABEL: Record<string, string> = {
  surge: 'Surges',
  'incident.created': 'Incident declared',
  'incident.updated': 'Incident updated',
  'incident.resolved': 'Incident resolved',
  'maintenance.scheduled': 'Maintenance scheduled',
  deploy: 'Deploys',
}

function WebhooksSection({ project, owner }: { project: Project; owner: boolean }) {
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
            <div class="row">
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
      <div class="row" style={{ padding: '10px 12px' }}>
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
                    <span
                      class={`pill ${d.status === 'sent' ? 'resolved' : d.status === 'failed' ? 'st-investigating' : 'acknowledged'}`}
                    >
                      {d.status}
                    </span>
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
