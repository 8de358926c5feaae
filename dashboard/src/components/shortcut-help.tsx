// `?` anywhere: the keyboard shortcuts, only those the signed-in role can use.
import { can } from '../session'
import { Modal } from './ui'

export function shortcutsFor(responder: boolean): [string[], string][] {
  return [
    [['j', 'k'], 'Move through the list (also ↓ ↑)'],
    [['Enter'], 'Open the selected cluster'],
    [['/'], 'Search'],
    ...(responder
      ? ([
          [['a'], 'Acknowledge (again: reopen)'],
          [['i'], 'Declare an incident'],
          [['m'], 'Merge (on a cluster)'],
          [['r'], 'Rename (on a cluster)'],
        ] as [string[], string][])
      : []),
    [['Esc'], 'Back to the list, as you left it'],
    [['?'], 'This help'],
  ]
}

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const list = shortcutsFor(can('responder'))
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <dl class="kv shortcuts">
        {list.map(([keys, what]) => (
          <>
            <dt>
              {keys.map((k) => (
                <kbd>{k}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </>
        ))}
      </dl>
      {!can('responder') ? (
        <p class="faint">Acknowledging, declaring incidents and merging need the responder role.</p>
      ) : null}
    </Modal>
  )
}
