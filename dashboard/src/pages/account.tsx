import { useState } from 'preact/hooks'
import { api } from '../api'
import { TopBar } from '../components/layout'
import { ErrorBanner, toast } from '../components/ui'
import { useFormSubmit } from '../hooks'
import { navigate } from '../router'
import { loadSession, markSignedOut, selectWorkspace, useSession } from '../session'

export function AccountPage() {
  const session = useSession()
  const me = session.me!
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function change(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await api.changePassword(current, next)
      setCurrent('')
      setNext('')
      toast('Password changed. Other sessions were signed out.')
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  async function everywhere() {
    try {
      await api.signOutEverywhere()
      markSignedOut()
      navigate('/login')
    } catch (err) {
      toast((err as Error).message, 'error')
    }
  }

  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Account</h1>} />
      <div class="content stack" style={{ maxWidth: '640px', gap: '20px' }}>
        <section class="card">
          <div class="card-head">
            <h2>Profile</h2>
          </div>
          <dl class="kv card-body" style={{ margin: 0 }}>
            <dt>Name</dt>
            <dd>{me.name || '—'}</dd>
            <dt>E-mail</dt>
            <dd>{me.email}</dd>
            <dt>Workspaces</dt>
            <dd>{me.workspaces?.map((w) => `${w.name} (${w.role})`).join(', ')}</dd>
          </dl>
        </section>
        <form class="card" onSubmit={change}>
          <div class="card-head">
            <h2>Change password</h2>
          </div>
          <div class="card-body stack">
            <ErrorBanner error={error} />
            <label class="field">
              Current password
              <input
                type="password"
                autocomplete="current-password"
                required
                value={current}
                onInput={(e) => setCurrent((e.target as HTMLInputElement).value)}
              />
            </label>
            <label class="field">
              New password <span class="hint">At least 10 characters.</span>
              <input
                type="password"
                autocomplete="new-password"
                required
                minLength={10}
                value={next}
                onInput={(e) => setNext((e.target as HTMLInputElement).value)}
              />
            </label>
            <div class="form-actions">
              <button class="primary" type="submit" disabled={busy}>
                Change password
              </button>
            </div>
          </div>
        </form>
        <NewWorkspace />
        <section class="card">
          <div class="card-head">
            <h2>Sessions</h2>
          </div>
          <div class="card-body row">
            <p class="muted grow">Lost a laptop? Sign out of Earshot on every device, this one included.</p>
            <button class="danger" onClick={everywhere}>
              Sign out everywhere
            </button>
          </div>
        </section>
      </div>
    </>
  )
}

function NewWorkspace() {
  const [name, setName] = useState('')
  const { error, submit } = useFormSubmit(async () => {
    const { workspace } = await api.createWorkspace(name)
    setName('')
    await loadSession()
    selectWorkspace(workspace.id)
    toast(`Workspace “${workspace.name}” created; you are its owner`)
    navigate('/settings/projects')
  })
  return (
    <form class="card" onSubmit={submit}>
      <div class="card-head">
        <h2>New workspace</h2>
      </div>
      <div class="card-body stack">
        <p class="muted">
          A separate team with its own projects, members and tokens. Nothing is shared between workspaces.
        </p>
        <ErrorBanner error={error} />
        <div class="row">
          <input
            class="grow"
            required
            maxLength={100}
            placeholder="Workspace name"
            aria-label="Workspace name"
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Create workspace</button>
        </div>
      </div>
    </form>
  )
}
