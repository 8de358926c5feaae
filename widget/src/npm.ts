// ES module entry (the npm package "@earshot/widget"): the same widget without a script tag. The dialog is a
// separate chunk loaded with import() on first open, the screenshot tools another on first use.
//
//   import { init, open, identify } from '@earshot/widget'
//   init({ key: 'pk_…', api: 'https://earshot.example.com' })
import { createWidget } from './core.js'

const widget = createWidget((name) =>
  name == 'dialog'
    ? import('./dialog/chunk.js').then((m) => m.dialogChunk)
    : import('./attach/chunk.js').then((m) => m.attachChunk),
)

/** Start the widget. `key` and `api` are required here (there is no script tag to read them from). */
export const init = widget.init
/** Open the report form, optionally with a pre-filled message. */
export const open = widget.open
export const close = widget.close
/** Attach the signed-in user to every report (`null` to forget them). */
export const identify = widget.identify
/** Merge custom data into every report's context (`null` clears it). */
export const setContext = widget.setContext
/** Listen to 'open' | 'close' | 'submitted' | 'error'; returns a function that unsubscribes. */
export const on = widget.on

export type { WidgetOptions, User, WidgetEvent, Position, Theme } from './types.js'
export type { EarshotApi } from './types.js'
export { sanitizeUrl, normalizeRoute } from './url.js'
