import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Pigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

const run = promisify(execFile);

/** Runs a Python script (imaplib) with the IMAP port as argv[1]; returns its JSON output. */
async function python<T>(p: Pigeonhole, script: string, ...args: string[]): Promise<T> {
  const { stdout } = await run('python3', ['-c', script, String(p.imapPort), ...args], { timeout: 20_000 });
  return JSON.parse(stdout) as T;
}

const MULTIPART = [
  'From: Alice <alice@example.test>',
  'To: Bob <bob@example.test>',
  'Subject: report attached',
  'Message-ID: <report-1@example.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'See the report.',
  '--b1',
  'Content-Type: application/pdf; name="report.pdf"',
  'Content-Disposition: attachment; filename="report.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0xLjQK',
  '--b1--',
  '',
].join('\r\n');

const IMAPLIB = `
import imaplib, sys, json, base64
M = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
out = {"caps": list(M.capabilities)}
M.login(sys.argv[2], sys.argv[3])
typ, data = M.select("INBOX")
out["exists"] = int(data[0])
typ, data = M.search(None, "ALL")
out["all"] = data[0].decode()
typ, data = M.search(None, "SUBJECT", '"report"')
out["subject"] = data[0].decode()
typ, data = M.search(None, "UNSEEN")
out["unseen"] = data[0].decode()
typ, data = M.uid("SEARCH", None, "FROM", "alice")
out["uidFrom"] = data[0].decode()
typ, data = M.fetch("1:*", "(UID RFC822.SIZE BODY.PEEK[])")
out["bodies"] = [base64.b64encode(part[1]).decode() for part in data if isinstance(part, tuple)]
typ, data = M.fetch("2", "(BODY.PEEK[2] BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[1.MIME] BODY.PEEK[]<0.4>)")
out["sections"] = [base64.b64encode(part[1]).decode() for part in data if isinstance(part, tuple)]
typ, data = M.store("1", "+FLAGS", "\\\\Seen")
out["store"] = [d.decode() for d in data]
typ, data = M.search(None, "SEEN")
out["seen"] = data[0].decode()
typ, data = M.fetch("2", "(FLAGS BODY[TEXT])")
out["fetchFlags"] = data[0][0].decode()
typ, data = M.search(None, "SEEN")
out["seenAfterFetch"] = data[0].decode()
M.logout()
print(json.dumps(out))
`;

/** The read state the API lists (GET /api/v1/messages: it does not mark anything read itself). */
async function readInApi(p: Pigeonhole, id: string): Promise<boolean | undefined> {
  return (await p.client.messages()).messages.find((m) => m.ID === id)?.Read;
}

let p: Pigeonhole | undefined;
afterEach(async () => {
  await p?.stop();
  p = undefined;
});

describe.runIf(has('python3'))('IMAP with Python imaplib', () => {
  it('logs in, selects, searches, fetches the stored bytes exactly and stores \\Seen as the read state', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'carol@example.test', to: 'bob@example.test', subject: 'plain', text: 'hello' });
    await transport(p).sendMail({ envelope: { from: 'alice@example.test', to: ['bob@example.test'] }, raw: MULTIPART });
    const [second, first] = [...p.store.newestFirst()];

    const out = await python<Record<string, unknown> & { bodies: string[]; sections: string[] }>(p, IMAPLIB, 'dev', 'x');

    expect(out.caps).toEqual(expect.arrayContaining(['IMAP4REV1', 'IDLE', 'STARTTLS', 'AUTH=PLAIN']));
    expect(out.exists).toBe(2);
    expect(out.all).toBe('1 2');
    expect(out.subject).toBe('2');
    expect(out.unseen).toBe('1 2');
    expect(out.uidFrom).toBe(String(second!.seq));
    expect(Buffer.from(out.bodies[0]!, 'base64').equals(first!.keepRaw())).toBe(true);
    expect(Buffer.from(out.bodies[1]!, 'base64').equals(second!.keepRaw())).toBe(true);
    const sections = out.sections.map((s) => Buffer.from(s, 'base64').toString('latin1'));
    expect(sections[0]).toBe('JVBERi0xLjQK');
    expect(sections[1]).toBe('Subject: report attached\r\n\r\n');
    expect(sections[2]).toBe('Content-Type: text/plain; charset=utf-8\r\n\r\n');
    expect(sections[3]).toBe('From');
    expect(out.store).toEqual(['1 (FLAGS (\\Seen))']);
    // STORE \Seen is the web UI's read state, at once.
    expect(out.seen).toBe('1');
    expect(await readInApi(p, first!.id)).toBe(true);
    // A FETCH of BODY[] without PEEK opens the message: read in the API too, with its FLAGS told.
    expect(out.fetchFlags).toContain('FLAGS (\\Seen)');
    expect(out.seenAfterFetch).toBe('1 2');
    expect(await readInApi(p, second!.id)).toBe(true);
  });
});
