// The cards above the launcher (an incident's banner, a "fixed" notice, an error): plain DOM, no
// state of their own; core.ts decides which cards there are.
import { el, icon, ICON_CLOSE } from './dom.js'

/** A card: kicker, title, message, a close button labelled `dismiss`, and an action button (if any). */
export function card(
  kind: string,
  kicker: string,
  title: string,
  message: string | undefined,
  dismiss: string,
  onDismiss: () => void,
  action?: string,
  onAction?: () => void,
) {
  const box = el('div', { class: 'b' + (kind == 'ok' ? ' ok' : ''), 'data-impact': kind })
  box.append(el('div', { class: 'k' }, kicker), el('div', { class: 't' }, title))
  if (message) box.append(el('p', { class: 'm' }, message))
  if (action) box.append(el('button', { class: 'go', type: 'button', onclick: onAction }, action))
  box.append(
    el(
      'button',
      { class: 'x', type: 'button', 'aria-label': dismiss, title: dismiss, onclick: onDismiss },
      icon(ICON_CLOSE, 16),
    ),
  )
  return box
}

/** An error card on top of the others for 8 seconds (an alert: read out at once). */
export function flashError(banners: HTMLElement, message: string, dismiss: string) {
  const box = card('critical', '', message, undefined, dismiss, () => box.remove())
  box.setAttribute('role', 'alert')
  banners.prepend(box)
  setTimeout(() => box.remove(), 8000)
}
