import { ErrorBanner } from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { RevokeTable } from '../../../components/revoke-table'
import { Link } from '../../../router'
import { incidentsApi } from '../client'

/** The status page's e-mail subscribers (responders): who, for what, and removing one. */
export function Subscribers({ projectId }: { projectId: string }) {
  const list = useAsync(() => incidentsApi.subscribers(projectId), [projectId])
  const subs = list.data?.subscribers ?? []
  const confirmed = subs.filter((s) => s.state === 'confirmed').length
  return (
    <section class="card" aria-labelledby="sub-title">
      <div class="card-head">
        <h2 id="sub-title">E-mail subscribers</h2>
        <span class="faint" style={{ fontSize: '12.5px' }}>
          {confirmed} confirmed · webhooks are under{' '}
          <Link href={`/settings/projects/${projectId}`}>project settings</Link>
        </span>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <RevokeTable
        rows={subs.slice(0, 200)}
        cells={(s) => (
          <>
            <td>{s.email}</td>
            <td class="faint">
              {s.component_ids.length
                ? `${s.component_ids.length} component${s.component_ids.length === 1 ? '' : 's'}`
                : 'All updates'}
            </td>
            <td>
              <span class="pill plain">{s.state}</span>
            </td>
          </>
        )}
        action={(s) =>
          s.state !== 'unsubscribed'
            ? { label: 'Remove', run: () => incidentsApi.removeSubscriber(projectId, s.id), done: 'Subscriber removed' }
            : null
        }
        actionWidth="90px"
        onDone={list.reload}
        empty={
          list.data
            ? 'No subscribers yet. Customers subscribe at the bottom of the status page (double opt-in).'
            : undefined
        }
      />
    </section>
  )
}
