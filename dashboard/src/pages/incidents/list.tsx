import { TopBar } from '../../components/layout'
import { EmptyState, ErrorBanner, ImpactPill, IncidentStatusPill, Skeleton, Time } from '../../components/ui'
import { useAsync } from '../../hooks'
import { api } from '../../api'
import { navigate, Link } from '../../router'
import { projectName } from '../../session'

export function IncidentsPage() {
  const list = useAsync(() => api.incidents(), [])
  const incidents = list.data?.incidents ?? []
  const active = incidents.filter((i) => i.status !== 'resolved')
  const resolved = incidents.filter((i) => i.status === 'resolved')
  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Incidents</h1>} />
      <div class="content stack" style={{ gap: '20px' }}>
        <ErrorBanner error={list.error} onRetry={list.reload} />
        {list.loading && !list.data ? <Skeleton rows={3} /> : null}
        {list.data && incidents.length === 0 ? (
          <div class="card">
            <EmptyState icon="flame" title="No incidents">
              Declare one from a cluster when customers report the same problem. <Link href="/clusters">Go to clusters</Link>
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
                    <th>Updated</th>
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
                      </td>
                      <td>
                        <ImpactPill impact={i.impact} />
                      </td>
                      <td class="muted">
                        <Time iso={i.updated_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null,
        )}
      </div>
    </>
  )
}
