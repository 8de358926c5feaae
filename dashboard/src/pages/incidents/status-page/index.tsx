import { TopBar } from '../../../components/layout'
import { Skeleton } from '../../../components/ui'
import { Link, navigate, type RouteProps } from '../../../router'
import { allProjects, can, useSession } from '../../../session'
import { Addresses } from './addresses'
import { Components } from './components'
import { Maintenances } from './maintenances'
import { PrivateAccess } from './private-access'
import { Subscribers } from './subscribers'

/**
 * Everything around the public status page of one project: addresses, components, maintenance,
 * subscribers, private access.
 */
export function StatusPageSettings({ query }: RouteProps) {
  const session = useSession()
  const projects = allProjects(session)
  const projectId = query.get('project') ?? projects[0]?.id
  if (!projectId)
    return (
      <div class="content">
        <Skeleton rows={2} />
      </div>
    )
  return (
    <>
      <TopBar
        crumbs={
          <>
            <Link href="/incidents">Incidents</Link>
            <span aria-hidden="true">/</span>
            <span>Status page</span>
          </>
        }
      >
        {projects.length > 1 ? (
          <select
            aria-label="Project"
            value={projectId}
            onChange={(e) =>
              navigate(`/incidents/status-page?project=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)
            }
          >
            {projects.map((p) => (
              <option value={p.id}>{p.name}</option>
            ))}
          </select>
        ) : null}
      </TopBar>
      <div class="content stack" style={{ gap: '20px', maxWidth: '920px' }}>
        <Addresses projectId={projectId} owner={can('owner', session)} responder={can('responder', session)} />
        <Components projectId={projectId} responder={can('responder', session)} />
        <Maintenances projectId={projectId} responder={can('responder', session)} />
        {can('responder', session) ? <Subscribers projectId={projectId} /> : null}
        {can('owner', session) ? <PrivateAccess projectId={projectId} /> : null}
      </div>
    </>
  )
}
