import { useState } from 'preact/hooks'
import { api } from '../../api'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { EmptyState, ErrorBanner, Modal, toast } from '../../components/ui'
import { useFormSubmit } from '../../hooks'
import { Link, navigate } from '../../router'
import { allProjects, can, currentWorkspace, loadSession, useSession } from '../../session'

export function ProjectsPage() {
  const session = useSession()
  const ws = currentWorkspace(session)
  const projects = allProjects(session)
  const [creating, setCreating] = useState(false)
  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Projects</h1>}>
        {can('owner', session) ? (
          <button class="primary" onClick={() => setCreating(true)}>
            <Icon name="plus" /> New project
          </button>
        ) : null}
      </TopBar>
      <div class="content">
        {projects.length === 0 ? (
          <div class="card">
            <EmptyState icon="globe" title="No projects yet">
              A project is one product that embeds the widget. Create one to get its public key.
            </EmptyState>
          </div>
        ) : (
          <section class="card">
            <table class="table">
              <thead>
                <tr>
                  <th>Project</th>
                  <th>Public key</th>
                  <th>Allowed origins</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((p) => (
                  <tr class="clickable" onClick={() => navigate(`/settings/projects/${p.id}`)}>
                    <td>
                      <div class="row">
                        <span style={{ width: '10px', height: '10px', borderRadius: '3px', background: p.color }} />
                        <Link href={`/settings/projects/${p.id}`} style={{ color: 'var(--text)', fontWeight: 550 }}>
                          {p.name}
                        </Link>
                      </div>
                      <div class="faint mono">{p.slug}</div>
                    </td>
                    <td>
                      <code>{p.public_key.slice(0, 12)}…</code>
                    </td>
                    <td class="muted">{p.allowed_origins.length ? p.allowed_origins.join(', ') : 'none yet'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
      {creating && ws ? <NewProjectDialog workspaceId={ws.id} onClose={() => setCreating(false)} /> : null}
    </>
  )
}

function NewProjectDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const [name, setName] = useState('')
  const [slug, setSlug] = useState('')
  const [origins, setOrigins] = useState('')
  const { error, submit } = useFormSubmit(async () => {
    const { project } = await api.createProject(workspaceId, {
      name,
      slug,
      allowed_origins: origins.split(/[\s,]+/).filter(Boolean),
    })
    await loadSession()
    toast('Project created')
    onClose()
    navigate(`/settings/projects/${project.id}`)
  })
  return (
    <Modal title="New project" onClose={onClose}>
      <form class="stack" onSubmit={submit}>
        <ErrorBanner error={error} />
        <label class="field">
          Name
          <input
            required
            maxLength={100}
            value={name}
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value
              setName(v)
              setSlug(
                v
                  .toLowerCase()
                  .replace(/[^a-z0-9]+/g, '-')
                  .replace(/^-|-$/g, '')
                  .slice(0, 40),
              )
            }}
          />
        </label>
        <label class="field">
          Slug <span class="hint">Used in the status page address.</span>
          <input
            required
            pattern="[a-z0-9][a-z0-9-]*"
            maxLength={40}
            value={slug}
            onInput={(e) => setSlug((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="field">
          Allowed origins <span class="hint">Where the widget runs, e.g. https://app.example.com (one per line)</span>
          <textarea rows={3} value={origins} onInput={(e) => setOrigins((e.target as HTMLTextAreaElement).value)} />
        </label>
        <div class="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit">
            Create project
          </button>
        </div>
      </form>
    </Modal>
  )
}
