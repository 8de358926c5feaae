import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../api'
import { DeclareIncidentDialog } from '../components/declare-incident'
import { Icon } from '../components/icons'
import { TopBar } from '../components/layout'
import { TopicSurgeCard } from '../components/topic-surge'
import { Sparkline } from '../components/sparkline'
import { attempt, ClusterStatusPill, EmptyState, ErrorBanner, Skeleton, Time, num } from '../components/ui'
import { usePolling, useKeys } from '../hooks'
import { Link, navigate, type RouteProps } from '../router'
import { allProjects, can, projectName, useSession } from '../session'
import type { Cluster, ClusterQuery } from '../types'

/** Rows per page; "Show more" adds another page (the API caps a request at 200). */
const PAGE = 50

const STATUS_OPTIONS: [ClusterQuery['status'], string][] = [
  ['active', 'Active'],
  ['open', 'Open'],
  ['acknowledged', 'Acknowledged'],
  ['muted', 'Muted'],
  ['resolved', 'Resolved'],
  ['', 'All'],
]
const RANGE_OPTIONS: [NonNullable<ClusterQuery['range']>, string][] = [
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['', 'Any time'],
]

/** Filters live in the URL so a view can be shared and survives a reload. */
function readFilters(query: URLSearchParams): ClusterQuery {
  return {
    status: (query.get('status') ?? 'active') as ClusterQuery['status'],
    range: (query.get('range') ?? '') as ClusterQuery['range'],
    project_id: query.get('project') ?? '',
    release: query.get('release') ?? '',
    route: query.get('route') ?? '',
    q: query.get('q') ?? '',
  }
}

function writeFilters(f: ClusterQuery) {
  const qs = new URLSearchParams()
  if (f.status !== 'active') qs.set('status', f.status ?? '')
  if (f.range) qs.set('range', f.range)
  if (f.project_id) qs.set('project', f.project_id)
  if (f.release) qs.set('release', f.release)
  if (f.route) qs.set('route', f.route)
  if (f.q) qs.set('q', f.q)
  const s = qs.toString()
  navigate(`/clusters${s ? `?${s}` : ''}`, { replace: true })
}

let lastView = { search: '', selected: 0 }
function rememberListView(selected: number) {
  lastView = { search: location.search, selected }
}
function restoredSelection(search: string): number {
  return lastView.search === search ? lastView.selected : 0
}
/** The list as the responder left it (its URL), for Esc on a cluster page. */
export function lastListUrl(): string {
  return `/clusters${lastView.search}`
}

