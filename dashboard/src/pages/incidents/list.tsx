import { useState } from 'preact/hooks'
import { DeclareIncidentDialog } from '../../components/declare-incident'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { EmptyState, ErrorBanner, ImpactPill, IncidentStatusPill, Skeleton, Time } from '../../components/ui'
import { useAsync } from '../../hooks'
import { Link, navigate } from '../../router'
import { allProjects, can, projectName, useSession } from '../../session'
import { duration, incidentsApi } from './client'

/** All incidents, active first, with the project's learning figures across incidents. */
export function IncidentsPage() {
  const session = useSession()
  const projects = allProjects(session)
  const list = useAsync(() => incidentsApi.list(), [])
  const incidents = list.data?.incidents ?? []
  const active = incidents.filter((i) => i.status !== 'resolved')
  const resolved = incidents.filter((i) => i.status === 'resolved')
  const [declaring, setDeclaring] = useState(false)
  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Incidents</h1>}>
        <Link class="btn" href="/incidents/status-page">
          Status page, components & maintenance
        </Link>
        {can('responder', session) && projects.length ? (
          <button class="primary" onClick={() => setDeclaring(true)}>
            <Icon name="flame" /> Declare incident
          </button>
        ) : null}
      </TopBar>
      {declaring ? <DeclareIncidentDialog onClose={() => setDeclaring(false)} /> : null}
      <div class="content stack" style={{ gap: '20px' }}>
        <ErrorBanner error={list.error} onRetry={list.reload} />
        {list.loading && !list.data ? <Skeleton rows={3} /> : null}
        {list.data && incidents.length === 0 ? (
          <div class="card">
            <EmptyState icon="flame" title="No incidents">
              Declare one from a cluster when customers report the same problem.{' '}
              <Link href="/clusters">Go to clusters</Link>
            </EmptyState>
          </div>
        ) : null}
        {[
          ['Active', active],
          ['Resolved', resolved],
        ].map(([label, items]) =>
          (items as typeof incidents).length ? (
            <section class="card" aria-label={label as string}>
              <div class="card-head">
                <h2>{label as string}</h2>
              </div>
              <table class="table">
                <thead>
                  <tr>
                    <th>Incident</th>
                    <th>Status</th>
                    <th>Impact</th>
                    <th class="wide-only">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {(items as typeof incidents).map((i) => (
                    <tr class="clickable" onClick={() => navigate(`/incidents/${i.id}`)}>
                      <td>
                        <Link href={`/incidents/${i.id}`} style={{ color: 'var(--text)', fontWeight: 550 }}>
                          {i.title}
                        </Link>
                        <div class="faint" style={{ fontSize: '12px' }}>
                          {projectName(i.project_id)} · {i.visibility === 'private' ? 'Private' : 'Public'}
                        </div>
                      </td>
                      <td>
                        <IncidentStatusPill status={i.status} />
                        {i.may_be_back_at ? (
                          <span
                            class="pill back"
                            style={{ marginLeft: '6px' }}
                            title="New reports arrived in its clusters after it was resolved"
                          >
                            May be back
                          </span>
                        ) : null}
                      </td>
                      <td>
                        <ImpactPill impact={i.impact} />
                      </td>
                      <td class="muted wide-only">
                        <Time iso={i.updated_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null,
        )}
        {projects.map((p) => (
          <ProjectLearning projectId={p.id} name={p.name} />
        ))}
      </div>
    </>
  )
}

function ProjectLearning({ projectId, name }: { projectId: string; name: string }) {
  const data = useAsync(() => incidentsApi.projectLearning(projectId), [projectId])
  const l = data.data?.learning
  if (!l || l.incidents === 0) return null
  return (
    <section class="card" aria-label={`Learning for ${name}`}>
      <div class="card-head">
        <h2>Learning · {name}</h2>
        <span class="faint" style={{ fontSize: '12.5px' }}>
          last {l.incidents} incident{l.incidents === 1 ? '' : 's'}
        </span>
      </div>
      <div class="grid-4" style={{ borderBottom: '1px solid var(--border)' }}>
        <div class="stat">
          <div class="label">Reported by customers first</div>
          <div class="value">
            {l.customer_reported} / {l.incidents}
          </div>
        </div>
        <div class="stat">
          <div class="label">Median time to detect</div>
          <div class="value">{duration(l.median_time_to_detect_ms)}</div>
        </div>
        <div class="stat">
          <div class="label">Median to first public update</div>
          <div class="value">{duration(l.median_time_to_first_update_ms)}</div>
        </div>
        <div class="stat">
          <div class="label">Median customer impact</div>
          <div class="value">{duration(l.median_customer_impact_ms)}</div>
        </div>
      </div>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th>Incident</th>
              <th>Time to detect</th>
              <th>First update</th>
              <th>Impact duration</th>
              <th>Reports · reporters</th>
              <th>Releases</th>
            </tr>
          </thead>
          <tbody>
            {l.rows.map((r) => (
              <tr class="clickable" onClick={() => navigate(`/incidents/${r.incident_id}`)}>
                <td>
                  <Link href={`/incidents/${r.incident_id}`} style={{ color: 'var(--text)' }}>
                    {r.title}
                  </Link>
                </td>
                <td>{duration(r.time_to_detect_ms)}</td>
                <td>{duration(r.time_to_first_update_ms)}</td>
                <td>{r.resolved_at ? duration(r.customer_impact_ms) : 'ongoing'}</td>
                <td>
                  {r.reports} · {r.reporters}
                </td>
                <td class="faint">{r.releases.map((x) => x.release).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
