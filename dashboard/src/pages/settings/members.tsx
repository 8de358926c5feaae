import { useState } from 'preact/hooks'
import { api } from '../../api'
import { Icon } from '../../components/icons'
import { TopBar } from '../../components/layout'
import { RevokeTable } from '../../components/revoke-table'
import { attempt, ErrorBanner, Modal, SecretReveal, Skeleton, Time } from '../../components/ui'
import { useAsync, useFormSubmit } from '../../hooks'
import { navigate } from '../../router'
import { can, currentWorkspace, loadSession, useSession } from '../../session'
import type { Role } from '../../types'

const ROLE_HELP: Record<Role, string> = {
  owner: 'Everything, including projects, keys, members, tokens and webhooks',
  responder: 'Triage clusters and run incidents',
  support: 'Add reports for customers; read everything',
  viewer: 'Read only',
}

export function MembersPage() {
  const session = useSession()
  const ws = currentWorkspace(session)!
  const owner = can('owner', session)
  const data = useAsync(() => api.members(ws.id), [ws.id])
  const [inviting, setInviting] = useState(false)
  return (
    <>
      <TopBar crumbs={<h1 style={{ color: 'var(--text)' }}>Members of {ws.name}</h1>}>
        <button
          onClick={() =>
            confirm(`Leave ${ws.name}? You will no longer see its clusters and incidents.`) &&
            attempt(async () => {
              await api.leaveWorkspace(ws.id)
              await loadSession()
              navigate('/clusters')
            }, `You left ${ws.name}`)
          }
        >
          Leave workspace
        </button>
        {owner ? (
          <button class="primary" onClick={() => setInviting(true)}>
            <Icon name="plus" /> Invite
          </button>
        ) : null}
      </TopBar>
      <div class="content stack" style={{ gap: '20px' }}>
        <ErrorBanner error={data.error} onRetry={data.reload} />
        {!data.data ? (
          <Skeleton rows={3} />
        ) : (
          <>
            <section class="card">
              <RevokeTable
                rows={data.data.members}
                head={
                  <>
                    <th>Member</th>
                    <th>Role</th>
                    <th>Joined</th>
                    {owner ? <th /> : null}
                  </>
                }
                cells={(m) => (
                  <>
                    <td>
                      <div class="row">
                        <span class="avatar">{(m.name || m.email).slice(0, 1)}</span>
                        <div>
                          <div style={{ fontWeight: 500 }}>{m.name || m.email}</div>
                          <div class="faint" style={{ fontSize: '12px' }}>
                            {m.email}
                          </div>
                        </div>
                      </div>
                    </td>
                    <td>
                      {owner && m.id !== session.me?.id ? (
                        <select
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          onChange={(e) =>
                            attempt(
                              async () => (
                                await api.setMemberRole(ws.id, m.id, (e.target as HTMLSelectElement).value as Role),
                                data.reload()
                              ),
                              'Role changed',
                            )
                          }
                        >
                          {(['owner', 'responder', 'support', 'viewer'] as const).map((r) => (
                            <option value={r}>{r}</option>
                          ))}
                        </select>
                      ) : (
                        <span style={{ textTransform: 'capitalize' }}>{m.role}</span>
                      )}
                    </td>
                    <td class="muted">
                      <Time iso={m.joined_at} />
                    </td>
                  </>
                )}
                action={
                  owner
                    ? (m) =>
                        m.id !== session.me?.id
                          ? {
                              label: 'Remove',
                              ask: `Remove ${m.email} from ${ws.name}?`,
                              run: () => api.removeMember(ws.id, m.id),
                              done: 'Member removed',
                            }
                          : null
                    : undefined
                }
                onDone={data.reload}
              />
            </section>
            {owner && data.data.invitations.length ? (
              <section class="card">
                <div class="card-head">
                  <h2>Pending invitations</h2>
                </div>
                <RevokeTable
                  rows={data.data.invitations}
                  cells={(i) => (
                    <>
                      <td>{i.email ?? <span class="faint">Anyone with the link</span>}</td>
                      <td style={{ textTransform: 'capitalize' }}>{i.role}</td>
                      <td class="muted">
                        expires <Time iso={i.expires_at} />
                      </td>
                    </>
                  )}
                  action={(i) => ({ plain: true, run: () => api.revokeInvitation(i.id), done: 'Invitation revoked' })}
                  onDone={data.reload}
                />
              </section>
            ) : null}
            {owner ? <EraseCustomer workspaceId={ws.id} /> : null}
            <section class="card card-body">
              <h3 style={{ marginBottom: '8px' }}>Roles</h3>
              <dl class="kv" style={{ margin: 0 }}>
                {(Object.keys(ROLE_HELP) as Role[]).map((r) => (
                  <>
                    <dt style={{ textTransform: 'capitalize' }}>{r}</dt>
                    <dd class="muted">{ROLE_HELP[r]}</dd>
                  </>
                ))}
              </dl>
            </section>
          </>
        )}
      </div>
      {inviting ? <InviteDialog workspaceId={ws.id} onClose={() => setInviting(false)} onDone={data.reload} /> : null}
    </>
  )
}

