import { CheckCheck, Mail, MailOpen, Trash2, X } from 'lucide-react';

interface ToolbarProps {
  /** Messages in the view. */
  matching: number;
  /** Unread messages in the view. */
  unread: number;
  selectedCount: number;
  filtered: boolean;
  onMarkRead: (read: boolean) => void;
  onMarkAllRead: () => void;
  onDelete: () => void;
  onDeleteAll: () => void;
  onClearSelection: () => void;
}

/** Counts and actions above the list: for the selection when there is one, else for the view. */
export function ListToolbar(props: ToolbarProps) {
  const { matching, unread, selectedCount, filtered } = props;
  if (selectedCount > 0) {
    return (
      <div className="list-toolbar list-toolbar--selection" role="toolbar" aria-label="Selected messages">
        <button
          type="button"
          className="btn btn--ghost icon-btn"
          aria-label="Clear selection"
          title="Clear selection (Esc)"
          onClick={props.onClearSelection}
        >
          <X size={16} aria-hidden="true" />
        </button>
        <span className="list-toolbar__label" aria-live="polite">
          {selectedCount.toLocaleString()} selected
        </span>
        <span className="list-toolbar__spacer" />
        <button
          type="button"
          className="btn btn--ghost icon-btn"
          aria-label="Mark read"
          title="Mark read"
          onClick={() => props.onMarkRead(true)}
        >
          <MailOpen size={16} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="btn btn--ghost icon-btn"
          aria-label="Mark unread"
          title="Mark unread"
          onClick={() => props.onMarkRead(false)}
        >
          <Mail size={16} aria-hidden="true" />
        </button>
        <button
          type="button"
          className="btn btn--ghost icon-btn btn--danger-text"
          aria-label="Delete selected"
          title="Delete (Del)"
          onClick={props.onDelete}
        >
          <Trash2 size={16} aria-hidden="true" />
        </button>
      </div>
    );
  }
  return (
    <div className="list-toolbar" role="toolbar" aria-label="Messages">
      <span className="list-toolbar__label" aria-live="polite">
        <strong>{matching.toLocaleString()}</strong>{' '}
        {filtered ? (matching === 1 ? 'match' : 'matches') : matching === 1 ? 'message' : 'messages'}
        {unread > 0 ? <span className="list-toolbar__unread"> · {unread.toLocaleString()} unread</span> : null}
      </span>
      <span className="list-toolbar__spacer" />
      <button
        type="button"
        className="btn btn--ghost icon-btn"
        aria-label="Mark all read"
        title="Mark all read"
        disabled={unread === 0}
        onClick={props.onMarkAllRead}
      >
        <CheckCheck size={16} aria-hidden="true" />
      </button>
      <button
        type="button"
        className="btn btn--ghost icon-btn btn--danger-text"
        aria-label={filtered ? 'Delete all matching' : 'Delete all'}
        title={filtered ? 'Delete all matching…' : 'Delete all…'}
        disabled={matching === 0}
        onClick={props.onDeleteAll}
      >
        <Trash2 size={16} aria-hidden="true" />
      </button>
    </div>
  );
}
