import { attempt, ErrorBanner } from '../../../components/ui'
import { useAsync } from '../../../hooks'
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
          {confirmed} confirmed · webhooks are under <Link href={`/settings/projects/${projectId}`}>project settings</Link>
        </span>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <table class="table">
        <tbody>
          {subs.slice(0, 200).map((s) => (
            <tr>
              <td>{s.email}</td>
              <td class="faint">{s.component_ids.length ? `${s.component_ids.length} component${s.component_ids.length === 1 ? '' : 's'}` : 'All updates'}</td>
              <td>
                <span class="pill plain">{s.state}</span>
              </td>
              <td style={{ width: '90px', textAlign: 'right' }}>
                {s.state !== 'unsubscribed' ? (
                  <button
                    class="small danger"
                    onClick={async () => {
                      if (await attempt(() => incidentsApi.removeSubscriber(projectId, s.id), 'Subscriber removed')) void list.reload()
                    }}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {list.data && subs.length === 0 ? (
            <tr>
              <td class="faint">No subscribers yet. Customers subscribe at the bottom of the status page (double opt-in).</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  )
}
