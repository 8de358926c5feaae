import { useState } from 'preact/hooks'
import { attempt, fullTime, toast } from '../../../components/ui'
import { useAsync } from '../../../hooks'
import { incidentsApi } from '../client'

/** Tokens that show private incidents (owners): create one (shown once), revoke one. */
export function PrivateAccess({ projectId }: { projectId: string }) {
  const list = useAsync(() => incidentsApi.tokens(projectId), [projectId])
  const [label, setLabel] = useState('')
  const [created, setCreated] = useState<{ secret: string; url: string }>()
  return (
    <section class="card" aria-labelledby="tok-title">
      <div class="card-head">
        <h2 id="tok-title">Private incidents: access tokens</h2>
      </div>
      <div class="card-body stack">
        <p class="faint" style={{ fontSize: '13px' }}>
          Private incidents never appear on the public page, feeds or API. A token shows them: as a link (<code>?token=</code>), a <code>Bearer</code> header for summary.json, or the
          widget’s <code>X-Earshot-Status-Token</code> for signed-in customers.
        </p>
        {created ? (
          <div class="stack" style={{ gap: '6px' }}>
            <strong style={{ fontSize: '13px' }}>Copy it now — it is shown once:</strong>
            <div class="secret">{created.url}</div>
          </div>
        ) : null}
        <form
          class="row"
          style={{ gap: '8px' }}
          onSubmit={async (e) => {
            e.preventDefault()
            try {
              const t = await incidentsApi.createToken(projectId, label.trim())
              setCreated({ secret: t.secret, url: t.private_url })
              setLabel('')
              void list.reload()
              toast('Token created')
            } catch (err) {
              toast((err as Error).message, 'error')
            }
          }}
        >
          <input class="grow" aria-label="Token label" placeholder="Who is it for? e.g. Acme Corp" maxLength={100} value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
          <button type="submit">Create token</button>
        </form>
      </div>
      <table class="table">
        <tbody>
          {(list.data?.tokens ?? []).map((t) => (
            <tr>
              <td>{t.label || <span class="faint">(no label)</span>}</td>
              <td class="faint">created {fullTime(t.created_at)}</td>
              <td style={{ width: '90px', textAlign: 'right' }}>
                {t.revoked_at ? (
                  <span class="pill plain">revoked</span>
                ) : (
                  <button
                    class="small danger"
                    onClick={async () => {
                      if (await attempt(() => incidentsApi.revokeToken(projectId, t.id), 'Token revoked')) void list.reload()
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
