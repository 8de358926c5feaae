import { useState } from 'preact/hooks'
import { api, ApiError } from '../api'
import { AuthForm } from '../components/auth-form'
import { Brand, EmptyState, ErrorBanner } from '../components/ui'
import { useAsync, useFormSubmit } from '../hooks'
import { navigate, type RouteProps } from '../router'
import { loadSession, markSignedOut, selectWorkspace, useSession } from '../session'

type Info = { workspace_name: string; role: string; email: string | null }

/**
 * Where an invitation link lands. Signed in: join with this account (no password asked). Signed
 * out: sign in first through the normal sign-in (for an existing account), or ask for a new account
 * — which the normal sign-in then creates. The server never checks a password here.
 */
export function InvitePage({ params }: RouteProps) {
  const token = params.token!
  const session = useSession()
  const info = useAsync(() => api.invitationInfo(token), [token])

  return (
    <main class="auth">
      <div class="card auth-card stack">
        <Brand />
        {info.error ? (
          <EmptyState icon="alert" title="This invitation does not work">
            {info.error.message} Ask for a new link.
          </EmptyState>
        ) : !info.data || session.status === 'loading' ? (
          <div class="skeleton" />
        ) : (
          <>
            <div>
              <h1>Join {info.data.workspace_name}</h1>
              <p class="muted">
                You are invited as <strong>{info.data.role}</strong>
                {info.data.email ? (
                  <>
                    {' '}
                    (for <strong>{info.data.email}</strong>)
                  </>
                ) : null}
                .
              </p>
            </div>
            {session.status === 'signed-in' ? (
              <JoinAsMe token={token} info={info.data} />
            ) : (
              <SignedOut token={token} info={info.data} />
            )}
          </>
        )}
      </div>
    </main>
  )
}

async function join(token: string) {
  const joined = await api.joinWithInvitation(token)
  await loadSession()
  selectWorkspace(joined.workspace_id)
  navigate('/clusters', { replace: true })
}

function JoinAsMe({ token, info }: { token: string; info: Info }) {
  const me = useSession().me!
  const otherAccount = !!info.email && info.email !== me.email.toLowerCase()
  const signOut = async () => {
    await api.signOut().catch(() => undefined)
    markSignedOut()
  }
  const { error, busy, submit: accept } = useFormSubmit(() => join(token))
  return (
    <div class="stack">
      <div class="alert info">
        <span class="grow">
          Signed in as <strong>{me.email}</strong>.
        </span>
      </div>
      {otherAccount ? (
        <ErrorBanner
          error={`This invitation is for ${info.email}. Sign out, then sign in with that account to accept it.`}
        />
      ) : (
        <ErrorBanner error={error} />
      )}
      {otherAccount ? null : (
        <button class="primary" type="button" onClick={() => accept()} disabled={busy} style={{ height: '36px' }}>
          {busy ? 'Joining…' : `Join ${info.workspace_name}`}
        </button>
      )}
      <button class="ghost" type="button" onClick={signOut}>
        Not you? Sign out
      </button>
    </div>
  )
}

function SignedOut({ token, info }: { token: string; info: Info }) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState(info.email ?? '')
  const [password, setPassword] = useState('')
  const signInFirst = () => navigate(`/login?next=${encodeURIComponent(`/dashboard/invite/${token}`)}`)

  async function create() {
    await api.requestAccount(token, { name, email: info.email ?? email, password })
    // The account is made by the normal (rate-limited) sign-in with what was just chosen.
    try {
      await api.signIn(info.email ?? email, password)
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        throw new Error(
          'This e-mail already has an Earshot account with another password. ' +
            'Sign in with that account to accept, or use another e-mail.',
        )
      }
      throw err
    }
    await loadSession()
    await join(token)
  }

  return (
    <>
      <section class="stack" aria-labelledby="have-account">
        <h2 id="have-account" style={{ fontSize: '14px' }}>
          Already have an Earshot account?
        </h2>
        <button type="button" onClick={signInFirst} style={{ height: '36px' }}>
          Sign in to accept
        </button>
      </section>
      <AuthForm
        class="stack"
        style={{ borderTop: '1px solid var(--border)', paddingTop: '16px' }}
        labelledBy="new-account"
        head={
          <h2 id="new-account" style={{ fontSize: '14px' }}>
            New here? Create your account
          </h2>
        }
        fields={
          <label class="field">
            Name
            <input autocomplete="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
        }
        email={email}
        onEmail={setEmail}
        emailFixed={info.email}
        password={password}
        onPassword={setPassword}
        newPassword
        submitLabel="Create account and join"
        busyLabel="Creating your account…"
        onSubmit={create}
      />
    </>
  )
}
