import { PigeonholeHttpError } from '@pigeonhole/shared/client';
import type { Message } from '@pigeonhole/shared/schemas/message';
import { Send } from 'lucide-react';
import { useId, useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { useReleaseMessage } from '../api/release-message';

/** Splits "a@x, b@y; c@z" into addresses. */
function parseAddresses(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/**
 * Sends the message, unchanged but for a trace header, to real recipients through the relay the
 * server was started with (Mailpit's release). The relay's answer is shown as it came.
 */
export function ReleaseDialog({ message, relay, onClose }: { message: Message; relay: string; onClose: () => void }) {
  const [value, setValue] = useState(() => message.To.map((a) => a.Address).join(', '));
  const release = useReleaseMessage(message.ID);
  const inputId = useId();
  const addresses = parseAddresses(value);
  const error = release.error;
  const unavailable = error instanceof PigeonholeHttpError && error.status === 404;
  return (
    <Dialog
      title="Release message"
      onClose={onClose}
      footer={
        release.isSuccess ? (
          <button type="button" className="btn btn--primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn--primary"
              disabled={addresses.length === 0 || release.isPending}
              onClick={() => release.mutate(addresses)}
            >
              <Send size={14} aria-hidden="true" /> {release.isPending ? 'Sending…' : 'Release'}
            </button>
          </>
        )
      }
    >
      <p className="dialog__lead">
        Sends this message as it was received to real recipients
        {relay ? ` through ${relay}` : ' through the configured relay'}.
      </p>
      <label className="field" htmlFor={inputId}>
        <span className="field__label">Recipients</span>
        <input
          id={inputId}
          className="input"
          value={value}
          placeholder="alice@example.com, bob@example.com"
          onChange={(event) => setValue(event.target.value)}
          disabled={release.isPending || release.isSuccess}
          autoFocus
        />
        <span className="field__hint">Separate addresses with commas or spaces.</span>
      </label>
      {release.isSuccess ? (
        <p className="notice notice--ok" role="status">
          Released to {addresses.join(', ')}.
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {unavailable
            ? 'Release is not available: start Pigeonhole with an SMTP relay (--smtp-relay-host).'
            : error instanceof PigeonholeHttpError
              ? error.body || error.message
              : error.message}
        </p>
      ) : null}
    </Dialog>
  );
}
