// The Outbox (owners): every e-mail and webhook delivery that went out, waits or failed, with its
// content and each attempt. Without an e-mail provider this is where e-mails wait, so a self-hoster
// can read what would go out (and, outside production, follow a confirmation link from here).
import { useState } from 'preact/hooks'
import { api } from '../../api'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { attempt, EmptyState, ErrorBanner, Skeleton, Time } from '../../components/ui'
import { useAsync } from '../../hooks'
import type { RouteProps } from '../../router'
import { can, currentWorkspace, projectName, useSession } from '../../session'
import type { OutboxEntry, OutboxQuery } from '../../types'

const STATUS_LABEL: Record<OutboxEntry['status'], string> = {
  pending: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
}
const STATUS_CLASS: Record<OutboxEntry['status'], string> = {
  pending: 'acknowledged',
  sending: 'acknowledged',
  sent: 'resolved',
  failed: 'open',
}

export function OutboxPage(_: RouteProps) {
  const session = useSession()
  const ws = currentWorkspace(session)
  const [channel, setChannel] = useState<NonNullable<OutboxQuery['channel']> | ''>('')
  const [status, setStatus] = useState<NonNullable<OutboxQuery['status']> | ''>('')
  const [older, setOlder] = useState<{ entries: OutboxEntry[]; next: string | null }>()
  const data = useAsync(
    () =>
      ws && can('owner', session)
        ? api.outbox(ws.id, { channel: channel || undefined, status: status || undefined })
        : Promise.resolve(undefined),
    [ws?.id, channel, status],
  )
  if (!can('owner', session))
    return (
      <div class="content">
        <EmptyState icon="inbox" title="Owners see the outbox">
          It lists every e-mail and webhook delivery of this workspace.
        </EmptyState>
      </div>
    )
  const list = data.data
  const entries = [...(list?.entries ?? []), ...(older?.entries ?? [])]
  const next = older ? older.next : (list?.next_before ?? null)
  const dev = list?.environment !== 'production'
  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Outbox</h1>}>
        <button onClick={() => void data.reload()}>Refresh</button>
      </TopBar>
      <div class="content stack" style={{ gap: '16px' }}>
        {list && !list.email_configured ? (
          <div class="alert warn" role="status">
            <Icon name="alert" />
            <div class="grow">
              <strong>E-mail is not configured yet.</strong> E-mails are queued here and nobody receives them until you
              set <code>EMAIL_API_URL</code>, <code>EMAIL_API_KEY</code> and <code>EMAIL_FROM</code> and restart; then
              they are sent.
            </div>
          </div>
        ) : null}
        <div class="filters">
          <select
            aria-label="Channel"
            value={channel}
            onChange={(e) => (setOlder(undefined), setChannel((e.target as HTMLSelectElement).value as typeof channel))}
          >
            <option value="">All channels</option>
            <option value="email">E-mails</option>
            <option value="webhook">Webhooks</option>
          </select>
          <select
            aria-label="Delivery status"
            value={status}
            onChange={(e) => (setOlder(undefined), setStatus((e.target as HTMLSelectElement).value as typeof status))}
          >
            <option value="">Any status</option>
            <option value="pending">Queued</option>
            <option value="sent">Sent</option>
            <option value="failed">Failed</option>
          </select>
        </div>
        <ErrorBanner error={data.error} onRetry={data.reload} />
        {!list ? (
          <Skeleton rows={3} />
        ) : entries.length === 0 ? (
          <div class="card">
            <EmptyState icon="inbox" title="Nothing in the outbox">
              Status-page confirmations, incident updates, “fixed” e-mails and webhook alerts show here as they are
              queued.
            </EmptyState>
          </div>
        ) : (
          <section class="card" aria-label="Outbox">
            <ul class="outbox-list">
              {entries.map((e) => (
                <OutboxItem entry={e} linkify={dev} />
              ))}
            </ul>
            {next ? (
              <div style={{ padding: '10px 16px', borderTop: '1px solid var(--border)' }}>
                <button
                  onClick={() =>
                    attempt(async () => {
                      const more = await api.outbox(ws!.id, {
                        channel: channel || undefined,
                        status: status || undefined,
                        before: next,
                      })
                      setOlder({ entries: [...(older?.entries ?? []), ...more.entries], next: more.next_before })
                    })
                  }
                >
                  Show older
                </button>
              </div>
            ) : null}
          </section>
        )}
      </div>
    </>
  )
}

function OutboxItem({ entry: e, linkify }: { entry: OutboxEntry; linkify: boolean }) {
  return (
    <li class="outbox-item" data-outbox-id={e.id}>
      <details>
        <summary>
          {/* Queued after a failed attempt: it is retried, and says when. */}
          <span class={`pill ${STATUS_CLASS[e.status]}`}>
            {e.status === 'pending' && e.attempts > 0 ? 'Retrying' : STATUS_LABEL[e.status]}
          </span>
          <span class="pill plain">{e.channel === 'email' ? 'E-mail' : 'Webhook'}</span>
          <span class="grow outbox-title">
            <strong>{e.channel === 'email' ? e.subject || '(no subject)' : e.event || 'webhook'}</strong>
            <span class="faint"> to </span>
            <span class="mono outbox-target">{e.target}</span>
          </span>
          <span class="faint nowrap">
            {e.project_id ? `${projectName(e.project_id)} · ` : ''}
            <Time iso={e.created_at} /> · {e.attempts} attempt{e.attempts === 1 ? '' : 's'}
          </span>
        </summary>
        <div class="outbox-body">
          {e.last_error ? (
            <p class="faint">
              Last error: {e.last_error}
              {e.status === 'pending' ? (
                <>
                  {' '}
                  · next attempt{' '}
                  {Date.parse(e.next_attempt_at) - Date.now() < 30_000 ? (
                    'in a few seconds'
                  ) : (
                    <Time iso={e.next_attempt_at} />
                  )}
                </>
              ) : null}
            </p>
          ) : null}
          {e.status === 'pending' && e.attempts === 0 && e.channel === 'email' ? (
            <p class="faint">Queued, not sent.</p>
          ) : null}
          <pre class="outbox-content">{linkify ? linkified(e.content) : e.content}</pre>
          {e.tries.length ? (
            <table class="table">
              <thead>
                <tr>
                  <th>Attempt</th>
                  <th>When</th>
                  <th>Answer</th>
                  <th>Took</th>
                </tr>
              </thead>
              <tbody>
                {e.tries.map((t) => (
                  <tr>
                    <td>{t.attempt}</td>
                    <td>
                      <Time iso={t.at} />
                    </td>
                    <td>{t.status_code ? `HTTP ${t.status_code}` : (t.error ?? 'no answer')}</td>
                    <td>{t.duration_ms} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </details>
    </li>
  )
}

/** Outside production, http(s) links in a message become links (to follow a confirmation by hand). */
function linkified(text: string) {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g)
  return parts.map((p, i) =>
    i % 2 === 1 ? (
      <a href={p} target="_blank" rel="noopener noreferrer">
        {p}
      </a>
    ) : (
      p
    ),
  )
}
