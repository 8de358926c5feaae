import { useState } from 'preact/hooks'
import { api } from '../api'
import { Brand, EmptyState, ErrorBanner } from '../components/ui'
import { useAsync } from '../hooks'
import { navigate, type RouteProps } from '../router'
import { loadSession } from '../session'

/** Where an invitation link lands: create an account (or sign in) and join the workspace. */
export function InvitePage({ params }: RouteProps) {
  const info = useAsync(() => api.invitationInfo(params.token!), [params.token])
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await api.acceptInvitation(params.token!, { name, email: info.data?.email ?? email, password })
      await loadSession()
      navigate('/clusters', { replace: true })
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="auth">
      <div class="card auth-card stack">
        <Brand />
        {info.error ? (
          <EmptyState icon="alert" title="This invitation does not work">
            {info.error.message} Ask for a new link.
          </EmptyState>
        ) : !info.data ? (
          <div class="skeleton" />
        ) : (
          <form class="stack" onSubmit={submit}>
            <div>
              <h1>Join {info.data.workspace_name}</h1>
              <p class="muted">
                You are invited as <strong>{info.data.role}</strong>. Create your account, or use your existing password if you already have one.
              </p>
            </div>
            <ErrorBanner error={error} />
            <label class="field">
              Name
              <input autocomplete="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
            </label>
            <label class="field">
              E-mail
              {info.data.email ? (
                <input type="email" value={info.data.email} disabled />
              ) : (
                <input type="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
              )}
            </label>
            <label class="field">
              Password <span class="hint">At least 10 characters.</span>
              <input type="password" autocomplete="new-password" required minLength={10} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
            </label>
            <button class="primary" type="submit" disabled={busy} style={{ height: '36px' }}>
              Join workspace
            </button>
          </form>
        )}
      </div>
    </main>
  )
}
