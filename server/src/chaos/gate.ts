import type { ChaosEngine, ChaosStep } from './engine';

/** An SMTP error carrying its reply code, as smtp-server expects from hooks. */
export class ChaosSmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
    this.name = 'ChaosSmtpError';
  }
}

/** How the SMTP wrapper carries out a decision. */
export interface ChaosGateIo {
  /** Answer with this error instead of going on. */
  reply(err: ChaosSmtpError): void;
  /** Close the connection without a reply. */
  disconnect(): void;
  /** Go on as if chaos were off. */
  proceed(): void;
  /** Told once per step where chaos acted. */
  log?(event: { step: ChaosStep; delayMs: number; disconnect: boolean; code: number | null }): void;
}

/**
 * Runs one SMTP step through chaos: waits when the delay trigger fires, then disconnects, fails or
 * proceeds. With chaos off (`engine` null) it proceeds at once, so the hooks cost nothing then.
 */
export function chaosGate(
  engine: ChaosEngine | null,
  step: ChaosStep,
  input: { address?: string; recipients?: readonly string[] },
  io: ChaosGateIo,
): void {
  if (!engine) {
    io.proceed();
    return;
  }
  const decision = engine.decide(step, input.address, input.recipients);
  const act = (): void => {
    if (decision.disconnect) io.disconnect();
    else if (decision.fail) io.reply(new ChaosSmtpError(decision.fail.message, decision.fail.code));
    else io.proceed();
  };
  if (decision.delayMs > 0 || decision.disconnect || decision.fail) {
    io.log?.({ step, delayMs: decision.delayMs, disconnect: decision.disconnect, code: decision.fail?.code ?? null });
  }
  if (decision.delayMs > 0) setTimeout(act, decision.delayMs).unref();
  else act();
}
