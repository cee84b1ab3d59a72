import { Dialog } from '../../../components/dialog';

/** Every keyboard shortcut, as the `?` key shows them. */
export const SHORTCUTS: [string[], string][] = [
  [['j', '↓'], 'Next message'],
  [['k', '↑'], 'Previous message'],
  [['Shift', 'j / k'], 'Extend the selection'],
  [['Enter'], 'Open the message'],
  [['x', 'Space'], 'Select or deselect'],
  [['Ctrl', 'a'], 'Select every loaded message'],
  [['r'], 'Mark read / unread'],
  [['Delete'], 'Delete the selection (or the open message)'],
  [['/'], 'Search'],
  [['Esc'], 'Clear the selection, close the message'],
  [['t'], 'Switch theme'],
  [['?'], 'This help'],
];

/** The keyboard shortcuts dialog. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <td>
                {keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 ? (
                      <span className="shortcuts__plus">
                        {keys[0] === 'Shift' || keys[0] === 'Ctrl' ? ' + ' : ' or '}
                      </span>
                    ) : null}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
