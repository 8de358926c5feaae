import { useState } from 'preact/hooks'
import { attempt, ErrorBanner, fullTime } from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { incidentsApi, type DomainVerification, type StatusPageInfo } from '../client'

/** The page's addresses and feeds, and its custom domain: set (owners), verify (responders). */
export function Addresses({ projectId, owner, responder }: { projectId: string; owner: boolean; responder: boolean }) {
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
      if (
        await attempt(
          () => incidentsApi.verifyCustomDomain(projectId),
          `${s.custom_domain} is verified — the status page is served there now`,
        )
      )
        setDomain(undefined)
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
                {v.status === 'verified' ? (
                  <a href={`https://${s.custom_domain}`}>https://{s.custom_domain}</a>
                ) : (
                  <span>{s.custom_domain}</span>
                )}
                <span
                  class={`pill ${v.status === 'verified' ? 'resolved' : 'acknowledged'}`}
                  data-testid="domain-state"
                >
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
        {v && v.status === 'pending' ? (
          <DomainSteps info={s} verification={v} canVerify={responder} checking={checking} onVerify={verify} />
        ) : null}
        {owner ? (
          <form
            class="row"
            style={{ gap: '8px', alignItems: 'flex-end' }}
            onSubmit={async (e) => {
              e.preventDefault()
              if (
                await attempt(
                  () => incidentsApi.setCustomDomain(projectId, value.trim() || null),
                  value.trim() ? 'Custom domain saved — verify it to serve the page there' : 'Custom domain removed',
                )
              ) {
                setDomain(undefined)
                void info.reload()
              }
            }}
          >
            <label class="field grow">
              <span>
                Custom domain <span class="hint">— served at its root once a DNS record proves it is yours</span>
              </span>
              <input
                value={value}
                placeholder="status.example.com"
                onInput={(e) => setDomain((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit">Save</button>
          </form>
        ) : null}
      </div>
    </section>
  )
}

/**
 * What to do until a custom domain is verified: the TXT record that proves control, where to point
 * it, the last check.
 */
function DomainSteps({
  info,
  verification: v,
  canVerify,
  checking,
  onVerify,
}: {
  info: StatusPageInfo
  verification: DomainVerification
  canVerify: boolean
  checking: boolean
  onVerify: () => void
}) {
  const press = canVerify ? 'Press Verify.' : 'Ask a responder or owner to press Verify.'
  return (
    <div
      class="stack"
      role="region"
      aria-label="Verify the custom domain"
      style={{
        gap: '10px',
        padding: '12px 14px',
        border: '1px solid var(--border)',
        borderRadius: 'var(--radius-sm)',
        background: 'var(--sunken)',
      }}
    >
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
          <strong>{/^[\d.]+$|:/.test(v.cname_target) ? 'A/AAAA' : 'CNAME'}</strong> record to{' '}
          <code>{v.cname_target}</code> (on Cloudflare Workers: add it as a custom domain of the Worker).
        </li>
        <li>
          {press} Until then nothing is served at {info.custom_domain}, and e-mails and feeds link to{' '}
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
