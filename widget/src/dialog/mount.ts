// The report dialog, loaded on first open. Plain DOM built with the loader's el() helper (a
// virtual-DOM library alone would cost more than a third of the whole 12 KB budget). A native
// <dialog> opened with showModal() sits in the top layer above any host z-index and makes the page
// inert; on top of that we trap Tab, close on Esc / backdrop, place focus, announce errors and
// show honest delivery states.
import css from './dialog.css?inline'
import { dialogStrings, type DialogStrings } from './strings.js'
import { buildReport } from '../payload.js'
import type { Attachment, Delivery, DialogApi, DialogHost, Incident } from '../types.js'
import type { Kid } from '../dom.js'

type View = 'known' | 'form' | 'result'
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function mountDialog(host: DialogHost): DialogApi {
  const { el, icon } = host
  host.addCss(css)
  const own = dialogStrings(host.lang)
  const t = (key: keyof DialogStrings | string) => host.t(key) ?? own[key as keyof DialogStrings] ?? key

  // What the customer typed survives closing and reopening the dialog.
  let view: View = 'form'
  let message = ''
  let email = ''
  let category = ''
  let chosen = 0 // which incident "this is my problem too" refers to
  let error: '' | 'required' | 'badEmail' = ''
  let busy = false
  let affected = false // the result is about "notify me", not a report
  let result: Delivery | undefined
  let pressedOnBackdrop = false
  let shot: Attachment | undefined // the screenshot tools, once the customer asked for them (own chunk)

  const inner = el('div', { class: 'in' })
  const dialog: HTMLDialogElement = el(
    'dialog',
    {
      class: 'd',
      'aria-labelledby': 'es-title',
      'aria-describedby': 'es-desc',
      onkeydown: trap,
      // Esc fires "cancel" at once; "close" follows a task later and may arrive after a quick
      // reopen, so it only counts while the dialog really is closed.
      oncancel: host.requestClose,
      onclose: () => dialog.open || host.requestClose(),
      onpointerdown: (e: Event) => (pressedOnBackdrop = e.target == dialog),
      onclick: (e: Event) => e.target == dialog && pressedOnBackdrop && host.requestClose(),
    },
    inner,
  )
  host.root.append(dialog)

  const focus = (id: string) => requestAnimationFrame(() => dialog.querySelector<HTMLElement>('#' + id)?.focus())
  const go = (next: View, focusId: string) => {
    view = next
    error = ''
    draw()
    focus(focusId)
  }

  host.onDelivered = (key, d) => {
    if (view == 'result' && result?.key == key) {
      result = d
      draw()
      focus('es-title')
    }
  }

  function trap(e: KeyboardEvent) {
    if (e.key != 'Tab') return
    const items = [...dialog.querySelectorAll<HTMLInputElement>('button,input,textarea')].filter(
      (n) =>
        !n.disabled &&
        n.getClientRects().length &&
        (n.type != 'radio' || n.checked || !dialog.querySelector(`[name=${n.name}]:checked`)),
    )
    const active = (dialog.getRootNode() as ShadowRoot).activeElement // the dialog always lives in our shadow root
    const first = items[0]
    const last = items[items.length - 1]
    if (e.shiftKey ? active == first || !items.includes(active as HTMLInputElement) : active == last) {
      e.preventDefault()
      ;(e.shiftKey ? last : first).focus()
    }
  }

  function validEmail(): boolean {
    email = email.trim()
    if (!email || EMAIL.test(email)) return true
    error = 'badEmail'
    draw()
    focus('es-email')
    return false
  }

  async function deliver(
    button: HTMLButtonElement,
    path: string,
    body: Record<string, unknown>,
    isAffected: boolean,
    image?: Promise<Blob | undefined>,
  ) {
    if (busy) return
    busy = button.disabled = true
    button.textContent = t('sending')
    result = await host.post(path, body, await image)
    busy = false
    affected = isAffected
    // A refused report stays in the form so the customer can fix it; anything else is done.
    if (result.status != 'refused' && !isAffected) {
      message = category = ''
      shot?.reset()
    }
    go('result', 'es-title')
  }

  function sendReport(e: Event) {
    e.preventDefault()
    const text = message.trim()
    if (!text) {
      error = 'required'
      draw()
      return focus('es-message')
    }
    if (validEmail())
      deliver(
        dialog.querySelector('.pri')!,
        '/v1/reports',
        buildReport({ message: text, email, category }, host.parts()),
        false,
        shot?.image(),
      )
  }

  function notify(e: Event, incident: Incident) {
    if (validEmail())
      deliver(
        e.currentTarget as HTMLButtonElement,
        `/v1/incidents/${encodeURIComponent(incident.id)}/affected`,
        { reporter_id: host.parts().reporterId, email: email || undefined },
        true,
      )
  }

  /** "5 minutes ago", "2 hours ago", "yesterday" in the widget's language. */
  function ago(iso?: string) {
    const minutes = Math.min(0, Math.round((Date.parse(iso!) - Date.now()) / 60e3)) || 0
    const [value, unit] =
      minutes > -60 ? [minutes, 'minute'] : minutes > -1440 ? [minutes / 60, 'hour'] : [minutes / 1440, 'day']
    return new Intl.RelativeTimeFormat(host.lang, { numeric: 'auto' }).format(
      Math.round(value as number),
      unit as Intl.RelativeTimeFormatUnit,
    )
  }

  /** A labelled field with its hint or (announced) error, wired with aria-describedby. */
  function field(
    id: string,
    label: string,
    control: HTMLInputElement | HTMLTextAreaElement,
    hint?: string,
    problem?: string,
  ) {
    const note = problem || hint
    control.id = id
    if (problem) control.setAttribute('aria-invalid', 'true')
    if (note) control.setAttribute('aria-describedby', id + '-note')
    return el(
      'div',
      { class: 'f' },
      el('label', { for: id }, label),
      control,
      note && el('p', { id: id + '-note', class: problem ? 'err' : 'hint', role: problem && 'alert' }, note),
    )
  }

  function emailField(label: string, hint?: string) {
    const input = el('input', {
      type: 'email',
      autocomplete: 'email',
      inputmode: 'email',
      oninput: () => {
        email = input.value
        // Corrected: the error goes as soon as the address is valid (a redraw would move the caret).
        if (error && EMAIL.test(email.trim())) {
          error = ''
          input.removeAttribute('aria-invalid')
          box.querySelector('.err')?.remove()
        }
      },
    })
    input.value = email
    const box = field('es-email', label, input, hint, error == 'badEmail' ? t('badEmail') : undefined)
    return box
  }

  const heading = (text: string) => el('h2', { id: 'es-title', tabindex: -1 }, text)
  const sub = (text: string, role?: string) => el('p', { id: 'es-desc', class: 'sub', role }, text)
  const button = (text: string, props: Record<string, any>) =>
    el('button', { type: 'button', class: 'btn', ...props }, text)

  function known(): Kid[] {
    const incidents = host.active()
    const many = incidents.length > 1
    const incident = incidents[chosen] || incidents[0]
    const state = incident.reporter_state
    return [
      heading(t('knownTitle')),
      sub(t('knownIntro')),
      el(
        'div',
        { role: many && 'radiogroup', 'aria-label': many && t('pick') },
        ...incidents.map((item, i) => {
          const update = item.latest_update
          const body = [
            el('span', { class: 'it' }, item.title),
            el(
              'span',
              { class: 'meta' },
              `${t('latest')} · ${ago(update?.created_at || item.updated_at)} · ${t(update?.status || item.status)}`,
            ),
            update?.message && el('span', { class: 'um' }, update.message),
          ]
          return many
            ? el(
                'label',
                { class: 'inc pick', 'data-impact': item.impact },
                el('input', {
                  type: 'radio',
                  name: 'es-inc',
                  id: 'es-i' + i,
                  checked: item == incident,
                  onchange: () => ((chosen = i), draw(), focus('es-i' + i)),
                }),
                ...body,
              )
            : el('div', { class: 'inc', 'data-impact': item.impact }, ...body)
        }),
      ),
      ...(state
        ? // Already on the list (said "notify me", or their report is linked): say so, not the same button again.
          [
            el(
              'div',
              { class: 'inc', id: 'es-act', role: 'status', tabindex: -1 },
              el('span', { class: 'it' }, t(state + 'Title')),
              el('span', {}, t('affectedBody')),
            ),
          ]
        : [
            emailField(t('notifyEmail')),
            button(t('notify'), {
              id: 'es-act',
              class: 'btn pri wide',
              onclick: (e: Event) => notify(e, incidents[chosen] || incident),
            }),
          ]),
      button(t('different'), { class: 'linkb', onclick: () => go('form', 'es-message') }),
    ]
  }

  function form(): Kid[] {
    const categories = host.cats || { bug: t('bug'), slow: t('slow'), looks: t('looks'), other: t('other') }
    // maxlength matches the server's 5,000-character cap, so a report is never refused for length.
    const textarea = el('textarea', {
      rows: 5,
      maxlength: 5000,
      'aria-required': 'true',
      placeholder: t('placeholder'),
      oninput: () => (message = textarea.value),
    })
    textarea.value = message
    return [
      heading(t('title')),
      el(
        'form',
        { novalidate: true, onsubmit: sendReport },
        sub(t('intro')),
        el(
          'fieldset',
          { class: 'f' },
          el('legend', {}, t('kind')),
          el(
            'div',
            { class: 'chips' },
            ...Object.keys(categories).map((value) =>
              el(
                'label',
                { class: 'chip' },
                el('input', {
                  type: 'radio',
                  name: 'es-cat',
                  value,
                  checked: category == value,
                  onchange: () => (category = value),
                }),
                el('span', {}, categories[value]),
              ),
            ),
          ),
        ),
        field('es-message', t('message'), textarea, undefined, error == 'required' ? t('required') : undefined),
        // The screenshot tools (own chunk) draw their own fieldset once asked for.
        shot?.area ||
          button(t('attach'), {
            class: 'btn f',
            onclick: () =>
              host.shots().then(
                (chunk) => {
                  shot ||= chunk.make({ el, t: host.t, lang: host.lang, root: host.root })
                  draw()
                  shot.begin()
                },
                () => {},
              ),
          }),
        emailField(t('email'), t('emailHint')),
        el(
          'div',
          { class: 'acts' },
          button(t('cancel'), { onclick: host.requestClose }),
          el('button', { type: 'submit', class: 'btn pri' }, t('send')),
        ),
      ),
    ]
  }

  function done(): Kid[] {
    const r = result!
    const [tone, title, body, path] =
      r.status == 'sent'
        ? [
            'ok',
            t(affected ? 'affectedTitle' : 'sentTitle'),
            affected
              ? t('affectedBody') + (email ? ' ' + t('affectedEmail').replace('{email}', email) : '')
              : t('sentBody'),
            'M5 12.5l4.5 4.5L19 7.5',
          ]
        : r.status == 'queued'
          ? [
              'q',
              t('queuedTitle'),
              t(r.offline ? 'queuedOffline' : 'queuedServer') + (r.dropped ? ' ' + shot!.dropped : ''),
              'M12 7v5l3 2M12 21a9 9 0 1 1 0-18 9 9 0 0 1 0 18z',
            ]
          : ['e', t('refusedTitle'), t('refusedBody') + r.message, 'M12 8v5m0 3.5v.01']
    return [
      el(
        'div',
        { class: 'res ' + tone },
        el('div', { class: 'ic' }, icon(path, 26)),
        heading(title),
        sub(body, tone == 'e' ? 'alert' : 'status'),
        el(
          'div',
          { class: 'acts' },
          tone == 'e' && !affected && button(t('back'), { onclick: () => go('form', 'es-message') }),
          button(t('done'), { class: 'btn pri', onclick: host.requestClose }),
        ),
      ),
    ]
  }

  function draw() {
    const close = button('', { class: 'x', 'aria-label': t('close'), title: t('close'), onclick: host.requestClose })
    close.append(icon('M6 6l12 12M18 6 6 18', 18))
    inner.replaceChildren(
      ...((view == 'known' ? known() : view == 'form' ? form() : done()).filter(Boolean) as Node[]),
      close,
    )
  }

  return {
    open(options) {
      const user = host.who()
      // Start from "we already know" while an incident is active, unless the product pre-filled a message.
      view = host.active().length && !options?.message ? 'known' : 'form'
      if (options?.message) message = options.message
      if (!email && user?.email) email = user.email
      error = ''
      chosen = 0
      draw()
      if (!dialog.open) dialog.showModal()
      focus(view == 'form' ? 'es-message' : 'es-act')
    },
    close() {
      if (dialog.open) dialog.close()
    },
  }
}
