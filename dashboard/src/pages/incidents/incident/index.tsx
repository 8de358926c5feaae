import { TopBar } from '../../../components/layout'
import {
  EmptyState,
  ErrorBanner,
  fullTime,
  ImpactPill,
  IncidentStatusPill,
  Skeleton,
  Time,
} from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { Link, type RouteProps } from '../../../router'
import { can, projectName, useSession } from '../../../session'
import { COMPONENT_LABEL, incidentsApi } from '../client'
import { DetailsControls } from './details'
import { LearningCard } from './learning'
import { MayBeBack } from './may-be-back'
import { NotifyAffected } from './notify'
import { Timeline } from './timeline'
import { UpdateForm } from './update-form'

/** The incident page: post updates (with internal notes), resolve, tell everyone affected, and learn. */
export function IncidentPage({ params }: RouteProps) {
  const session = useSession()
  const page = useAsync(() => incidentsApi.get(params.id!), [params.id])
  const learning = useAsync(() => incidentsApi.learning(params.id!), [params.id])
  const incident = page.data?.incident
  const components = useAsync(
    async () => (incident ? (await incidentsApi.components(incident.project_id)).components : []),
    [incident?.project_id],
  )
  const reload = () => Promise.all([page.reload(), learning.reload()])

  if (page.error && !incident)
    return (
      <>
        <TopBar crumbs={<Link href="/incidents">Incidents</Link>} />
        <div class="content">
          {page.error.status === 404 ? (
            <EmptyState icon="search" title="Incident not found" />
          ) : (
            <ErrorBanner error={page.error} onRetry={page.reload} />
          )}
        </div>
      </>
    )
  if (!incident)
    return (
      <div class="content">
        <Skeleton rows={3} />
      </div>
    )
  const responder = can('responder', session)
  return (
    <>
      <TopBar
        crumbs={
          <>
            <Link href="/incidents">Incidents</Link>
            <span aria-hidden="true">/</span>
            <span class="nowrap">{incident.title}</span>
          </>
        }
      >
        <div class="row">
          {incident.status_page_url ? (
            <a
              class="btn"
              style={{ height: '26px', padding: '0 8px', fontSize: '12.5px' }}
              href={incident.status_page_url}
              target="_blank"
              rel="noopener"
            >
              Status page ↗
            </a>
          ) : null}
          <a
            class="btn"
            style={{ height: '26px', padding: '0 8px', fontSize: '12.5px' }}
            href={incidentsApi.exportUrl(incident.id)}
            download
          >
            Export Markdown
          </a>
        </div>
      </TopBar>
      <div class="content">
        <div class="page-head">
          <div class="grow">
            <div class="row" style={{ marginBottom: '6px', flexWrap: 'wrap' }}>
              <IncidentStatusPill status={incident.status} />
              <ImpactPill impact={incident.impact} />
              <span
                class={`pill plain`}
                title={
                  incident.visibility === 'private'
                    ? 'Only customers with a status-page token see it'
                    : 'On the status page, feeds, e-mails and webhooks'
                }
              >
                {incident.visibility === 'private' ? 'Private' : 'Public'}
              </span>
              <span class="faint" style={{ fontSize: '12.5px' }}>
                {projectName(incident.project_id)}
              </span>
            </div>
            <h1>{incident.title}</h1>
            <p class="faint" style={{ marginTop: '4px', fontSize: '13px' }}>
              Declared {fullTime(incident.created_at)} · updated <Time iso={incident.updated_at} />
            </p>
          </div>
          {responder ? <DetailsControls incident={incident} onChanged={page.reload} /> : null}
        </div>
        {incident.may_be_back_at && incident.status === 'resolved' ? (
          <MayBeBack incident={incident} responder={responder} onChanged={reload} />
        ) : null}
        <div class="grid-2">
          <div class="stack" style={{ gap: '20px' }}>
            {/* While it is active, acting comes first; once resolved, learning does. */}
            {incident.status === 'resolved' && learning.data ? <LearningCard l={learning.data.learning} /> : null}
            {responder && incident.status !== 'resolved' ? (
              <UpdateForm incident={incident} components={components.data ?? []} onPosted={reload} />
            ) : null}
            <Timeline incident={incident} />
            {responder ? (
              <NotifyAffected incident={incident} reporters={learning.data?.learning.reporters ?? 0} onSent={reload} />
            ) : null}
            {incident.status !== 'resolved' && learning.data ? <LearningCard l={learning.data.learning} /> : null}
            {responder && incident.status === 'resolved' ? (
              <UpdateForm incident={incident} components={components.data ?? []} onPosted={reload} />
            ) : null}
          </div>
          <aside class="stack" style={{ gap: '20px' }}>
            <section class="card" aria-labelledby="reports-title">
              <div class="card-head">
                <h2 id="reports-title">Customer reports</h2>
              </div>
              <div>
                {incident.clusters.length === 0 ? (
                  <p class="faint" style={{ padding: '14px 16px' }}>
                    No clusters linked.
                  </p>
                ) : null}
                {incident.clusters.map((c) => (
                  <Link
                    href={`/clusters/${c.id}`}
                    class="row"
                    style={{ padding: '10px 16px', borderBottom: '1px solid var(--border)', color: 'var(--text)' }}
                  >
                    <span class="grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                      {c.title}
                    </span>
                    <span class="faint" title={`${c.report_count} reports from ${c.reporter_count} reporters`}>
                      {c.report_count}
                    </span>
                  </Link>
                ))}
              </div>
            </section>
            <section class="card" aria-labelledby="components-title">
              <div class="card-head">
                <h2 id="components-title">Components</h2>
              </div>
              <div class="card-body">
                {incident.components.length === 0 ? (
                  <p class="faint">No component marked. {responder ? 'Choose them with the next update.' : ''}</p>
                ) : (
                  <dl class="kv">
                    {incident.components.map((c) => (
                      <>
                        <dt>{c.name}</dt>
                        {/* Resolved: what the public page shows now (the component's own status), and what it was. */}
                        {incident.status === 'resolved' ? (
                          <dd>
                            {COMPONENT_LABEL[components.data?.find((x) => x.id === c.id)?.status ?? 'operational']}{' '}
                            <span class="faint">(was {COMPONENT_LABEL[c.status]})</span>
                          </dd>
                        ) : (
                          <dd>{COMPONENT_LABEL[c.status]}</dd>
                        )}
                      </>
                    ))}
                  </dl>
                )}
              </div>
            </section>
            <section class="card" aria-labelledby="told-title">
              <div class="card-head">
                <h2 id="told-title">Reporters told</h2>
              </div>
              <div class="card-body">
                <p style={{ fontSize: '13px' }}>
                  {incident.notices.total === 0
                    ? incident.status === 'resolved'
                      ? 'No reporter left an anonymous id to tell.'
                      : 'When you resolve, everyone who reported it is told in the app ' +
                        '(and by e-mail if they left one).'
                    : `${incident.notices.total} in-app notice${incident.notices.total === 1 ? '' : 's'}, ` +
                      `${incident.notices.seen} seen.`}
                </p>
              </div>
            </section>
          </aside>
        </div>
      </div>
    </>
  )
}
