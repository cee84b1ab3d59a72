import type { ChaosTriggers, ChaosTriggersBody } from '@pigeonhole/shared/schemas/chaos';
import { useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { useSetChaos } from '../api/set-chaos';

interface CodeTrigger {
  ErrorCode: number;
  Probability: number;
}

const CODE_TRIGGERS = [
  { key: 'Sender', label: 'MAIL FROM', hint: 'Fail the sender command', fallback: 451 },
  { key: 'Recipient', label: 'RCPT TO', hint: 'Fail each recipient', fallback: 451 },
  { key: 'Authentication', label: 'AUTH', hint: 'Fail authentication', fallback: 535 },
  { key: 'Data', label: 'DATA', hint: 'Fail after the message body', fallback: 451 },
] as const;

type CodeKey = (typeof CODE_TRIGGERS)[number]['key'];

function Probability({ value, onChange, label }: { value: number; onChange: (v: number) => void; label: string }) {
  return (
    <span className="chaos__prob">
      <input
        type="range"
        min={0}
        max={100}
        step={5}
        value={value}
        aria-label={`${label} probability`}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <output className="chaos__pct">{value}%</output>
    </span>
  );
}

/**
 * Fault injection for the SMTP server (Mailpit's chaos, plus Pigeonhole's DATA, delay and
 * disconnect triggers), so an app's retry and error paths can be tried by hand.
 */
export function ChaosPanel({ triggers, onClose }: { triggers: ChaosTriggers; onClose: () => void }) {
  const save = useSetChaos();
  const [codes, setCodes] = useState<Record<CodeKey, CodeTrigger>>(() => ({
    Sender: { ...triggers.Sender },
    Recipient: { ...triggers.Recipient },
    Authentication: { ...triggers.Authentication },
    Data: triggers.Data ? { ...triggers.Data } : { ErrorCode: 451, Probability: 0 },
  }));
  const [delay, setDelay] = useState(() => triggers.Delay ?? { Milliseconds: 2000, Probability: 0 });
  const [disconnect, setDisconnect] = useState(() => triggers.Disconnect ?? { Stage: 'data' as const, Probability: 0 });

  const setCode = (key: CodeKey, change: Partial<CodeTrigger>) =>
    setCodes((c) => ({ ...c, [key]: { ...c[key], ...change } }));
  const body: ChaosTriggersBody = { ...codes, Delay: delay, Disconnect: disconnect };
  const anyOn =
    Object.values(codes).some((t) => t.Probability > 0) || delay.Probability > 0 || disconnect.Probability > 0;

  return (
    <Dialog
      title="Chaos"
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={() => save.mutate({})} disabled={save.isPending}>
            Reset all
          </button>
          <span className="dialog__spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => save.mutate(body)}
            disabled={save.isPending}
          >
            {save.isPending ? 'Saving…' : 'Apply'}
          </button>
        </>
      }
    >
      <p className="dialog__lead">
        Make the SMTP server fail on purpose, to test how your app handles errors.{' '}
        {anyOn ? <strong>Faults are armed.</strong> : 'Nothing is armed.'}
      </p>
      <table className="data-table chaos">
        <thead>
          <tr>
            <th scope="col">Trigger</th>
            <th scope="col">Reply</th>
            <th scope="col">Probability</th>
          </tr>
        </thead>
        <tbody>
          {CODE_TRIGGERS.map(({ key, label, hint, fallback }) => (
            <tr key={key}>
              <th scope="row">
                <span className="mono">{label}</span>
                <span className="chaos__hint">{hint}</span>
              </th>
              <td>
                <input
                  type="number"
                  className="input chaos__code"
                  min={400}
                  max={599}
                  aria-label={`${label} error code`}
                  value={codes[key].ErrorCode || fallback}
                  onChange={(e) => setCode(key, { ErrorCode: Number(e.target.value) })}
                />
              </td>
              <td>
                <Probability
                  label={label}
                  value={codes[key].Probability}
                  onChange={(p) => setCode(key, { Probability: p })}
                />
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">
              <span className="mono">Delay</span>
              <span className="chaos__hint">Answer slowly</span>
            </th>
            <td>
              <input
                type="number"
                className="input chaos__code"
                min={0}
                max={120000}
                step={250}
                aria-label="Delay in milliseconds"
                value={delay.Milliseconds}
                onChange={(e) => setDelay({ ...delay, Milliseconds: Number(e.target.value) })}
              />{' '}
              ms
            </td>
            <td>
              <Probability
                label="Delay"
                value={delay.Probability}
                onChange={(p) => setDelay({ ...delay, Probability: p })}
              />
            </td>
          </tr>
          <tr>
            <th scope="row">
              <span className="mono">Disconnect</span>
              <span className="chaos__hint">Drop the connection</span>
            </th>
            <td>
              <select
                className="input chaos__code"
                aria-label="Disconnect at"
                value={disconnect.Stage}
                onChange={(e) =>
                  setDisconnect({
                    ...disconnect,
                    Stage: e.target.value === 'mail' ? 'mail' : e.target.value === 'rcpt' ? 'rcpt' : 'data',
                  })
                }
              >
                <option value="mail">at MAIL</option>
                <option value="rcpt">at RCPT</option>
                <option value="data">after DATA</option>
              </select>
            </td>
            <td>
              <Probability
                label="Disconnect"
                value={disconnect.Probability}
                onChange={(p) => setDisconnect({ ...disconnect, Probability: p })}
              />
            </td>
          </tr>
        </tbody>
      </table>
      {save.isError ? (
        <p className="notice notice--error" role="alert">
          {save.error.message}
        </p>
      ) : null}
      {save.isSuccess ? (
        <p className="notice notice--ok" role="status">
          Saved.
        </p>
      ) : null}
    </Dialog>
  );
}