export function ClustersPage({ query }: RouteProps) {
  const session = useSession()
  const filters = readFilters(query)
  const key = JSON.stringify(filters)
  const [limit, setLimit] = useState(PAGE)
  useEffect(() => setLimit(PAGE), [key])
  const list = usePolling((etag) => api.clusters({ ...filters, limit }, etag), [key, limit], 4000)
  const [selected, setSelected] = useState(() => restoredSelection(location.search))
  const [declaring, setDeclaring] = useState<Cluster>()
  const [search, setSearch] = useState(filters.q ?? '')
  const searchRef = useRef<HTMLInputElement>(null)
  // Filters as you type: the URL (and so the list) follows 300 ms after the last key.
  useEffect(() => {
    if (search.trim() === (filters.q ?? '')) return
    const timer = setTimeout(
      () => writeFilters({ ...readFilters(new URLSearchParams(location.search)), q: search.trim() }),
      300,
    )
    return () => clearTimeout(timer)
  }, [search])
  // Back/forward to another query puts its text in the box.
  useEffect(() => setSearch((s) => (s.trim() === (filters.q ?? '') ? s : (filters.q ?? ''))), [filters.q])
  // Esc on a cluster comes back to exactly this view (filters, search, selection).
  rememberListView(selected)
  const clusters = list.data?.clusters ?? []
  const projects = allProjects(session)

  useEffect(() => setSelected((s) => Math.min(s, Math.max(0, clusters.length - 1))), [clusters.length])
  useEffect(() => {
    document.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [selected])

  const current = clusters[selected]
  const acknowledge = (c: Cluster) =>
    attempt(
      async () => {
        await api.setClusterStatus(c.id, c.status === 'acknowledged' ? 'open' : 'acknowledged')
        await list.reload()
      },
      c.status === 'acknowledged' ? 'Marked open again' : 'Acknowledged',
    )

  useKeys(
    {
      j: () => setSelected((s) => Math.min(s + 1, clusters.length - 1)),
      k: () => setSelected((s) => Math.max(s - 1, 0)),
      ArrowDown: () => setSelected((s) => Math.min(s + 1, clusters.length - 1)),
      ArrowUp: () => setSelected((s) => Math.max(s - 1, 0)),
      Enter: () => current && navigate(`/clusters/${current.id}`),
      a: () => current && can('responder') && void acknowledge(current),
      i: () => current && can('responder') && setDeclaring(current),
      '/': () => searchRef.current?.focus(),
    },
    [clusters, selected],
  )

  const set = (patch: Partial<ClusterQuery>) => writeFilters({ ...filters, ...patch })
  const facets = list.data?.facets
  const filtered = !!(
    filters.q ||
    filters.release ||
    filters.route ||
    filters.project_id ||
    filters.range ||
    filters.status !== 'active'
  )

  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Clusters</h1>}>
        <span
          class="row faint"
          style={{ fontSize: '12.5px' }}
          title={list.live ? 'Updates every few seconds' : 'Reconnecting…'}
        >
          <span class={`live-dot ${list.live ? '' : 'off'}`} aria-hidden="true" />
          {list.live ? 'Live' : 'Reconnecting'}
        </span>
        {can('support', session) ? (
          <Link class="btn" href="/reports/new">
            <Icon name="headset" /> Add a report
          </Link>
        ) : null}
      </TopBar>
      <div class="content">
        <form
          class="filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault()
            set({ q: search.trim() })
          }}
        >
          <div class="search">
            <Icon name="search" />
            <input
              ref={searchRef}
              type="search"
              placeholder="Search what customers wrote…  (press /)"
              aria-label="Search reports"
              value={search}
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
              onKeyDown={(e) => e.key === 'Escape' && (e.target as HTMLInputElement).blur()}
            />
          </div>
          <select
            aria-label="Status"
            value={filters.status}
            onChange={(e) => set({ status: (e.target as HTMLSelectElement).value as ClusterQuery['status'] })}
          >
            {STATUS_OPTIONS.map(([v, l]) => (
              <option value={v}>{l}</option>
            ))}
          </select>
          <select
            aria-label="Time range"
            value={filters.range}
            onChange={(e) => set({ range: (e.target as HTMLSelectElement).value as ClusterQuery['range'] })}
          >
            {RANGE_OPTIONS.map(([v, l]) => (
              <option value={v}>{l}</option>
            ))}
          </select>
          {projects.length > 1 ? (
            <select
              aria-label="Project"
              value={filters.project_id}
              onChange={(e) => set({ project_id: (e.target as HTMLSelectElement).value })}
            >
              <option value="">All projects</option>
              {projects.map((p) => (
                <option value={p.id}>{p.name}</option>
              ))}
            </select>
          ) : null}
          <select
            aria-label="Release"
            value={filters.release}
            onChange={(e) => set({ release: (e.target as HTMLSelectElement).value })}
          >
            <option value="">Any release</option>
            {[...new Set([...(facets?.releases ?? []), ...(filters.release ? [filters.release] : [])])].map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
          <select
            aria-label="Route"
            value={filters.route}
            onChange={(e) => set({ route: (e.target as HTMLSelectElement).value })}
          >
            <option value="">Any route</option>
            {[...new Set([...(facets?.routes ?? []), ...(filters.route ? [filters.route] : [])])].map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
          {filtered ? (
            <button
              type="button"
              class="ghost"
              onClick={() => {
                setSearch('')
                writeFilters({ status: 'active' })
              }}
            >
              Clear
            </button>
          ) : null}
        </form>

        {(list.data?.project_surges ?? []).map((s) => (
          <div class="alert" role="alert" style={{ marginBottom: '14px' }}>
            <Icon name="bolt" />
            <div class="grow">
              <strong>Reports across {projectName(s.project_id)} are surging</strong> — {s.reports} reports from{' '}
              {s.reporters} people in {s.window_minutes} min (about {Math.max(1, Math.round(s.expected))} expected),
              since <Time iso={s.started_at} />.{s.deploy ? ` It ${s.deploy.text}.` : ''}
            </div>
          </div>
        ))}
        {(list.data?.topic_surges ?? []).map((s) => (
          <TopicSurgeCard
            key={s.id}
            surge={s}
            canMerge={can('responder', session)}
            onMerged={() => void list.reload()}
          />
        ))}
        {list.error && !list.data ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
        {list.loading && !list.data ? (
          <Skeleton />
        ) : clusters.length === 0 && list.data ? (
          <div class="card">
            {filtered ? (
              <EmptyState icon="search" title="No clusters match">
                Try another search or clear the filters.
              </EmptyState>
            ) : (
              <EmptyState title="No customer reports yet">
                When customers use “Report an issue” in your product, their reports land here, grouped by problem.
                Support can also add one on a customer's behalf.
              </EmptyState>
            )}
          </div>
        ) : list.data ? (
          <div class="card">
            <div class="list-head" aria-hidden="true">
              <span>Problem</span>
              <span>Last 24 h</span>
              <span>Reports</span>
              <span>Seen</span>
            </div>
            <ul
              class="cluster-list"
              role="listbox"
              tabIndex={0}
              aria-label="Clusters (j/k to move, Enter to open)"
              aria-activedescendant={current ? `cluster-${current.id}` : undefined}
            >
              {clusters.map((c, i) => (
                <ClusterRow
                  key={c.id}
                  cluster={c}
                  index={i}
                  selected={i === selected}
                  onSelect={() => setSelected(i)}
                  showProject={projects.length > 1}
                />
              ))}
            </ul>
            {clusters.length >= limit && limit < 200 ? (
              <div style={{ padding: '10px 16px', borderTop: '1px solid var(--border)' }}>
                <button onClick={() => setLimit((l) => Math.min(200, l + PAGE))}>Show more</button>
              </div>
            ) : null}
          </div>
        ) : null}
        <p class="faint key-hints" style={{ fontSize: '12px', marginTop: '12px' }}>
          <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> open ·{' '}
          {can('responder', session) ? (
            <>
              <kbd>a</kbd> acknowledge · <kbd>i</kbd> declare incident ·{' '}
            </>
          ) : null}
          <kbd>/</kbd> search · <kbd>?</kbd> all shortcuts
        </p>
      </div>
      {declaring ? <DeclareIncidentDialog cluster={declaring} onClose={() => setDeclaring(undefined)} /> : null}
    </>
  )
}

function ClusterRow({
  cluster: c,
  index,
  selected,
  onSelect,
  showProject,
}: {
  cluster: Cluster
  index: number
  selected: boolean
  onSelect: () => void
  showProject: boolean
}) {
  return (
    <li
      id={`cluster-${c.id}`}
      class="cluster-row"
      role="option"
      aria-selected={selected}
      data-index={index}
      onClick={(e) => {
        onSelect()
        if (!(e.target as HTMLElement).closest('a')) navigate(`/clusters/${c.id}`)
      }}
    >
      <div style={{ minWidth: 0 }}>
        <div class="row">
          {c.surge ? (
            <span
              class="pill surge"
              title={`${c.surge.reports} reports from ${c.surge.reporters} people in ${c.surge.window_minutes} min${c.surge.deploy ? `; ${c.surge.deploy.text}` : ''}`}
            >
              {c.surge.scope === 'topic' && c.surge.topic ? `Surging: “${c.surge.topic}”` : 'Surging'}
            </span>
          ) : null}
          <Link class="cluster-title" href={`/clusters/${c.id}`} tabIndex={-1}>
            {c.title}
          </Link>
        </div>
        <div class="cluster-meta">
          <ClusterStatusPill status={c.status} />
          {c.incident_id && c.status !== 'resolved' ? (
            <Link
              href={`/incidents/${c.incident_id}`}
              class="pill st-investigating plain"
              onClick={(e) => e.stopPropagation()}
            >
              Incident
            </Link>
          ) : null}
          {showProject ? <span>{projectName(c.project_id)}</span> : null}
          {c.top_route ? (
            <span class="chip" title="Most reported route">
              {c.top_route}
            </span>
          ) : null}
          {c.top_release ? (
            <span class="chip" title="Most reported release">
              {c.top_release}
            </span>
          ) : null}
        </div>
      </div>
      <div style={{ justifySelf: 'end' }}>
        <Sparkline values={c.sparkline ?? []} hot={!!c.surge} />
      </div>
      <div class="counts">
        <strong>{num(c.report_count)}</strong>
        <div class="faint">
          {num(c.reporter_count)} {c.reporter_count === 1 ? 'person' : 'people'}
        </div>
      </div>
      <div class="seen">
        <div>
          <Time iso={c.last_seen_at} />
        </div>
        <div class="faint" style={{ fontSize: '12px' }}>
          first <Time iso={c.first_seen_at} />
        </div>
      </div>
    </li>
  )
}
