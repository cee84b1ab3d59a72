/**
 * The SMTP latency probe for tests that run Pigeonhole in-process. Tests that assert a latency bound
 * run the same probe inside Pigeonhole's own process instead (`pigeonhole-process.ts`), so that the
 * test runner's work does not count as the server's.
 */
export { smtpProbe, type ProbeOptions, type ProbeReport, type SmtpProbe } from './smtp-probe.mjs';
