import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../api'
import { DeclareIncidentDialog } from '../components/declare-incident'
import { Icon } from '../components/icons'
import { TopBar } from '../components/layout'
import { clustersText, mergedToast, reportsText, undoMerge } from '../components/merge-undo'
import { TopicSurgeCard } from '../components/topic-surge'
import { ReportContext } from '../components/report-context'
import { RateTimeline } from '../components/timeline'
import { ReportScreenshot, ScreenshotCount } from '../components/screenshot'
import { attempt, ClusterStatusPill, EmptyState, ErrorBanner, IncidentStatusPill, Modal, Skeleton, SourcePill, Time, toast, num } from '../components/ui'
import { useAsync, useKeys, usePolling } from '../hooks'
import { Link, navigate, type RouteProps } from '../router'
import { lastListUrl } from './clusters'
import { can, currentWorkspace, projectName, useSession } from '../session'
import type { Breakdown, Cluster, ClusterPage as Page, Report, SimilarCluster } from '../types'

export function ClusterPage({ params }: RouteProps) {
  const session = useSession()
  const id = params.id!
  const page = usePolling((etag) => api.cluster(id, etag), [id], 5000)
  const [older, setOlder] = useState<{ reports: Report[]; next: string | null }>()
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const [dialog, setDialog] = useState<'declare' | 'merge' | 'move' | 'assign' | 'link'>()
  const [renaming, setRenaming] = useState(false)
  const [mergeFrom, setMergeFrom] = useState<Cluster[]>()
  const data = page.data
  const cluster = data?.cluster
  const responder = can('responder', session)

  const act = (fn: () => Promise<unknown>, ok: string) =>
    attempt(async () => {
      await fn()
      await page.reload()
    }, ok)

  useKeys(
    {
      a: () => cluster && responder && void act(() => api.setClusterStatus(cluster.id, cluster.status === 'acknowledged' ? 'open' : 'acknowledged'), cluster.status === 'acknowledged' ? 'Marked open' : 'Acknowledged'),
      i: () => cluster && responder && !cluster.incident_id && setDialog('declare'),
      m: () => cluster && responder && setDialog('merge'),
      r: () => cluster && responder && setRenaming(true),
      Escape: () => navigate(lastListUrl()),
    },
    [cluster, responder],
  )

  if (page.error && !data)
    return (
      <>
        <TopBar crumbs={<Link href="/clusters">Clusters</Link>} />
        <div class="content">
          {page.error.status === 404 ? (
            <EmptyState icon="search" title="Cluster not found">
              It may have been merged, or it belongs to another workspace. <Link href="/clusters">Back to clusters</Link>
            </EmptyState>
          ) : (
            <ErrorBanner error={page.error} onRetry={page.reload} />
          )}
        </div>
      </>
    )
  if (!data || !cluster)
    return (
      <div class="content">
        <Skeleton rows={4} />
      </div>
    )

  if (cluster.merged_into_id)
    return (
      <>
        <TopBar crumbs={<Link href="/clusters">Clusters</Link>} />
        <div class="content">
          <EmptyState icon="merge" title="This cluster was merged">
            Its reports now live in <Link href={`/clusters/${cluster.merged_into_id}`}>the cluster it was merged into</Link>.
          </EmptyState>
        </div>
      </>
    )

  const reports = [...data.reports, ...(older?.reports ?? [])]
  const nextBefore = older ? older.next : (data.next_before ?? null)
  const togglePick = (rid: string) =>
    setPicked((s) => {
      const n = new Set(s)
      n.has(rid) ? n.delete(rid) : n.add(rid)
      return n
    })

  return (
    <>
      <TopBar
        crumbs={
          <>
            <Link href="/clusters">Clusters</Link>
            <span aria-hidden="true">/</span>
            <span class="nowrap" style={{ overflow: 'hidden', textOverflow: 'ellipsis', color: 'var(--text-2)' }}>
              {projectName(cluster.project_id)}
            </span>
          </>
        }
      >
        <span class="row faint" style={{ fontSize: '12.5px' }}>
          <span class={`live-dot ${page.live ? '' : 'off'}`} aria-hidden="true" />
          {page.live ? 'Live' : 'Reconnecting'}
        </span>
      </TopBar>
      <div class="content">
        <div class="page-head">
          <div class="grow">
            <div class="row" style={{ marginBottom: '6px' }}>
              <ClusterStatusPill status={cluster.status} />
              {cluster.surge ? (
                <span class="pill surge" title={cluster.surge.deploy?.text ?? ''}>
                  Surging · {cluster.surge.reports} reports in {cluster.surge.window_minutes} min{cluster.surge.deploy ? ` · after ${cluster.surge.deploy.release}` : ''}
                </span>
              ) : null}
              {data.incident && cluster.status === 'resolved' && data.incident.status === 'resolved' ? (
                <span class="row" style={{ gap: '6px', fontSize: '13px' }}>
                  resolved with <Link href={`/incidents/${data.incident.id}`}>{data.incident.title}</Link>
                </span>
              ) : data.incident ? (
                <Link href={`/incidents/${data.incident.id}`} class="row" style={{ gap: '6px', fontSize: '13px' }}>
                  <IncidentStatusPill status={data.incident.status} /> {data.incident.title}
                </Link>
              ) : null}
            </div>
            {renaming ? (
              <RenameForm cluster={cluster} onDone={() => (setRenaming(false), void page.reload())} onCancel={() => setRenaming(false)} />
            ) : (
              <div class="row" style={{ alignItems: 'flex-start' }}>
                <h1 class="grow" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                  {cluster.title}
                </h1>
                {responder ? (
                  <button class="small ghost" onClick={() => setRenaming(true)} aria-label="Rename this cluster" title="Rename (r)">
                    Rename
                  </button>
                ) : null}
              </div>
            )}
            {cluster.title_source === 'human' && !renaming ? (
              <p class="faint" style={{ fontSize: '12.5px', marginTop: '2px' }}>
                Named by a responder; Earshot keeps this title.
                {responder ? (
                  <>
                    {' '}
                    <button class="link-button" onClick={() => act(() => api.renameCluster(cluster.id, null), 'Automatic title back')}>
                      Use the automatic title
                    </button>
                  </>
                ) : null}
              </p>
            ) : null}
          </div>
        </div>

        {responder && data.undoable_merges?.length
          ? data.undoable_merges.map((m) => (
              <div class="notice" role="status">
                <span class="grow">
                  Merged {reportsText(m.reports)} from {m.clusters === 1 ? '1 cluster' : `${m.clusters} clusters`} into this one. You can undo it until{' '}
                  <time dateTime={m.undo_until} title={m.undo_until}>
                    {new Date(m.undo_until).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}
                  </time>
                  .
                </span>
                <button class="small" onClick={() => undoMerge(m.group_id, page.reload)}>
                  Undo merge
                </button>
              </div>
            ))
          : null}

        {(data.topic_surges ?? []).map((s) => (
          <TopicSurgeCard key={s.id} surge={s} canMerge={responder} here={cluster.id} onMerged={() => void page.reload()} />
        ))}
        {responder ? (
          <div class="actions" role="toolbar" aria-label="Cluster actions">
            {cluster.status === 'acknowledged' ? (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'open'), 'Marked open')}>
                Reopen <kbd>a</kbd>
              </button>
            ) : (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'acknowledged'), 'Acknowledged')}>
                <Icon name="check" /> Acknowledge <kbd>a</kbd>
              </button>
            )}
            <button onClick={() => setDialog('assign')}>
              <Icon name="assign" /> {data.assignee ? `Assigned: ${data.assignee.name || data.assignee.email}` : 'Assign'}
            </button>
            {cluster.status === 'muted' ? (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'open'), 'Unmuted')}>Unmute</button>
            ) : (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'muted'), 'Muted: this cluster will not alert')}>
                <Icon name="mute" /> Mute
              </button>
            )}
            <button onClick={() => setDialog('merge')}>
              <Icon name="merge" /> Merge… <kbd>m</kbd>
            </button>
            <button onClick={() => setDialog('move')} disabled={picked.size === 0} title={picked.size ? '' : 'Select reports below first'}>
              <Icon name="move" /> {picked.size ? `Move ${picked.size}…` : 'Move…'}
            </button>
            {cluster.status !== 'resolved' ? (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'resolved'), 'Resolved')}>Resolve</button>
            ) : null}
            <span class="grow" />
            {!cluster.incident_id ? (
              <>
                <button onClick={() => setDialog('link')}>
                  <Icon name="link" /> Link incident
                </button>
                <button class="primary" onClick={() => setDialog('declare')}>
                  <Icon name="flame" /> Declare incident <kbd>i</kbd>
                </button>
              </>
            ) : null}
          </div>
        ) : null}

        <div class="grid-4" style={{ marginBottom: '20px' }}>
          <Stat label="Reports" value={<>{num(cluster.report_count)}<ScreenshotCount count={cluster.screenshot_count} /></>} />
          <Stat label="People affected" value={num(cluster.reporter_count)} />
          <Stat label="First seen" value={<Time iso={cluster.first_seen_at} />} />
          <Stat label="Last seen" value={<Time iso={cluster.last_seen_at} />} />
        </div>

        <div class="grid-2">
          <div class="stack" style={{ gap: '20px' }}>
            {data.timeline ? (
              <section class="card" aria-labelledby="rate-title">
                <div class="card-head">
                  <h2 id="rate-title" class="grow">
                    Report rate
                  </h2>
                  <span class="faint" style={{ fontSize: '12px' }}>
                    {data.timeline.deploys.length ? <span style={{ color: 'var(--orange)' }}>▲ deploys</span> : 'No deploys in this window'}
                  </span>
                </div>
                <div class="card-body" style={{ paddingTop: '8px' }}>
                  <RateTimeline timeline={data.timeline} />
                </div>
              </section>
            ) : null}
            <section class="card" aria-labelledby="reports-title">
              <div class="card-head">
                <h2 id="reports-title" class="grow">
                  Reports <span class="faint">newest first</span>
                </h2>
                {picked.size ? (
                  <button class="small ghost" onClick={() => setPicked(new Set())}>
                    Clear selection ({picked.size})
                  </button>
                ) : null}
              </div>
              {reports.length === 0 ? (
                <EmptyState title="No reports left">All reports were moved to other clusters.</EmptyState>
              ) : (
                <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                  {reports.map((r) => (
                    <ReportItem key={r.id} report={r} picked={picked.has(r.id)} onPick={responder ? () => togglePick(r.id) : undefined} />
                  ))}
                </ol>
              )}
              {nextBefore ? (
                <div style={{ padding: '12px 16px', borderTop: '1px solid var(--border)' }}>
                  <button
                    onClick={() =>
                      attempt(async () => {
                        const more = await api.clusterReports(cluster.id, nextBefore)
                        setOlder({ reports: [...(older?.reports ?? []), ...more.reports], next: more.next_before })
                      })
                    }
                  >
                    Load older reports
                  </button>
                </div>
              ) : null}
            </section>
          </div>
          <aside class="stack" style={{ gap: '20px' }}>
            <SimilarCard cluster={cluster} responder={responder} onMerge={setMergeFrom} />
            {data.breakdowns ? (
              <section class="card" aria-label="Breakdowns">
                <BreakdownBlock title="Route" items={data.breakdowns.route} />
                <BreakdownBlock title="Release" items={data.breakdowns.release} />
                <BreakdownBlock title="Browser" items={data.breakdowns.browser} />
                <BreakdownBlock title="Locale" items={data.breakdowns.locale} />
                {data.breakdowns.source ? <BreakdownBlock title="Source" items={data.breakdowns.source} /> : null}
              </section>
            ) : null}
          </aside>
        </div>
      </div>
      {dialog === 'declare' ? <DeclareIncidentDialog cluster={cluster} onClose={() => setDialog(undefined)} /> : null}
      {dialog === 'merge' ? <MergeDialog cluster={cluster} onClose={() => setDialog(undefined)} /> : null}
      {mergeFrom ? <MergeConfirm sources={mergeFrom} target={cluster} onClose={() => setMergeFrom(undefined)} onDone={page.reload} /> : null}
      {dialog === 'move' ? (
        <MoveDialog
          cluster={cluster}
          reportIds={[...picked]}
          onClose={() => setDialog(undefined)}
          onDone={() => {
            setPicked(new Set())
            setOlder(undefined)
            void page.reload()
          }}
        />
      ) : null}
      {dialog === 'assign' ? <AssignDialog cluster={cluster} page={data} onClose={() => setDialog(undefined)} onDone={page.reload} /> : null}
      {dialog === 'link' ? <LinkIncidentDialog cluster={cluster} onClose={() => setDialog(undefined)} onDone={page.reload} /> : null}
    </>
  )
}

