import type { WebSocket } from 'ws';
import { Paced } from '../paced';

/**
 * The one place that reaches into ws: its socket's `_socket` (the net.Socket under it), to cork it.
 * ws writes each frame with a socket write of its own; an open inbox during a burst of mail gets a
 * frame per message, and a write to a loopback socket costs about as much as the frame's summary
 * (the kernel hands it to the reader in the writer's time). So frames wait, corked, and go out
 * together, paced (see Paced): a frame alone leaves at the end of its turn, a burst's leave a few
 * milliseconds' worth at a time. Without that field (a ws that changed), frames go out one by one
 * as before. Pinned by ws-cork.test.ts.
 */
interface WithNetSocket {
  _socket?: { cork?: () => void; uncork?: () => void } | null;
}

/** The shortest time between two writes of the corked frames. */
const FLUSH_INTERVAL_MS = 1;

const corked = new Set<WithNetSocket['_socket']>();

const flush = new Paced(FLUSH_INTERVAL_MS, () => {
  for (const socket of corked) socket?.uncork?.();
  corked.clear();
});

/** Corks the socket under `ws` until the next flush (see above); once per flush per socket. */
export function corkForTurn(ws: WebSocket): void {
  const socket = (ws as unknown as WithNetSocket)._socket;
  if (!socket?.cork || !socket.uncork || corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  flush.request();
}
