import { useState } from 'preact/hooks'
import { TopBar } from '../../components/layout'
import { attempt, ErrorBanner, fullTime, Skeleton, toast } from '../../components/ui'
import { useAsync } from '../../hooks'
import { Link, navigate, type RouteProps } from '../../router'
import { allProjects, can, useSession } from '../../session'
import { COMPONENT_LABEL, incidentsApi, type ComponentStatus, type DomainVerification, type StatusPageInfo } from './client'

/** Everything around the public status page of one project: addresses, components, maintenance, subscribers, private access. */
export function StatusPageSettings({ query }: RouteProps) {
  const session = useSession()
  const projects = allProjects(session)
  const projectId = query.get('project') ?? projects[0]?.id
  if (!projectId)
    return (
      <div class="content">
        <Skeleton rows={2} />
      </div>
    )
  return (
    <>
      <TopBar
        crumbs={
          <>
            <Link href="/incidents">Incidents</Link>
            <span aria-hidden="true">/</span>
            <span>Status page</span>
          </>
        }
      >
        {projects.length > 1 ? (
          <select aria-label="Project" value={projectId} onChange={(e) => navigate(`/incidents/status-page?project=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)}>
            {projects.map((p) => (
              <option value={p.id}>{p.name}</option>
            ))}
          </select>
        ) : null}
      </TopBar>
      <div class="content stack" style={{ gap: '20px', maxWidth: '920px' }}>
        <Addresses projectId={projectId} owner={can('owner', session)} responder={can('responder', session)} />
        <Components projectId={projectId} responder={can('responder', session)} />
        <Maintenances projectId={projectId} responder={can('responder', session)} />
        {can('responder', session) ? <Subscribers projectId={projectId} /> : null}
        {can('owner', session) ? <PrivateAccess projectId={projectId} /> : null}
      </div>
    </>
  )
}

function Addresses({ projectId, owner, responder }: { projectId: string; owner: boolean; responder: boolean }) {
  const info = useAsync(() => incidentsApi.statusPage(projectId), [projectId])
  const [domain, setDomain] = useState<string>()
  const [checking, setChecking] = useState(false)
  const s = info.data?.status_page
  if (!s) return <ErrorBanner error={info.error} onRetry={info.reload} />
  const value = domain ?? s.custom_domain ?? ''
  const v = s.domain_verification
  const verify = async () => {
    setChecking(true)
    try {
      if (await attempt(() => incidentsApi.verifyCustomDomain(projectId), `${s.custom_domain} is verified — the status page is served there now`)) setDomain(undefined)
    } finally {
      setChecking(false)
      void info.reload()
    }
  }
  return (
    <section class="card" aria-labelledby="addr-title">
      <div class="card-head">
        <h2 id="addr-title">Public status page</h2>
        <a href={s.url} target="_blank" rel="noopener">
          Open ↗
        </a>
      </div>
      <div class="card-body stack">
        <dl class="kv">
          <dt>Page</dt>
          <dd>
            <a href={s.path_url}>{s.path_url}</a> · <a href={s.host_url}>{s.host_url}</a>
          </dd>
          <dt>Custom domain</dt>
          <dd>
            {v && s.custom_domain ? (
              <span class="row" style={{ gap: '8px', display: 'inline-flex' }}>
                {v.status === 'verified' ? <a href={`https://${s.custom_domain}`}>https://{s.custom_domain}</a> : <span>{s.custom_domain}</span>}
                <span class={`pill ${v.status === 'verified' ? 'resolved' : 'acknowledged'}`} data-testid="domain-state">
                  {v.status === 'verified' ? `Verified ${fullTime(v.verified_at)}` : 'Not verified — not served yet'}
                </span>
              </span>
            ) : (
              <span class="faint">None</span>
            )}
          </dd>
          <dt>summary.json</dt>
          <dd>
            <a href={s.summary_url}>{s.summary_url}</a> <span class="faint">(Statuspage format, any origin)</span>
          </dd>
          <dt>Feeds</dt>
          <dd>
            <a href={s.atom_url}>Atom</a> · <a href={s.rss_url}>RSS</a>
          </dd>
        </dl>
        {v && v.status === 'verified' && v.last_error ? (
          <div class="alert" role="status">
            <span class="grow">
              Daily check {fullTime(v.checked_at)}: {v.last_error}
            </span>
          </div>
        ) : null}
        {v && v.status === 'pending' ? <DomainSteps info={s} verification={v} canVerify={responder} checking={checking} onVerify={verify} /> : null}
        {owner ? (
          <form
            class="row"
            style={{ gap: '8px', alignItems: 'flex-end' }}
            onSubmit={async (e) => {
              e.preventDefault()
              if (await attempt(() => incidentsApi.setCustomDomain(projectId, value.trim() || null), value.trim() ? 'Custom domain saved — verify it to serve the page there' : 'Custom domain removed')) {
                setDomain(undefined)
                void info.reload()
              }
            }}
          >
            <label class="field grow">
              <span>
                Custom domain <span class="hint">— served at its root once a DNS record proves it is yours</span>
              </span>
              <input value={value} placeholder="status.example.com" onInput={(e) => setDomain((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit">Save</button>
          </form>
        ) : null}
      </div>
    </section>
  )
}

/** What to do until a custom domain is verified: the TXT record that proves control, where to point it, the last check. */
function DomainSteps({ info, verification: v, canVerify, checking, onVerify }: { info: StatusPageInfo; verification: DomainVerification; canVerify: boolean; checking: boolean; onVerify: () => void }) {
  return (
    <div class="stack" role="region" aria-label="Verify the custom domain" style={{ gap: '10px', padding: '12px 14px', border: '1px solid var(--border)', borderRadius: 'var(--radius-sm)', background: 'var(--sunken)' }}>
      <strong style={{ fontSize: '13px' }}>Prove that {info.custom_domain} is yours</strong>
      <ol class="stack" style={{ gap: '8px', margin: 0, paddingLeft: '18px', fontSize: '13px' }}>
        <li>
          At your DNS provider, add a <strong>TXT</strong> record:
          <dl class="kv" style={{ marginTop: '6px' }}>
            <dt>Name</dt>
            <dd>
              <code data-testid="txt-name">{v.record.name}</code>
            </dd>
            <dt>Value</dt>
            <dd>
              <code data-testid="txt-value">{v.record.value}</code>{' '}
              <button type="button" class="small" onClick={() => navigator.clipboard?.writeText(v.record.value)}>
                Copy
              </button>
            </dd>
          </dl>
        </li>
        <li>
          Point <code>{info.custom_domain}</code> at this deployment: {/^[\d.]+$|:/.test(v.cname_target) ? 'an ' : 'a '}
          <strong>{/^[\d.]+$|:/.test(v.cname_target) ? 'A/AAAA' : 'CNAME'}</strong> record to <code>{v.cname_target}</code> (on Cloudflare Workers: add it as a custom domain of the Worker).
        </li>
        <li>
          {canVerify ? 'Press Verify.' : 'Ask a responder or owner to press Verify.'} Until then nothing is served at {info.custom_domain}, and e-mails and feeds link to{' '}
          <code>{info.url}</code>.
        </li>
      </ol>
      {v.last_error ? (
        <div class="alert" role="status">
          <span class="grow">
            Last check {fullTime(v.checked_at)}: {v.last_error}
          </span>
        </div>
      ) : null}
      {canVerify ? (
        <div class="row" style={{ gap: '8px' }}>
          <button type="button" class="primary" disabled={checking} onClick={onVerify}>
            {checking ? 'Checking DNS…' : 'Verify'}
          </button>
        </div>
      ) : null}
    </div>
  )
}

function Components({ projectId, responder }: { projectId: string; responder: boolean }) {
  const list = useAsync(() => incidentsApi.components(projectId), [projectId])
  const [name, setName] = useState('')
  const components = list.data?.components ?? []
  return (
    <section class="card" aria-labelledby="cmp-title">
      <div class="card-head">
        <h2 id="cmp-title">Components</h2>
        <span class="faint" style={{ fontSize: '12.5px' }}>
          Active incidents and maintenance override the status set here
        </span>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <table class="table">
        <tbody>
          {components.map((c) => (
            <tr>
              <td style={{ fontWeight: 550 }}>{c.name}</td>
              <td style={{ width: '220px' }}>
                <select
                  aria-label={`Status of ${c.name}`}
                  disabled={!responder}
                  value={c.status}
                  onChange={async (e) => {
                    if (await attempt(() => incidentsApi.updateComponent(projectId, c.id, { status: (e.target as HTMLSelectElement).value as ComponentStatus }), 'Status changed')) void list.reload()
                  }}
                >
                  {(Object.keys(COMPONENT_LABEL) as ComponentStatus[]).map((s) => (
                    <option value={s}>{COMPONENT_LABEL[s]}</option>
                  ))}
                </select>
              </td>
              <td style={{ width: '90px', textAlign: 'right' }}>
                {responder ? (
                  <button
                    class="small danger"
                    onClick={async () => {
                      if (confirm(`Remove ${c.name} from the status page?`) && (await attempt(() => incidentsApi.deleteComponent(projectId, c.id), 'Component removed'))) void list.reload()
                    }}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {components.length === 0 && list.data ? (
            <tr>
              <td class="faint">No components: the page shows one overall status. Add the parts of your product customers recognise.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {responder ? (
        <form
          class="card-body row"
          style={{ gap: '8px' }}
          onSubmit={async (e) => {
            e.preventDefault()
            if (await attempt(() => incidentsApi.createComponent(projectId, { name: name.trim() }), 'Component added')) {
              setName('')
              void list.reload()
            }
          }}
        >
          <input class="grow" aria-label="New component name" placeholder="e.g. Checkout" maxLength={100} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <button type="submit" disabled={!name.trim()}>
            Add component
          </button>
        </form>
      ) : null}
    </section>
  )
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)

function Maintenances({ projectId, responder }: { projectId: string; responder: boolean }) {
  const list = useAsync(() => incidentsApi.maintenances(projectId), [projectId])
  const comps = useAsync(() => incidentsApi.components(projectId), [projectId])
  const start = new Date(Date.now() + 86_400_000)
  start.setMinutes(0, 0, 0)
  const [form, setForm] = useState({ title: '', message: '', starts: localInput(start), ends: localInput(new Date(start.getTime() + 3_600_000)), components: [] as string[] })
  const upcoming = (list.data?.maintenances ?? []).filter((m) => m.phase === 'scheduled' || m.phase === 'in_progress')
  const past = (list.data?.maintenances ?? []).filter((m) => m.phase === 'completed' || m.phase === 'cancelled').slice(0, 10)
  return (
    <section class="card" aria-labelledby="mnt-title">
      <div class="card-head">
        <h2 id="mnt-title">Scheduled maintenance</h2>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <table class="table">
        <tbody>
          {[...upcoming, ...past].map((m) => (
            <tr>
              <td>
                <div style={{ fontWeight: 550 }}>{m.title}</div>
                <div class="faint" style={{ fontSize: '12px' }}>
                  {fullTime(m.starts_at)} – {fullTime(m.ends_at)}
                  {m.components.length ? ` · ${m.components.map((c) => c.name).join(', ')}` : ''}
                </div>
              </td>
              <td style={{ width: '120px' }}>
                <span class="pill plain">{m.phase.replace('_', ' ')}</span>
              </td>
              <td style={{ width: '90px', textAlign: 'right' }}>
                {responder && (m.phase === 'scheduled' || m.phase === 'in_progress') ? (
                  <button
                    class="small danger"
                    onClick={async () => {
                      if (confirm(`Cancel “${m.title}”?`) && (await attempt(() => incidentsApi.cancelMaintenance(projectId, m.id), 'Maintenance cancelled'))) void list.reload()
                    }}
                  >
                    Cancel
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {list.data && upcoming.length + past.length === 0 ? (
            <tr>
              <td class="faint">Nothing planned.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {responder ? (
        <form
          class="card-body stack"
          style={{ borderTop: '1px solid var(--border)' }}
          onSubmit={async (e) => {
            e.preventDefault()
            const ok = await attempt(
              () =>
                incidentsApi.scheduleMaintenance(projectId, {
                  title: form.title.trim(),
                  message: form.message.trim(),
                  starts_at: new Date(form.starts).toISOString(),
                  ends_at: new Date(form.ends).toISOString(),
                  component_ids: form.components,
                }),
              'Maintenance scheduled — subscribers are told now',
            )
            if (ok) {
              setForm({ ...form, title: '', message: '', components: [] })
              void list.reload()
            }
          }}
        >
          <label class="field">
            Title
            <input required maxLength={200} value={form.title} placeholder="Database upgrade" onInput={(e) => setForm({ ...form, title: (e.target as HTMLInputElement).value })} />
          </label>
          <div class="field-row">
            <label class="field">
              Starts (your time)
              <input type="datetime-local" required value={form.starts} onInput={(e) => setForm({ ...form, starts: (e.target as HTMLInputElement).value })} />
            </label>
            <label class="field">
              Ends
              <input type="datetime-local" required value={form.ends} onInput={(e) => setForm({ ...form, ends: (e.target as HTMLInputElement).value })} />
            </label>
          </div>
          <label class="field">
            What customers should know
            <textarea rows={2} maxLength={5000} value={form.message} onInput={(e) => setForm({ ...form, message: (e.target as HTMLTextAreaElement).value })} />
          </label>
          {(comps.data?.components ?? []).length ? (
            <div class="row" style={{ flexWrap: 'wrap', gap: '12px', fontSize: '13px' }}>
              {comps.data!.components.map((c) => (
                <label class="row" style={{ gap: '6px' }}>
                  <input
                    type="checkbox"
                    checked={form.components.includes(c.id)}
                    onChange={(e) => setForm({ ...form, components: (e.target as HTMLInputElement).checked ? [...form.components, c.id] : form.components.filter((x) => x !== c.id) })}
                  />
                  {c.name}
                </label>
              ))}
            </div>
          ) : null}
          <div class="form-actions">
            <button class="primary" type="submit" disabled={!form.title.trim()}>
              Schedule maintenance
            </button>
          </div>
        </form>
      ) : null}
    </section>
  )
}

function Subscribers({ projectId }: { projectId: string }) {
  const list = useAsync(() => incidentsApi.subscribers(projectId), [projectId])
  const subs = list.data?.subscribers ?? []
  const confirmed = subs.filter((s) => s.state === 'confirmed').length
  return (
    <section class="card" aria-labelledby="sub-title">
      <div class="card-head">
        <h2 id="sub-title">E-mail subscribers</h2>
        <span class="faint" style={{ fontSize: '12.5px' }}>
          {confirmed} confirmed · webhooks are under <Link href={`/settings/projects/${projectId}`}>project settings</Link>
        </span>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <table class="table">
        <tbody>
          {subs.slice(0, 200).map((s) => (
            <tr>
              <td>{s.email}</td>
              <td class="faint">{s.component_ids.length ? `${s.component_ids.length} component${s.component_ids.length === 1 ? '' : 's'}` : 'All updates'}</td>
              <td>
                <span class="pill plain">{s.state}</span>
              </td>
              <td style={{ width: '90px', textAlign: 'right' }}>
                {s.state !== 'unsubscribed' ? (
                  <button
                    class="small danger"
                    onClick={async () => {
                      if (await attempt(() => incidentsApi.removeSubscriber(projectId, s.id), 'Subscriber removed')) void list.reload()
                    }}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {list.data && subs.length === 0 ? (
            <tr>
              <td class="faint">No subscribers yet. Customers subscribe at the bottom of the status page (double opt-in).</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  )
}

function PrivateAccess({ projectId }: { projectId: string }) {
  const list = useAsync(() => incidentsApi.tokens(projectId), [projectId])
  const [label, setLabel] = useState('')
  const [created, setCreated] = useState<{ secret: string; url: string }>()
  return (
    <section class="card" aria-labelledby="tok-title">
      <div class="card-head">
        <h2 id="tok-title">Private incidents: access tokens</h2>
      </div>
      <div class="card-body stack">
        <p class="faint" style={{ fontSize: '13px' }}>
          Private incidents never appear on the public page, feeds or API. A token shows them: as a link (<code>?token=</code>), a <code>Bearer</code> header for summary.json, or the
          widget’s <code>X-Earshot-Status-Token</code> for signed-in customers.
        </p>
        {created ? (
          <div class="stack" style={{ gap: '6px' }}>
            <strong style={{ fontSize: '13px' }}>Copy it now — it is shown once:</strong>
            <div class="secret">{created.url}</div>
          </div>
        ) : null}
        <form
          class="row"
          style={{ gap: '8px' }}
          onSubmit={async (e) => {
            e.preventDefault()
            try {
              const t = await incidentsApi.createToken(projectId, label.trim())
              setCreated({ secret: t.secret, url: t.private_url })
              setLabel('')
              void list.reload()
              toast('Token created')
            } catch (err) {
              toast((err as Error).message, 'error')
            }
          }}
        >
          <input class="grow" aria-label="Token label" placeholder="Who is it for? e.g. Acme Corp" maxLength={100} value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
          <button type="submit">Create token</button>
        </form>
      </div>
      <table class="table">
        <tbody>
          {(list.data?.tokens ?? []).map((t) => (
            <tr>
              <td>{t.label || <span class="faint">(no label)</span>}</td>
              <td class="faint">created {fullTime(t.created_at)}</td>
              <td style={{ width: '90px', textAlign: 'right' }}>
                {t.revoked_at ? (
                  <span class="pill plain">revoked</span>
                ) : (
                  <button
                    class="small danger"
                    onClick={async () => {
                      if (await attempt(() => incidentsApi.revokeToken(projectId, t.id), 'Token revoked')) void list.reload()
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
