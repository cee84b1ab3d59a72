import type { Socket } from 'node:net';

/**
 * Gathers the replies written to a socket in one turn of the event loop into one write. A client
 * that pipelines (RFC 2920) sends MAIL FROM, RCPT TO and DATA, or a message's final dot and the next
 * MAIL FROM, in one packet; smtp-server answers each command with a write of its own, and those
 * system calls were a third of the CPU spent per message. Corked until the end of the turn, the
 * replies to one packet leave in one segment, in the same order and as soon as they are all known.
 *
 * A 220 reply goes out at once: after the greeting the client speaks first, and after 220 to
 * STARTTLS the TLS handshake must find nothing else queued on the plain socket.
 */
export function corkReplies(socket: Socket): void {
  const write = socket.write.bind(socket) as (chunk: string) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string' || rest.length > 0 || chunk.startsWith('220')) {
      if (corked) uncork();
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(chunk);
  }) as Socket['write'];
}