function Stat({ label, value }: { label: string; value: preact.ComponentChildren }) {
  return (
    <div class="card stat">
      <div class="label">{label}</div>
      <div class="value">{value}</div>
    </div>
  )
}

function BreakdownBlock({ title, items }: { title: string; items: Breakdown[] }) {
  const total = items.reduce((a, b) => a + b.count, 0) || 1
  return (
    <div class="breakdown">
      <h3>{title}</h3>
      {items.length === 0 ? <p class="faint" style={{ fontSize: '12.5px' }}>Not reported</p> : null}
      {items.map((b) => (
        <div class="bar-row">
          <span class="bar-label" title={b.value ?? 'unknown'}>
            <span class="bar-fill" style={{ width: `${(b.count / total) * 100}%` }} />
            {b.value ?? <span class="faint">unknown</span>}
          </span>
          <span class="bar-count">{Math.round((b.count / total) * 100)}%</span>
        </div>
      ))}
    </div>
  )
}

/** One customer report. Everything in it is customer input: rendered as text only. */
function ReportItem({ report: r, picked, onPick }: { report: Report; picked: boolean; onPick?: () => void }) {
  // identify()'s e-mail and a typed one are shown with the rest of the context; support's contact here.
  const contact = typeof r.context?.customer_contact === 'string' ? r.context.customer_contact : !r.context?.user?.email ? r.email : undefined
  return (
    <li class="report" data-report-id={r.id}>
      <div>{onPick ? <input type="checkbox" checked={picked} onChange={onPick} aria-label="Select this report" /> : null}</div>
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

function ClusterPicker({ exclude, onPick, label, secondary }: { exclude: string; onPick: (c: Cluster) => void; label: string; secondary?: { label: string; onPick: (c: Cluster) => void } }) {
  const [q, setQ] = useState('')
  const list = useAsync(() => api.clusters({ q: q.trim() || undefined, status: '', limit: 20, project_id: '' }), [q])
  const options = (list.data?.clusters ?? []).filter((c) => c.id !== exclude)
  return (
    <div class="stack" style={{ gap: '8px' }}>
      <input type="search" placeholder="Search clusters by what customers wrote…" aria-label={label} value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      <div class="card" style={{ maxHeight: '280px', overflowY: 'auto' }}>
        {options.length === 0 ? <p class="faint" style={{ padding: '12px' }}>{list.loading ? 'Searching…' : 'No other clusters found.'}</p> : null}
        {options.map((c) => (
          <div class="row" style={{ borderBottom: '1px solid var(--border)', paddingRight: '8px' }}>
            <button type="button" class="ghost grow" style={{ justifyContent: 'flex-start', height: 'auto', padding: '8px 12px', borderRadius: 0, minWidth: 0 }} onClick={() => onPick(c)}>
              <span class="grow" style={{ textAlign: 'left', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {c.title}
              </span>
              <span class="faint">{c.report_count}</span>
            </button>
            {secondary ? (
              <button type="button" class="small" onClick={() => secondary.onPick(c)} aria-label={`${secondary.label}: ${c.title}`}>
                {secondary.label}
              </button>
            ) : null}
          </div>
        ))}
      </div>
    </div>
  )
}

function RenameForm({ cluster, onDone, onCancel }: { cluster: Cluster; onDone: () => void; onCancel: () => void }) {
  const [title, setTitle] = useState(cluster.title)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])
  return (
    <form
      class="title-edit"
      onSubmit={(e) => {
        e.preventDefault()
        const t = title.trim()
        if (!t) return
        if (t === cluster.title) return onCancel()
        void attempt(() => api.renameCluster(cluster.id, t), 'Renamed').then((ok) => ok && onDone())
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation()
          onCancel()
        }
      }}
    >
      <input
        aria-label="Cluster title"
        value={title}
        maxLength={200}
        ref={input}
        onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
      />
      <button class="primary" type="submit" disabled={!title.trim()}>
        Save
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  )
}

/**
 * Other clusters most like this one (centroid similarity, so across languages as far as the
 * features go): merge one with a click, or select several and merge them at once. Each merge asks
 * first and can be undone.
 */
function SimilarCard({ cluster, responder, onMerge }: { cluster: Cluster; responder: boolean; onMerge: (sources: Cluster[]) => void }) {
  const list = useAsync(() => api.similarClusters(cluster.id), [cluster.id, cluster.report_count])
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const items = (list.data?.similar ?? []).filter((s) => s.cluster.project_id === cluster.project_id)
  useEffect(() => setPicked(new Set()), [cluster.id])
  const chosen = items.filter((s) => picked.has(s.cluster.id)).map((s) => s.cluster)
  return (
    <section class="card" aria-labelledby="similar-title" data-testid="similar-clusters">
      <div class="card-head">
        <h2 id="similar-title" class="grow">
          Similar clusters
        </h2>
        {responder && chosen.length ? (
          <button class="small primary" onClick={() => onMerge(chosen)}>
            Merge {chosen.length} selected
          </button>
        ) : null}
      </div>
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      {list.data && items.length === 0 ? <p class="faint" style={{ padding: '12px 16px', fontSize: '13px' }}>No similar clusters.</p> : null}
      {!list.data && !list.error ? <p class="faint" style={{ padding: '12px 16px', fontSize: '13px' }}>Looking…</p> : null}
      <div>
        {items.map((s) => (
          <SimilarRow
            s={s}
            responder={responder}
            picked={picked.has(s.cluster.id)}
            onPick={() =>
              setPicked((p) => {
                const n = new Set(p)
                n.has(s.cluster.id) ? n.delete(s.cluster.id) : n.add(s.cluster.id)
                return n
              })
            }
            onMerge={() => onMerge([s.cluster])}
          />
        ))}
      </div>
    </section>
  )
}

function SimilarRow({ s, responder, picked, onPick, onMerge }: { s: SimilarCluster; responder: boolean; picked: boolean; onPick: () => void; onMerge: () => void }) {
  return (
    <div class="similar-row" data-cluster-id={s.cluster.id}>
      {responder ? <input type="checkbox" checked={picked} onChange={onPick} aria-label={`Select “${s.cluster.title}”`} /> : null}
      <div class="grow" style={{ minWidth: 0 }}>
        <Link class="t" href={`/clusters/${s.cluster.id}`} title={s.cluster.title}>
          {s.cluster.title}
        </Link>
        <div class="sim" title="How alike the two clusters' reports are (centroid similarity)">
          {reportsText(s.cluster.report_count)} · {Math.round(s.similarity * 100)}% similar
          {s.kept_apart ? <span title="Marked as a different problem, or a merge of the two was undone"> · kept apart</span> : null}
        </div>
      </div>
      {responder ? (
        <button class="small" onClick={onMerge} aria-label={`Merge “${s.cluster.title}” into this cluster`}>
          Merge
        </button>
      ) : null}
    </div>
  )
}

/** Asks before merging `sources` into `target`, naming what moves; then offers Undo. */
function MergeConfirm({ sources, target, onClose, onDone }: { sources: Cluster[]; target: Cluster; onClose: () => void; onDone: () => unknown }) {
  const moving = sources.reduce((n, c) => n + c.report_count, 0)
  return (
    <Modal title={sources.length === 1 ? 'Merge this cluster?' : `Merge ${clustersText(sources.length)}?`} onClose={onClose}>
      <p>
        Move {reportsText(moving)} from {sources.length === 1 ? `“${sources[0]!.title}”` : clustersText(sources.length)} into “{target.title}” ({reportsText(target.report_count)})? New reports like them will follow.
        You can undo this for 10 minutes.
      </p>
      {sources.length > 1 ? (
        <ul style={{ margin: 0, paddingLeft: '18px', fontSize: '13px' }}>
          {sources.map((c) => (
            <li>
              {c.title} <span class="faint">· {reportsText(c.report_count)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="form-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class="primary"
          onClick={() =>
            attempt(async () => {
              const res = await api.mergeClusters(target.id, sources.map((c) => c.id))
              onClose()
              await onDone()
              mergedToast(res.merge, onDone)
            })
          }
        >
          Merge {reportsText(moving)}
        </button>
      </div>
    </Modal>
  )
}

function MergeDialog({ cluster, onClose }: { cluster: Cluster; onClose: () => void }) {
  const [target, setTarget] = useState<Cluster>()
  if (target)
    return (
      <Modal title="Merge these clusters?" onClose={onClose}>
        <p>
          Move {reportsText(cluster.report_count)} from “{cluster.title}” into “{target.title}” ({reportsText(target.report_count)})? This cluster then points to that one.
        </p>
        <div class="form-actions">
          <button type="button" onClick={() => setTarget(undefined)}>
            Back
          </button>
          <button
            type="button"
            class="primary"
            onClick={() =>
              attempt(async () => {
                const res = await api.mergeCluster(cluster.id, target.id)
                onClose()
                navigate(`/clusters/${target.id}`)
                mergedToast(res.merge, () => navigate(`/clusters/${cluster.id}`))
              })
            }
          >
            Merge {reportsText(cluster.report_count)}
          </button>
        </div>
      </Modal>
    )
  return (
    <Modal title="Merge into another cluster" onClose={onClose}>
      <p class="muted" style={{ fontSize: '13px' }}>
        Pick a cluster to move {cluster.report_count === 1 ? 'its 1 report' : `all ${cluster.report_count} reports`} into; new reports like them will follow and Earshot will not split them apart again. Or mark a cluster as
        a different problem: Earshot will then never merge the two on its own.
      </p>
      <ClusterPicker
        exclude={cluster.id}
        label="Target cluster"
        secondary={{ label: 'Not related', onPick: (other) => attempt(() => api.markNotRelated(cluster.id, other.id), 'Marked as a different problem') }}
        onPick={setTarget}
      />
    </Modal>
  )
}

function MoveDialog({ cluster, reportIds, onClose, onDone }: { cluster: Cluster; reportIds: string[]; onClose: () => void; onDone: () => void }) {
  const [title, setTitle] = useState('')
  const move = (target: { to_cluster_id?: string; new_title?: string }) =>
    attempt(async () => {
      const res = await api.moveReports(cluster.id, reportIds, target)
      onClose()
      onDone()
      toast(`Moved ${reportIds.length} report${reportIds.length === 1 ? '' : 's'}`)
      if (target.new_title) navigate(`/clusters/${res.cluster.id}`)
    })
  return (
    <Modal title={`Move ${reportIds.length} report${reportIds.length === 1 ? '' : 's'}`} onClose={onClose}>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault()
          if (title.trim()) void move({ new_title: title.trim() })
        }}
      >
        <input class="grow" placeholder="Name a new cluster for them…" aria-label="New cluster title" value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        <button class="primary" type="submit" disabled={!title.trim()}>
          New cluster
        </button>
      </form>
      <div class="faint" style={{ fontSize: '12px', textAlign: 'center' }}>
        or move them to an existing cluster
      </div>
      <ClusterPicker exclude={cluster.id} label="Target cluster" onPick={(t) => move({ to_cluster_id: t.id })} />
    </Modal>
  )
}

function AssignDialog({ cluster, page, onClose, onDone }: { cluster: Cluster; page: Page; onClose: () => void; onDone: () => void }) {
  const session = useSession()
  const ws = currentWorkspace(session)
  const members = useAsync(() => api.members(ws!.id), [ws?.id])
  const assign = (id: string | null) =>
    attempt(async () => {
      await api.assignCluster(cluster.id, id)
      onClose()
      onDone()
    }, id ? 'Assigned' : 'Unassigned')
  const eligible = (members.data?.members ?? []).filter((m) => m.role === 'owner' || m.role === 'responder')
  return (
    <Modal title="Assign to a responder" onClose={onClose}>
      <ErrorBanner error={members.error} />
      <div class="card">
        {eligible.map((m) => (
          <button type="button" class="ghost" style={{ width: '100%', justifyContent: 'flex-start', height: '40px', borderRadius: 0 }} onClick={() => assign(m.id)}>
            <span class="avatar">{(m.name || m.email).slice(0, 1)}</span>
            <span class="grow" style={{ textAlign: 'left' }}>
              {m.name || m.email} {m.id === session.me?.id ? <span class="faint">(you)</span> : null}
            </span>
            {page.assignee?.id === m.id ? <Icon name="check" /> : null}
          </button>
        ))}
      </div>
      {page.assignee ? (
        <div class="form-actions">
          <button onClick={() => assign(null)}>Unassign</button>
        </div>
      ) : null}
    </Modal>
  )
}

function LinkIncidentDialog({ cluster, onClose, onDone }: { cluster: Cluster; onClose: () => void; onDone: () => void }) {
  const list = useAsync(() => api.incidents(), [])
  const open = (list.data?.incidents ?? []).filter((i) => i.status !== 'resolved' && i.project_id === cluster.project_id)
  return (
    <Modal title="Link to an existing incident" onClose={onClose}>
      <ErrorBanner error={list.error} />
      {list.data && open.length === 0 ? <p class="muted">No open incidents in this project. Declare one instead.</p> : null}
      <div class="card">
        {open.map((i) => (
          <button
            type="button"
            class="ghost"
            style={{ width: '100%', justifyContent: 'flex-start', height: '40px', borderRadius: 0 }}
            onClick={() =>
              attempt(async () => {
                await api.linkIncident(cluster.id, i.id)
                onClose()
                onDone()
              }, 'Linked to the incident')
            }
          >
            <IncidentStatusPill status={i.status} />
            <span class="grow" style={{ textAlign: 'left', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {i.title}
            </span>
          </button>
        ))}
      </div>
    </Modal>
  )
}
