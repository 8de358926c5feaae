import { useState } from 'preact/hooks'
import { api } from '../api'
import { Brand, ErrorBanner } from '../components/ui'
import { navigate, type RouteProps } from '../router'
import { loadSession } from '../session'

export function LoginPage({ query }: RouteProps) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const expired = query.get('expired') === '1'
  const forInvitation = (query.get('next') ?? '').startsWith('/dashboard/invite/')

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await api.signIn(email, password)
      await loadSession()
      const next = query.get('next')
      navigate(next?.startsWith('/dashboard/') && !next.startsWith('/dashboard/login') ? next : '/clusters', { replace: true })
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="auth">
      <form class="card auth-card stack" onSubmit={submit} aria-labelledby="signin-title">
        <Brand />
        <div>
          <h1 id="signin-title">Sign in</h1>
          <p class="muted">See what your customers are hitting right now.</p>
        </div>
        {expired ? <div class="alert info">Your session ended. Sign in again to continue.</div> : null}
        {forInvitation ? <div class="alert info">Sign in with your account to accept the invitation.</div> : null}
        <ErrorBanner error={error} />
        <label class="field">
          E-mail
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} autofocus />
        </label>
        <label class="field">
          Password
          <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        <button class="primary" type="submit" disabled={busy} style={{ height: '36px' }}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="faint" style={{ fontSize: '12.5px' }}>
          Invited by a teammate? Open the invitation link they sent you to create your account.
        </p>
      </form>
    </main>
  )
}
