import { useState } from 'preact/hooks'
import { api } from '../../api'
import { DeclareIncidentDialog } from '../../components/declare-incident'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { reportsText, undoMerge } from '../../components/merge-undo'
import { TopicSurgeCard } from '../../components/topic-surge'
import { RateTimeline } from '../../components/timeline'
import { ScreenshotCount } from '../../components/screenshot'
import {
  attempt,
  ClusterStatusPill,
  EmptyState,
  ErrorBanner,
  IncidentStatusPill,
  Skeleton,
  Time,
  num,
} from '../../components/ui'
import { useKeys, usePolling } from '../../hooks'
import { Link, navigate, type RouteProps } from '../../router'
import { lastListUrl } from '../clusters'
import { can, projectName, useSession } from '../../session'
import type { Cluster } from '../../types'
import { AssignDialog } from './assign-dialog'
import { LinkIncidentDialog } from './link-dialog'
import { MergeConfirm, MergeDialog } from './merge-dialogs'
import { MoveDialog } from './move-dialog'
import { RenameForm } from './rename'
import { type OlderReports, ReportList } from './reports'
import { SimilarCard } from './similar'
import { BreakdownBlock, Stat } from './stats'

/** One cluster: what customers report, its state and every responder action on it. */
export function ClusterPage({ params }: RouteProps) {
  const session = useSession()
  const id = params.id!
  const page = usePolling((etag) => api.cluster(id, etag), [id], 5000)
  const [older, setOlder] = useState<OlderReports>()
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
      a: () =>
        cluster &&
        responder &&
        void act(
          () => api.setClusterStatus(cluster.id, cluster.status === 'acknowledged' ? 'open' : 'acknowledged'),
          cluster.status === 'acknowledged' ? 'Marked open' : 'Acknowledged',
        ),
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
              It may have been merged, or it belongs to another workspace.{' '}
              <Link href="/clusters">Back to clusters</Link>
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
            Its reports now live in{' '}
            <Link href={`/clusters/${cluster.merged_into_id}`}>the cluster it was merged into</Link>.
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
                  Surging · {cluster.surge.reports} reports in {cluster.surge.window_minutes} min
                  {cluster.surge.deploy ? ` · after ${cluster.surge.deploy.release}` : ''}
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
              <RenameForm
                cluster={cluster}
                onDone={() => (setRenaming(false), void page.reload())}
                onCancel={() => setRenaming(false)}
              />
            ) : (
              <div class="row" style={{ alignItems: 'flex-start' }}>
                <h1 class="grow" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                  {cluster.title}
                </h1>
                {responder ? (
                  <button
                    class="small ghost"
                    onClick={() => setRenaming(true)}
                    aria-label="Rename this cluster"
                    title="Rename (r)"
                  >
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
                    <button
                      class="link-button"
                      onClick={() => act(() => api.renameCluster(cluster.id, null), 'Automatic title back')}
                    >
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
                  Merged {reportsText(m.reports)} from {m.clusters === 1 ? '1 cluster' : `${m.clusters} clusters`} into
                  this one. You can undo it until{' '}
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
          <TopicSurgeCard
            key={s.id}
            surge={s}
            canMerge={responder}
            here={cluster.id}
            onMerged={() => void page.reload()}
          />
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
              <Icon name="assign" />{' '}
              {data.assignee ? `Assigned: ${data.assignee.name || data.assignee.email}` : 'Assign'}
            </button>
            {cluster.status === 'muted' ? (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'open'), 'Unmuted')}>Unmute</button>
            ) : (
              <button
                onClick={() =>
                  act(() => api.setClusterStatus(cluster.id, 'muted'), 'Muted: this cluster will not alert')
                }
              >
                <Icon name="mute" /> Mute
              </button>
            )}
            <button onClick={() => setDialog('merge')}>
              <Icon name="merge" /> Merge… <kbd>m</kbd>
            </button>
            <button
              onClick={() => setDialog('move')}
              disabled={picked.size === 0}
              title={picked.size ? '' : 'Select reports below first'}
            >
              <Icon name="move" /> {picked.size ? `Move ${picked.size}…` : 'Move…'}
            </button>
            {cluster.status !== 'resolved' ? (
              <button onClick={() => act(() => api.setClusterStatus(cluster.id, 'resolved'), 'Resolved')}>
                Resolve
              </button>
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
          <Stat
            label="Reports"
            value={
              <>
                {num(cluster.report_count)}
                <ScreenshotCount count={cluster.screenshot_count} />
              </>
            }
          />
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
                    {data.timeline.deploys.length ? (
                      <span style={{ color: 'var(--orange)' }}>▲ deploys</span>
                    ) : (
                      'No deploys in this window'
                    )}
                  </span>
                </div>
                <div class="card-body" style={{ paddingTop: '8px' }}>
                  <RateTimeline timeline={data.timeline} />
                </div>
              </section>
            ) : null}
            <ReportList
              clusterId={cluster.id}
              reports={reports}
              picked={picked}
              onTogglePick={responder ? togglePick : undefined}
              onClearPicked={() => setPicked(new Set())}
              nextBefore={nextBefore}
              older={older}
              setOlder={setOlder}
            />
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
      {mergeFrom ? (
        <MergeConfirm
          sources={mergeFrom}
          target={cluster}
          onClose={() => setMergeFrom(undefined)}
          onDone={page.reload}
        />
      ) : null}
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
      {dialog === 'assign' ? (
        <AssignDialog cluster={cluster} page={data} onClose={() => setDialog(undefined)} onDone={page.reload} />
      ) : null}
      {dialog === 'link' ? (
        <LinkIncidentDialog cluster={cluster} onClose={() => setDialog(undefined)} onDone={page.reload} />
      ) : null}
    </>
  )
}
