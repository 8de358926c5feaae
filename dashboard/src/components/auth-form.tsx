import type { ComponentChildren } from 'preact'
import { useFormSubmit } from '../hooks'
import { ErrorBanner } from './ui'

/**
 * The e-mail + password form of signing in and of creating an account from an invitation: its
 * error, the two fields (the e-mail fixed when an invitation names it), and a submit button that
 * says what is going on while `onSubmit` runs. A thrown error is shown above the fields.
 */
export function AuthForm({
  class: className,
  style,
  labelledBy,
  head,
  fields,
  email,
  onEmail,
  emailFixed,
  password,
  onPassword,
  newPassword,
  autofocus,
  submitLabel,
  busyLabel,
  onSubmit,
  children,
}: {
  class: string
  style?: Record<string, string>
  labelledBy: string
  /** What comes before the error: title, notes. */
  head: ComponentChildren
  /** Fields before the e-mail (a name). */
  fields?: ComponentChildren
  email: string
  onEmail: (value: string) => void
  /** The invitation's address: shown, not editable. */
  emailFixed?: string | null
  password: string
  onPassword: (value: string) => void
  /** A password being chosen (at least 10 characters), not the current one. */
  newPassword?: boolean
  autofocus?: boolean
  submitLabel: string
  busyLabel: string
  onSubmit: () => Promise<unknown>
  /** After the button. */
  children?: ComponentChildren
}) {
  const { error, busy, submit } = useFormSubmit(onSubmit)
  const value = (e: Event) => (e.target as HTMLInputElement).value
  return (
    <form class={className} style={style} onSubmit={submit} aria-labelledby={labelledBy}>
      {head}
      <ErrorBanner error={error} />
      {fields}
      <label class="field">
        E-mail
        {emailFixed ? (
          <input type="email" value={emailFixed} disabled />
        ) : (
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => onEmail(value(e))}
            autofocus={autofocus}
          />
        )}
      </label>
      <label class="field">
        {newPassword ? (
          <>
            Password <span class="hint">At least 10 characters.</span>
          </>
        ) : (
          'Password'
        )}
        <input
          type="password"
          name="password"
          autocomplete={newPassword ? 'new-password' : 'current-password'}
          required
          minLength={newPassword ? 10 : undefined}
          value={password}
          onInput={(e) => onPassword(value(e))}
        />
      </label>
      <button class="primary" type="submit" disabled={busy} style={{ height: '36px' }}>
        {busy ? busyLabel : submitLabel}
      </button>
      {children}
    </form>
  )
}
