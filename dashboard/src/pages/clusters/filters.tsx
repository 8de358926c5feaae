// The list's filters: they live in the URL (a view can be shared and survives a reload), and the
// bar above the list that edits them (search as you type, status, time range, project, release, route).
import type { Ref } from 'preact'
import { Icon } from '../../components/icons'
import { navigate } from '../../router'
import type { ClusterList, ClusterQuery, Project } from '../../types'

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
export function readFilters(query: URLSearchParams): ClusterQuery {
  return {
    status: (query.get('status') ?? 'active') as ClusterQuery['status'],
    range: (query.get('range') ?? '') as ClusterQuery['range'],
    project_id: query.get('project') ?? '',
    release: query.get('release') ?? '',
    route: query.get('route') ?? '',
    q: query.get('q') ?? '',
  }
}

export function writeFilters(f: ClusterQuery) {
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

/** The filter bar: `set` patches the filters (into the URL), `search` is the box's text as typed. */
export function FilterBar({
  filters,
  facets,
  projects,
  filtered,
  search,
  setSearch,
  searchRef,
  set,
}: {
  filters: ClusterQuery
  facets: ClusterList['facets'] | undefined
  projects: Project[]
  filtered: boolean
  search: string
  setSearch: (text: string) => void
  searchRef: Ref<HTMLInputElement>
  set: (patch: Partial<ClusterQuery>) => void
}) {
  return (
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
  )
}
