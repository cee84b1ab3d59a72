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

/**
 * IDLE by raw commands (imaplib has no IDLE before Python 3.14): prints "idling" once the server
 * said "+", then every untagged line until it has read argv[2] of them, then DONE.
 */
const IMAPLIB_IDLE = `
import imaplib, sys, json
M = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
M.login(sys.argv[3], "x")
M.select("INBOX")
tag = M._new_tag().decode()
M.send(("%s IDLE\\r\\n" % tag).encode())
assert M.readline().startswith(b"+")
print("idling", flush=True)
lines = []
while len(lines) < int(sys.argv[2]):
    lines.append(M.readline().decode().strip())
M.send(b"DONE\\r\\n")
done = M.readline().decode().strip()
M.logout()
print(json.dumps({"untagged": lines, "done": done}))
`;

let p: Pigeonhole | undefined;
afterEach(async () => {
  await p?.stop();
  p = undefined;
});

describe.runIf(has('python3'))('IMAP with Python imaplib', () => {
  it('logs in, selects, searches, fetches the stored bytes exactly and stores \\Seen as the read state', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({
      from: 'carol@example.test',
      to: 'bob@example.test',
      subject: 'plain',
      text: 'hello',
    });
    await transport(p).sendMail({ envelope: { from: 'alice@example.test', to: ['bob@example.test'] }, raw: MULTIPART });
    const [second, first] = [...p.store.newestFirst()];

    const out = await python<Record<string, unknown> & { bodies: string[]; sections: string[] }>(
      p,
      IMAPLIB,
      'dev',
      'x',
    );

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

/** Starts the IDLE script; resolves with its output once it has read `count` untagged lines. */
function idle(
  p: Pigeonhole,
  count: number,
  user = 'dev',
): { idling: Promise<void>; result: Promise<{ untagged: string[]; done: string }> } {
  const child = execFile('python3', ['-c', IMAPLIB_IDLE, String(p.imapPort), String(count), user], { timeout: 20_000 });
  let out = '';
  let idling: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (idling = resolve));
  const result = new Promise<{ untagged: string[]; done: string }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('idling\n')) idling();
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`python exited ${code}: ${out}`));
      resolve(JSON.parse(out.slice(out.indexOf('\n') + 1)) as { untagged: string[]; done: string });
    });
  });
  return { idling: started, result };
}

describe.runIf(has('python3'))('IMAP IDLE with Python imaplib', () => {
  it('tells an idling client of new mail (EXISTS), of a read in the API (FETCH FLAGS) and of a delete (EXPUNGE)', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'bob@example.test', subject: 'one', text: '1' });
    const session = idle(p, 3);
    await session.idling;
    await transport(p).sendMail({ from: 'a@example.test', to: 'bob@example.test', subject: 'two', text: '2' });
    const [newest, oldest] = [...p.store.newestFirst()];
    await p.client.setRead(true, { ids: [newest!.id] });
    await p.client.delete([oldest!.id]);

    const out = await session.result;
    expect(out.untagged).toEqual(['* 2 EXISTS', `* 2 FETCH (UID ${newest!.seq} FLAGS (\\Seen))`, '* 1 EXPUNGE']);
    expect(out.done).toMatch(/^\S+ OK IDLE terminated$/);
  });

  it('shows a recipient login only the mail addressed to it, new mail included', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'bob@example.test', subject: 'for bob', text: '1' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'carol@example.test', subject: 'for carol', text: '2' });
    const session = idle(p, 1, 'carol@example.test');
    await session.idling;
    await transport(p).sendMail({ from: 'a@example.test', to: 'bob@example.test', subject: 'bob again', text: '3' });
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'carol@example.test',
      subject: 'carol again',
      text: '4',
    });

    // Carol had one message; bob's new one is not hers, her own is message 2.
    expect((await session.result).untagged).toEqual(['* 2 EXISTS']);
  });
});