function InviteDialog({
  workspaceId,
  onClose,
  onDone,
}: {
  workspaceId: string
  onClose: () => void
  onDone: () => void
}) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('responder')
  const [link, setLink] = useState<string>()
  const { error, submit } = useFormSubmit(async () => {
    const res = await api.invite(workspaceId, { email: email.trim() || undefined, role })
    setLink(new URL(res.url, location.origin).toString())
    onDone()
  })
  return (
    <Modal title="Invite to the workspace" onClose={onClose}>
      {link ? (
        <SecretReveal value={link} testId="invite-link" onDone={onClose}>
          <p>Send this link to your teammate. It works once and expires in 7 days.</p>
        </SecretReveal>
      ) : (
        <form class="stack" onSubmit={submit}>
          <ErrorBanner error={error} />
          <label class="field">
            E-mail <span class="hint">Optional: limit the link to this address.</span>
            <input type="email" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            Role
            <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
              {(Object.keys(ROLE_HELP) as Role[]).map((r) => (
                <option value={r}>
                  {r} — {ROLE_HELP[r]}
                </option>
              ))}
            </select>
          </label>
          <div class="form-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button class="primary" type="submit">
              Create invitation link
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}

/** A customer's right to erasure: delete everything they reported, across the workspace. */
function EraseCustomer({ workspaceId }: { workspaceId: string }) {
  const [who, setWho] = useState('')
  const [result, setResult] = useState<string>()
  const [error, setError] = useState<string>()
  async function submit(e: Event) {
    e.preventDefault()
    const value = who.trim()
    if (!confirm(`Delete every report, notice and subscription of ${value}? This cannot be undone.`)) return
    setError(undefined)
    setResult(undefined)
    try {
      const { erased } = await api.eraseCustomer(
        workspaceId,
        value.includes('@') ? { email: value } : { reporter_id: value },
      )
      setResult(
        `Erased ${erased.reports ?? 0} report${erased.reports === 1 ? '' : 's'}, ` +
          `${erased.notices ?? 0} notices and ${erased.subscribers ?? 0} subscriptions.`,
      )
      setWho('')
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <form class="card" onSubmit={submit}>
      <div class="card-head">
        <h2>Erase a customer's data</h2>
      </div>
      <div class="card-body stack">
        <p class="muted">
          When a customer asks to be forgotten: deletes their reports (by e-mail or the widget's anonymous reporter id)
          everywhere in this workspace. Cluster counts are corrected.
        </p>
        <ErrorBanner error={error} />
        {result ? <div class="alert success">{result}</div> : null}
        <div class="row">
          <input
            class="grow"
            required
            maxLength={320}
            placeholder="customer@example.com or reporter id"
            aria-label="Customer e-mail or reporter id"
            value={who}
            onInput={(e) => setWho((e.target as HTMLInputElement).value)}
          />
          <button class="danger" type="submit">
            Erase
          </button>
        </div>
      </div>
    </form>
  )
}
