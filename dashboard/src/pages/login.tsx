import { useState } from 'preact/hooks'
import { api } from '../api'
import { AuthForm } from '../components/auth-form'
import { Brand } from '../components/ui'
import { navigate, type RouteProps } from '../router'
import { loadSession } from '../session'

export function LoginPage({ query }: RouteProps) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const expired = query.get('expired') === '1'
  const forInvitation = (query.get('next') ?? '').startsWith('/dashboard/invite/')

  async function signIn() {
    await api.signIn(email, password)
    await loadSession()
    const next = query.get('next')
    navigate(next?.startsWith('/dashboard/') && !next.startsWith('/dashboard/login') ? next : '/clusters', {
      replace: true,
    })
  }

  return (
    <main class="auth">
      <AuthForm
        class="card auth-card stack"
        labelledBy="signin-title"
        head={
          <>
            <Brand />
            <div>
              <h1 id="signin-title">Sign in</h1>
              <p class="muted">See what your customers are hitting right now.</p>
            </div>
            {expired ? <div class="alert info">Your session ended. Sign in again to continue.</div> : null}
            {forInvitation ? <div class="alert info">Sign in with your account to accept the invitation.</div> : null}
          </>
        }
        email={email}
        onEmail={setEmail}
        password={password}
        onPassword={setPassword}
        autofocus
        submitLabel="Sign in"
        busyLabel="Signing in…"
        onSubmit={signIn}
      >
        <p class="faint" style={{ fontSize: '12.5px' }}>
          Invited by a teammate? Open the invitation link they sent you to create your account.
        </p>
      </AuthForm>
    </main>
  )
}
