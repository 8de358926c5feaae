import { useState } from 'preact/hooks'
import { api } from '../../api'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { RevokeTable } from '../../components/revoke-table'
import { EmptyState, ErrorBanner, Modal, SecretReveal, Skeleton, Time } from '../../components/ui'
import { useAsync, useFormSubmit } from '../../hooks'
import { can, currentWorkspace, useSession } from '../../session'
import type { TokenScope } from '../../types'

export function TokensPage() {
  const session = useSession()
  const ws = currentWorkspace(session)!
  const data = useAsync(() => api.tokens(ws.id), [ws.id])
  const [creating, setCreating] = useState(false)
  if (!can('owner', session))
    return (
      <div class="content">
        <EmptyState icon="key" title="Owners manage API tokens" />
      </div>
    )
  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>API tokens</h1>}>
        <button class="primary" onClick={() => setCreating(true)}>
          <Icon name="plus" /> New token
        </button>
      </TopBar>
      <div class="content stack" style={{ gap: '20px' }}>
        <p class="muted">
          For automation: CI posting deploy markers (<code>POST /v1/deploys</code>), a help desk forwarding tickets (
          <code>POST /api/projects/:id/reports</code>), scripts reading clusters. Send the token as{' '}
          <code>Authorization: Bearer …</code>. Earshot stores only a hash; the token is shown once.
        </p>
        <ErrorBanner error={data.error} onRetry={data.reload} />
        {!data.data ? (
          <Skeleton rows={2} />
        ) : data.data.tokens.length === 0 ? (
          <div class="card">
            <EmptyState icon="key" title="No API tokens yet" />
          </div>
        ) : (
          <section class="card">
            <RevokeTable
              rows={data.data.tokens}
              head={
                <>
                  <th>Name</th>
                  <th>Scopes</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </>
              }
              cells={(t) => (
                <>
                  <td>
                    <div style={{ fontWeight: 500 }}>{t.name}</div>
                    <code class="faint">{t.prefix}…</code>
                  </td>
                  <td>{t.scopes.join(', ')}</td>
                  <td class="muted">
                    <Time iso={t.created_at} />
                  </td>
                  <td class="muted">{t.last_used_at ? <Time iso={t.last_used_at} /> : 'never'}</td>
                </>
              )}
              action={(t) => ({
                ask: `Revoke “${t.name}”? Anything using it stops working.`,
                run: () => api.revokeToken(t.id),
                done: 'Token revoked',
              })}
              onDone={data.reload}
            />
          </section>
        )}
      </div>
      {creating ? (
        <CreateTokenDialog workspaceId={ws.id} onClose={() => setCreating(false)} onDone={data.reload} />
      ) : null}
    </>
  )
}

function CreateTokenDialog({
  workspaceId,
  onClose,
  onDone,
}: {
  workspaceId: string
  onClose: () => void
  onDone: () => void
}) {
  const [name, setName] = useState('')
  const [write, setWrite] = useState(true)
  const [secret, setSecret] = useState<string>()
  const { error, submit } = useFormSubmit(async () => {
    const scopes: TokenScope[] = write ? ['read', 'write'] : ['read']
    const res = await api.createToken(workspaceId, { name, scopes })
    setSecret(res.secret)
    onDone()
  })
  return (
    <Modal title="New API token" onClose={onClose}>
      {secret ? (
        <SecretReveal value={secret} testId="token-secret" onDone={onClose}>
          <div class="alert success">Copy it now: this is the only time Earshot shows it.</div>
        </SecretReveal>
      ) : (
        <form class="stack" onSubmit={submit}>
          <ErrorBanner error={error} />
          <label class="field">
            Name <span class="hint">What uses it, e.g. “GitHub Actions deploys”</span>
            <input
              required
              maxLength={100}
              value={name}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
          </label>
          <label class="row" style={{ fontSize: '13px' }}>
            <input type="checkbox" checked={write} onChange={(e) => setWrite((e.target as HTMLInputElement).checked)} />
            Write access (deploy markers, help-desk reports). Without it the token can only read.
          </label>
          <div class="form-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button class="primary" type="submit">
              Create token
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
