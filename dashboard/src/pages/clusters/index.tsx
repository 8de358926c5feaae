// The clusters list: live, filtered through the URL (./filters), one row per cluster (./row), keys to move,
// acknowledge and declare; surges on top. Esc on a cluster page comes back to this exact view.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../../api'
import { DeclareIncidentDialog } from '../../components/declare-incident'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { TopicSurgeCard } from '../../components/topic-surge'
import { attempt, EmptyState, ErrorBanner, Skeleton, Time } from '../../components/ui'
import { usePolling, useKeys } from '../../hooks'
import { Link, navigate, type RouteProps } from '../../router'
import { allProjects, can, projectName, useSession } from '../../session'
import type { Cluster, ClusterQuery } from '../../types'
import { FilterBar, readFilters, writeFilters } from './filters'
import { ClusterRow } from './row'

/** Rows per page; "Show more" adds another page (the API caps a request at 200). */
const PAGE = 50

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
        <FilterBar
          filters={filters}
          facets={facets}
          projects={projects}
          filtered={filtered}
          search={search}
          setSearch={setSearch}
          searchRef={searchRef}
          set={set}
        />

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
