import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { useStableCallback } from '../../../lib/use-stable-callback';
import { deleteMessage } from '../api/delete-message';
import { setMessageRead } from '../api/set-message-read';

/** The open message and the list actions the view's buttons go through when the list holds it. */
export interface MessageViewActionsOptions {
  /** The open message's ID (null: none open). */
  id: string | null;
  /** Its summary in the list, if the list holds it (a message opened by URL may be outside the view). */
  summary: MessageSummary | undefined;
  /** The list's delete, which also moves on to the next message. */
  remove: (list: MessageSummary[]) => void;
  /** The list's mark read, which updates the row at once. */
  markRead: (read: boolean, list: MessageSummary[]) => void;
  /** Opens a message; null closes the view. */
  open: (id: string | null) => void;
  /** Moves keyboard focus to the list. */
  focusList: () => void;
  /** Reloads from the server after a request failed. */
  catchUp: () => void;
}

/**
 * The message view's actions: back, delete, mark read or unread. Through the list's own actions when
 * the list holds the message (so the list and selection follow), else straight to the server.
 * Each keeps its identity across renders, so list updates do not re-render the view.
 */
export function useMessageViewActions({
  id,
  summary,
  remove,
  markRead,
  open,
  focusList,
  catchUp,
}: MessageViewActionsOptions) {
  const onBack = useStableCallback(() => {
    open(null);
    focusList();
  });
  const onDelete = useStableCallback(() => {
    if (summary) remove([summary]);
    else if (id) {
      void deleteMessage(id).catch(catchUp);
      open(null);
    }
  });
  const onSetRead = useStableCallback((read: boolean) => {
    if (summary) markRead(read, [summary]);
    else if (id) void setMessageRead(id, read);
  });
  return { onBack, onDelete, onSetRead };
}
