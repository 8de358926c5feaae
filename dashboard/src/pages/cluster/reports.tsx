import { api } from '../../api'
import { Icon } from '../../components/icons'
import { ReportContext } from '../../components/report-context'
import { ReportScreenshot } from '../../components/screenshot'
import { attempt, EmptyState, SourcePill, Time } from '../../components/ui'
import type { Report } from '../../types'

export type OlderReports = { reports: Report[]; next: string | null }

/** The cluster's reports, newest first: pick some to move (responders), page back through older ones. */
export function ReportList({
  clusterId,
  reports,
  picked,
  onTogglePick,
  onClearPicked,
  nextBefore,
  older,
  setOlder,
}: {
  clusterId: string
  reports: Report[]
  picked: Set<string>
  onTogglePick?: (id: string) => void
  onClearPicked: () => void
  nextBefore: string | null
  older: OlderReports | undefined
  setOlder: (o: OlderReports) => void
}) {
  return (
    <section class="card" aria-labelledby="reports-title">
      <div class="card-head">
        <h2 id="reports-title" class="grow">
          Reports <span class="faint">newest first</span>
        </h2>
        {picked.size ? (
          <button class="small ghost" onClick={onClearPicked}>
            Clear selection ({picked.size})
          </button>
        ) : null}
      </div>
      {reports.length === 0 ? (
        <EmptyState title="No reports left">All reports were moved to other clusters.</EmptyState>
      ) : (
        <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {reports.map((r) => (
            <ReportItem
              key={r.id}
              report={r}
              picked={picked.has(r.id)}
              onPick={onTogglePick ? () => onTogglePick(r.id) : undefined}
            />
          ))}
        </ol>
      )}
      {nextBefore ? (
        <div style={{ padding: '12px 16px', borderTop: '1px solid var(--border)' }}>
          <button
            onClick={() =>
              attempt(async () => {
                const more = await api.clusterReports(clusterId, nextBefore)
                setOlder({ reports: [...(older?.reports ?? []), ...more.reports], next: more.next_before })
              })
            }
          >
            Load older reports
          </button>
        </div>
      ) : null}
    </section>
  )
}

/** One customer report. Everything in it is customer input: rendered as text only. */
function ReportItem({ report: r, picked, onPick }: { report: Report; picked: boolean; onPick?: () => void }) {
  // identify()'s e-mail and a typed one are shown with the rest of the context; support's contact here.
  const contact =
    typeof r.context?.customer_contact === 'string'
      ? r.context.customer_contact
      : !r.context?.user?.email
        ? r.email
        : undefined
  return (
    <li class="report" data-report-id={r.id}>
      <div>
        {onPick ? <input type="checkbox" checked={picked} onChange={onPick} aria-label="Select this report" /> : null}
      </div>
      <div style={{ minWidth: 0 }}>
        <p class="report-msg">{r.message}</p>
        <ReportContext report={r} />
        <ReportScreenshot report={r} />
        <div class="report-meta">
          <span>
            <Time iso={r.created_at} />
          </span>
          <SourcePill source={r.source} channel={r.channel} />
          {contact ? (
            <span>
              <Icon name="user" size={13} />
              <span class="v">{String(contact)}</span>
            </span>
          ) : null}
          {r.page_url || r.route ? (
            <span title={r.page_url ?? undefined}>
              <Icon name="globe" size={13} />
              {safeHttpUrl(r.page_url) ? (
                <a class="v mono" href={safeHttpUrl(r.page_url)} target="_blank" rel="noopener noreferrer nofollow">
                  {r.route ?? r.page_url}
                </a>
              ) : (
                <span class="v mono">{r.route ?? r.page_url}</span>
              )}
            </span>
          ) : null}
          {r.release ? (
            <span>
              <Icon name="rocket" size={13} />
              <span class="v mono">{r.release}</span>
            </span>
          ) : null}
          {r.browser ? <span class="v">{r.browser}</span> : null}
          {r.locale ? <span class="v">{r.locale}</span> : null}
        </div>
      </div>
    </li>
  )
}

/** Customer URLs become links only when they are plain http(s): never javascript:, data: or the like. */
function safeHttpUrl(url: string | null): string | undefined {
  if (!url) return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined
  } catch {
    return undefined
  }
}
