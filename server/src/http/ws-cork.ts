import type { WebSocket } from 'ws';

/**
 * The one place that reaches into ws: its socket's `_socket` (the net.Socket under it), to cork it.
 * ws writes each frame with a socket write of its own, a system call per frame; an open inbox during
 * a burst of mail gets a frame per message, and corking the socket for the rest of the turn of the
 * event loop sends them in one write. Without that field (a ws that changed), frames go out one by
 * one as before. Pinned by ws-cork.test.ts.
 */
interface WithNetSocket {
  _socket?: { cork?: () => void; uncork?: () => void } | null;
}

const corked = new Set<WithNetSocket['_socket']>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  for (const socket of corked) socket?.uncork?.();
  corked.clear();
}

/** Corks the socket under `ws` until the end of this turn of the event loop (once per turn). */
export function corkForTurn(ws: WebSocket): void {
  const socket = (ws as unknown as WithNetSocket)._socket;
  if (!socket?.cork || !socket.uncork || corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}
