// A project's settings page: the widget key and embed snippet, allowed origins, then the sections
// that have files of their own (surge alerts and retention, status page language, webhooks).
import { useEffect, useState } from 'preact/hooks'
import { api } from '../../api'
import { TopBar } from '../../components/layout'
import { attempt, EmptyState, ErrorBanner, ReadOnlyNote, Skeleton } from '../../components/ui'
import { useAsync } from '../../hooks'
import { Link, type RouteProps } from '../../router'
import { can, loadSession, useSession } from '../../session'
import type { Project } from '../../types'
import { StatusLanguageSection } from './status-language'
import { AlertingSection } from './surge-alerts'
import { WebhooksSection } from './webhooks'

export function ProjectSettingsPage({ params }: RouteProps) {
  const session = useSession()
  const data = useAsync(() => api.project(params.id!), [params.id])
  const owner = can('owner', session)
  const project = data.data?.project
  if (data.error && !project)
    return (
      <div class="content">
        {data.error.status === 404 ? (
          <EmptyState icon="search" title="Project not found" />
        ) : (
          <ErrorBanner error={data.error} onRetry={data.reload} />
        )}
      </div>
    )
  if (!project)
    return (
      <div class="content">
        <Skeleton rows={3} />
      </div>
    )
  return (
    <>
      <TopBar
        crumbs={
          <>
            <Link href="/settings/projects">Projects</Link>
            <span aria-hidden="true">/</span>
            <span>{project.name}</span>
          </>
        }
      />
      <div class="content stack" style={{ maxWidth: '860px', gap: '20px' }}>
        {!owner ? (
          <ReadOnlyNote>
            Owners change a project's key, origins, alerts and webhooks; you see them as they are.
          </ReadOnlyNote>
        ) : null}
        <KeySection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <OriginsSection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <AlertingSection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <StatusLanguageSection project={project} owner={owner} onChange={(p) => data.setData({ project: p })} />
        <WebhooksSection project={project} owner={owner} />
      </div>
    </>
  )
}

type SectionProps = { project: Project; owner: boolean; onChange: (p: Project) => void }

function KeySection({ project, owner, onChange }: SectionProps) {
  const snippet = `<script src="${location.origin}/widget.js" data-key="${project.public_key}" async></script>`
  return (
    <section class="card">
      <div class="card-head">
        <h2 class="grow">Widget key</h2>
        {owner ? (
          <button
            class="small danger"
            onClick={() =>
              confirm(
                'Rotate the public key? The old key stops working at once: update your embed snippet right after.',
              ) &&
              attempt(async () => {
                const { project: p } = await api.rotateKey(project.id)
                onChange(p)
                await loadSession()
              }, 'New key issued')
            }
          >
            Rotate key
          </button>
        ) : null}
      </div>
      <div class="card-body stack">
        <p class="muted">Public by design: it only lets the allowed origins send reports. Embed it in your product:</p>
        <div class="secret" data-testid="embed-snippet">
          <span class="grow">{snippet}</span>
          <button class="small" onClick={() => navigator.clipboard?.writeText(snippet)}>
            Copy
          </button>
        </div>
      </div>
    </section>
  )
}

function OriginsSection({ project, owner, onChange }: SectionProps) {
  const [text, setText] = useState(project.allowed_origins.join('\n'))
  useEffect(() => setText(project.allowed_origins.join('\n')), [project.allowed_origins.join()])
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault()
        void attempt(async () => {
          const list = text.split(/[\s,]+/).filter(Boolean)
          // The API names the entry by index ("allowed_origins.2: …"); people count lines from 1.
          const { project: p } = await api.updateProject(project.id, { allowed_origins: list }).catch((err: Error) => {
            throw new Error(
              err.message.replace(/^allowed_origins\.(\d+): /, (_, i: string) => `Line ${Number(i) + 1}: `),
            )
          })
          onChange(p)
        }, 'Allowed origins saved')
      }}
    >
      <div class="card-head">
        <h2>Allowed origins</h2>
      </div>
      <div class="card-body stack">
        <label class="field">
          <span>
            Sites allowed to send reports with this key, one per line (scheme + host + port). <code>*</code> allows any
            site.
          </span>
          <textarea
            rows={4}
            disabled={!owner}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            class="mono"
          />
        </label>
        {owner ? (
          <div class="form-actions">
            <button class="primary" type="submit">
              Save origins
            </button>
          </div>
        ) : null}
      </div>
    </form>
  )
}
