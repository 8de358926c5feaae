import { useEffect, useState } from 'preact/hooks'
import { api, setSignedOutHandler } from './api'
import { Icon } from './components/icons'
import { ShortcutHelp } from './components/shortcut-help'
import { attempt, Brand, EmptyState, Toasts } from './components/ui'
import { useKeys } from './hooks'
import { Link, matchRoute, navigate, useLocation } from './router'
import { routes } from './routes'
import { can, currentWorkspace, loadSession, markSignedOut, selectWorkspace, useSession } from './session'

// A 401 while signed in means the session ended (expired, or signed out elsewhere).
setSignedOutHandler(() => markSignedOut(true))

export function App() {
  const session = useSession()
  const { path, query } = useLocation()
  useEffect(() => {
    void loadSession()
  }, [])
  const found = matchRoute(routes, path)
  const [help, setHelp] = useState(false)
  useKeys({ '?': () => setHelp(true) }, [])

  useEffect(() => {
    if (session.status !== 'signed-out' || found?.route.public) return
    const expired = session.expired ? 'expired=1&' : ''
    navigate(`/login?${expired}next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true })
  }, [session.status, found?.route.public])

  if (found?.route.public) {
    const Page = found.route.component
    return (
      <>
        <Page params={found.params} query={query} />
        <Toasts />
      </>
    )
  }
  if (session.status === 'signed-out' || (session.status === 'loading' && !found?.route.early))
    return <div class="auth" aria-busy="true" />
  // Triage pages render while /api/me is still on its way (their data loads in parallel: first
  // paint is one round trip shorter); only the sidebar waits for who is signed in.

  return (
    <div class="shell">
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault()
          document.getElementById('main')?.focus()
        }}
      >
        Skip to content
      </a>
      <Sidebar active={found?.route.nav} />
      <main class="main" id="main" tabIndex={-1}>
        {found ? (
          <found.route.component params={found.params} query={query} />
        ) : (
          <div class="content">
            <EmptyState icon="search" title="Nothing here">
              This page does not exist. <Link href="/">Back to clusters</Link>
            </EmptyState>
          </div>
        )}
      </main>
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      <Toasts />
    </div>
  )
}

function NavLink({
  href,
  icon,
  label,
  id,
  active,
}: {
  href: string
  icon: string
  label: string
  id: string
  active?: string
}) {
  return (
    <Link class="nav-link" href={href} aria-current={active === id ? 'page' : undefined}>
      <Icon name={icon} />
      {label}
    </Link>
  )
}

function Sidebar({ active }: { active?: string }) {
  const session = useSession()
  const me = session.me
  if (!me)
    return (
      <nav class="sidebar" aria-label="Main" aria-busy="true">
        <Brand />
      </nav>
    )
  const ws = currentWorkspace(session)
  const signOut = () =>
    attempt(async () => {
      await api.signOut()
      markSignedOut()
      navigate('/login')
    })
  return (
    <nav class="sidebar" aria-label="Main">
      <Brand />
      {(me.workspaces?.length ?? 0) > 1 ? (
        <label class="ws-switch">
          <span class="sr-only">Workspace</span>
          <select value={ws?.id} onChange={(e) => selectWorkspace((e.target as HTMLSelectElement).value)}>
            {me.workspaces!.map((w) => (
              <option value={w.id}>{w.name}</option>
            ))}
          </select>
        </label>
      ) : (
        <div class="nav-section" style={{ paddingTop: 0 }}>
          {ws?.name ?? 'No workspace'}
        </div>
      )}
      <NavLink href="/clusters" icon="inbox" label="Clusters" id="clusters" active={active} />
      <NavLink href="/incidents" icon="flame" label="Incidents" id="incidents" active={active} />
      {can('support', session) ? (
        <NavLink href="/reports/new" icon="headset" label="Add a report" id="add-report" active={active} />
      ) : null}
      <div class="nav-section">Settings</div>
      <NavLink href="/settings/projects" icon="globe" label="Projects" id="projects" active={active} />
      <NavLink href="/settings/members" icon="users" label="Members" id="members" active={active} />
      {can('owner', session) ? (
        <NavLink href="/settings/tokens" icon="key" label="API tokens" id="tokens" active={active} />
      ) : null}
      {can('owner', session) ? (
        <NavLink href="/settings/outbox" icon="inbox" label="Outbox" id="outbox" active={active} />
      ) : null}
      <NavLink href="/account" icon="user" label="Account" id="account" active={active} />
      <div class="sidebar-foot">
        <span class="avatar" aria-hidden="true">
          {(me.name || me.email).slice(0, 1)}
        </span>
        <div class="grow" style={{ minWidth: 0 }}>
          <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontWeight: 500 }}>
            {me.name || me.email}
          </div>
          <div class="faint" style={{ fontSize: '12px', textTransform: 'capitalize' }}>
            {ws?.role}
          </div>
        </div>
        <button class="ghost small" onClick={signOut} aria-label="Sign out" title="Sign out">
          <Icon name="logout" />
        </button>
      </div>
    </nav>
  )
}
