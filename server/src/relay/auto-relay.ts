import type { Logger } from 'pino';
import type { MessageStore } from '../store/store';
import type { StoredMessage } from '../store/types';
import type { Relay } from './relay';

/** Messages waiting to be relayed; beyond this the newest are not relayed (and that is logged). */
const MAX_QUEUE = 1000;

/** The envelope recipients auto-relay sends a message to: those `--smtp-relay-matching` and the allowlist let through. */
export function autoRelayRecipients(relay: Relay, message: StoredMessage): string[] {
  const { all, matching } = relay.config;
  const wanted = all ? message.envelope.rcptTo : message.envelope.rcptTo.filter((r) => matching?.test(r) ?? false);
  const refused = new Set(relay.notAllowed(wanted));
  return wanted.filter((r) => !refused.has(r));
}

/**
 * `--smtp-relay-all` and `--smtp-relay-matching`: relays each new message to its envelope recipients
 * (all, or those matching) in the background. It subscribes to store events, so ingest never waits:
 * the SMTP client has its 250 before the relay is even contacted. One message at a time, in arrival
 * order; a failure is logged with the relay's reply and the message stays caught, not retried.
 */
export function startAutoRelay(store: MessageStore, relay: Relay, logger: Logger): { stop(): void } {
  const log = logger.child({ component: 'auto-relay' });
  const { all, matching } = relay.config;
  log.info({ relay: relay.address, recipients: all ? 'all' : String(matching) }, 'auto-relay on');
  const queue: { message: StoredMessage; to: string[] }[] = [];
  let running = false;
  let stopped = false;
  let dropped = 0;
  let loops = 0;

  const pump = async (): Promise<void> => {
    while (!stopped && queue.length > 0) {
      const { message, to } = queue.shift()!;
      // The relay logs the outcome; a failure must not stop the next message.
      await relay.send(message, to, 'auto-relay').catch(() => undefined);
    }
    running = false;
  };

  const unsubscribe = store.subscribe((event) => {
    if (event.type !== 'added' || stopped) return;
    const to = autoRelayRecipients(relay, event.message);
    if (to.length === 0) return;
    if (relay.relayedByMe(event.message)) {
      if (loops++ === 0) {
        log.warn(
          { id: event.message.id, relay: relay.address },
          'auto-relay loop: this message was relayed by this Pigeonhole already and is not relayed again (does --smtp-relay-host point back here?)',
        );
      }
      return;
    }
    if (queue.length >= MAX_QUEUE) {
      if (dropped++ === 0) log.warn({ max: MAX_QUEUE }, 'auto-relay queue full: new messages are not relayed');
      return;
    }
    if (dropped > 0) {
      log.info({ dropped }, 'auto-relay queue has room again');
      dropped = 0;
    }
    queue.push({ message: event.message, to });
    if (!running) {
      running = true;
      setImmediate(() => void pump());
    }
  });

  return {
    stop() {
      stopped = true;
      queue.length = 0;
      unsubscribe();
    },
  };
}
