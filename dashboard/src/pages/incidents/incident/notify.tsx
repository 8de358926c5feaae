import { useState } from 'preact/hooks'
import { toast } from '../../../components/ui'
import { incidentsApi, type IncidentDetail } from '../client'

/** Tells every customer who reported into the incident's clusters: in-app notice and e-mail. */
export function NotifyAffected({
  incident,
  reporters,
  onSent,
}: {
  incident: IncidentDetail
  reporters: number
  onSent: () => void
}) {
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    try {
      const r = await incidentsApi.notifyAffected(incident.id, message)
      toast(notifiedText(r))
      setMessage('')
      onSent()
    } catch (err) {
      toast((err as Error).message, 'error')
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card card-body stack" onSubmit={submit} aria-labelledby="notify-title">
      <h2 id="notify-title" style={{ fontSize: '14px' }}>
        Message everyone affected
      </h2>
      <p class="faint" style={{ fontSize: '13px' }}>
        Goes to the {reporters} customer{reporters === 1 ? '' : 's'} who reported this or pressed “notify me”: once in
        the widget in their browser, and by e-mail to those who left an address. It does not go to the status page.
      </p>
      <label class="field">
        Message
        <textarea
          required
          maxLength={2000}
          rows={2}
          value={message}
          placeholder="e.g. Orders placed during the incident were not charged; you can retry now."
          onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <div class="form-actions">
        <button type="submit" disabled={busy || !message.trim() || reporters === 0}>
          Send to {reporters} affected
        </button>
      </div>
    </form>
  )
}

/** Never "sent" for e-mails that cannot leave: without an e-mail provider they wait in the outbox. */
export function notifiedText(r: { notices: number; emails: number; email_configured?: boolean }): string {
  const notices = `${r.notices} in-app notice${r.notices === 1 ? '' : 's'}`
  const emails = `${r.emails} e-mail${r.emails === 1 ? '' : 's'}`
  if (r.email_configured === false && r.emails > 0)
    return `Sent: ${notices}. Queued: ${emails}: e-mail is not configured yet (see Outbox)`
  return `Sent: ${notices}, ${emails}`
}
