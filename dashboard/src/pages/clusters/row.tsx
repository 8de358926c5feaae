// One cluster in the list: title (with its surge), status, incident, route and release, the last
// 24 hours, counts and when it was seen. Clicking the row selects it and opens the cluster.
import { ClusterStatusPill, Time, num } from '../../components/ui'
import { Sparkline } from '../../components/sparkline'
import { Link, navigate } from '../../router'
import { projectName } from '../../session'
import type { Cluster } from '../../types'

export function ClusterRow({
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
              title={
                `${c.surge.reports} reports from ${c.surge.reporters} people in ${c.surge.window_minutes} min` +
                (c.surge.deploy ? `; ${c.surge.deploy.text}` : '')
              }
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
