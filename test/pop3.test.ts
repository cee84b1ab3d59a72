import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import type { Pigeonhole } from 'pigeonhole';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { has, transport } from './helpers/smtp';

const run = promisify(execFile);

/** Runs a Python script (poplib) with the POP3 port as argv[1]; returns its JSON output. */
async function python<T>(p: Pigeonhole, script: string, ...args: string[]): Promise<T> {
  const { stdout } = await run('python3', ['-c', script, String(p.pop3Port), ...args]);
  return JSON.parse(stdout) as T;
}

/** Sends a message with exact raw bytes over SMTP; returns the stored raw bytes. */
async function sendRaw(p: Pigeonhole, from: string, to: string[], raw: string): Promise<Buffer> {
  await transport(p).sendMail({ envelope: { from, to }, raw });
  return p.store.latest()!.keepRaw();
}

const TRICKY = [
  'From: Alice <alice@example.test>',
  'To: Bob <bob@example.test>',
  'Subject: dots and lines',
  '',
  'first line',
  '.a line that starts with a dot',
  '..two dots',
  '.',
  'last line without a newline',
].join('\r\n');

const POPLIB_RETR = `
import poplib, sys, json, base64
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user(sys.argv[2]); p.pass_(sys.argv[3])
count, size = p.stat()
out = {"count": count, "size": size, "list": [l.decode() for l in p.list()[1]],
       "uidl": [l.decode() for l in p.uidl()[1]], "messages": []}
for n in range(1, count + 1):
    resp, lines, octets = p.retr(n)
    out["messages"].append(base64.b64encode(b"\\r\\n".join(lines) + b"\\r\\n").decode())
p.quit()
print(json.dumps(out))
`;

describe.runIf(has('python3'))('POP3 with Python poplib', () => {
  it('lists and retrieves every message byte for byte, dot-stuffed on the wire', async () => {
    const p = await start({ pop3: '127.0.0.1:0' });
    const first = await sendRaw(p, 'alice@example.test', ['bob@example.test'], TRICKY);
    const second = await sendRaw(p, 'carol@example.test', ['dave@example.test'], 'Subject: two\r\n\r\nplain\r\n');
    const ids = [...p.store.newestFirst()].map((m) => m.id).reverse();

    const out = await python<{ count: number; size: number; list: string[]; uidl: string[]; messages: string[] }>(
      p,
      POPLIB_RETR,
      'anyone',
      'any password',
    );

    expect(out.count).toBe(2);
    expect(first.toString('latin1')).toContain('\r\n.a line that starts with a dot\r\n..two dots\r\n.\r\n');
    expect(out.list).toEqual([`1 ${first.length}`, `2 ${second.length}`]);
    expect(out.size).toBe(first.length + second.length);
    expect(out.uidl).toEqual([`1 ${ids[0]}`, `2 ${ids[1]}`]);
    expect(Buffer.from(out.messages[0]!, 'base64').equals(first)).toBe(true);
    expect(Buffer.from(out.messages[1]!, 'base64').equals(second)).toBe(true);
    // RETR is opening the message: both are read now, as after opening them in the web UI.
    expect((await p.client.messages()).unread).toBe(0);
  });

  it('shows a login that is an address only the mail addressed to it (To, Cc or envelope Bcc)', async () => {
    const p = await start({ pop3: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'bob@example.test', subject: 'to bob', text: '1' });
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'x@example.test',
      cc: 'Bob@Example.test',
      subject: 'cc bob',
      text: '2',
    });
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'x@example.test',
      bcc: 'bob@example.test',
      subject: 'bcc bob',
      text: '3',
    });
    await transport(p).sendMail({ from: 'a@example.test', to: 'carol@example.test', subject: 'to carol', text: '4' });
    const script = `
import poplib, sys, json, email
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user(sys.argv[2]); p.pass_("x")
subjects = []
for n in range(1, p.stat()[0] + 1):
    subjects.append(email.message_from_bytes(b"\\r\\n".join(p.top(n, 0)[1]))["Subject"])
p.quit()
print(json.dumps(subjects))
`;
    expect(await python<string[]>(p, script, 'bob@example.test')).toEqual(['to bob', 'cc bob', 'bcc bob']);
    expect(await python<string[]>(p, script, 'carol@example.test')).toEqual(['to carol']);
    expect(await python<string[]>(p, script, 'admin')).toHaveLength(4);
    // TOP is not reading: nothing was marked read.
    expect((await p.client.messages()).unread).toBe(4);
  });

  it("deletes DELE'd messages at QUIT, visible in the API, and nothing when the client leaves without QUIT", async () => {
    const p = await start({ pop3: '127.0.0.1:0' });
    for (const subject of ['one', 'two', 'three']) {
      await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject, text: subject });
    }
    const events: string[] = [];
    p.store.subscribe((e) => events.push(e.type));
    const script = `
import poplib, sys, json
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user("u"); p.pass_("p")
p.dele(1)
if sys.argv[2] == "quit":
    p.rset(); p.dele(2); p.quit()
else:
    p.sock.close()
print(json.dumps(True))
`;
    await python(p, script, 'leave');
    expect((await p.client.messages()).total).toBe(3);
    await python(p, script, 'quit');
    const left = (await p.client.messages()).messages.map((m) => m.Subject);
    expect(left).toEqual(['three', 'one']);
    expect(events).toContain('deleted');
  });

  it('tells the web UI live: a delete event on /api/events at QUIT', async () => {
    const p = await start({ pop3: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'live', text: 'x' });
    const id = p.store.latest()!.id;
    const ws = new WebSocket(`${p.httpUrl.replace(/^http/, 'ws')}/api/events`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const deleted = new Promise<unknown>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const event = JSON.parse(data.toString()) as { Type: string; Data: unknown };
        if (event.Type === 'delete') resolve(event.Data);
      });
    });
    const script = `
import poplib, sys
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user("u"); p.pass_("p"); p.dele(1); p.quit()
print("true")
`;
    await python(p, script);
    expect(await deleted).toEqual({ ID: id });
    ws.close();
  });

  it('upgrades with STLS and then logs in', async () => {
    const p = await start({ pop3: '127.0.0.1:0', pop3Auth: 'alice:s3cret' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'secure', text: 'x' });
    const script = `
import poplib, sys, json, ssl
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
before = sorted(p.capa().keys())
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
p.stls(ctx)
after = sorted(p.capa().keys())
p.user("alice"); p.pass_("s3cret")
count = p.stat()[0]
cipher = p.sock.cipher()[1]
p.quit()
print(json.dumps({"before": before, "after": after, "count": count, "tls": cipher}))
`;
    const out = await python<{ before: string[]; after: string[]; count: number; tls: string }>(p, script);
    expect(out.before).toContain('STLS');
    expect(out.after).not.toContain('STLS');
    expect(out.count).toBe(1);
    expect(out.tls).toMatch(/^TLSv1\.[23]$/);
  });

  it('refuses a wrong password with --pop3-auth and accepts APOP with the right one', async () => {
    const p = await start({ pop3: '127.0.0.1:0', pop3Auth: 'alice:s3cret bob@example.test:pw' });
    const script = `
import poplib, sys, json
out = {}
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
p.user("alice")
try:
    p.pass_("wrong"); out["wrong"] = "accepted"
except poplib.error_proto as e:
    out["wrong"] = e.args[0].decode()
p.quit()
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
out["apop"] = p.apop("alice", "s3cret").decode()
p.quit()
p = poplib.POP3("127.0.0.1", int(sys.argv[1]))
try:
    p.apop("alice", "nope"); out["badapop"] = "accepted"
except poplib.error_proto as e:
    out["badapop"] = e.args[0].decode()
print(json.dumps(out))
`;
    const out = await python<Record<string, string>>(p, script);
    expect(out.wrong).toBe('-ERR [AUTH] invalid user name or password');
    expect(out.apop).toMatch(/^\+OK alice has 0 messages/);
    expect(out.badapop).toMatch(/^-ERR \[AUTH\]/);
  });
});

describe.runIf(has('curl'))('POP3 with curl', () => {
  it('lists and retrieves over plain POP3 and over STLS', async () => {
    const p = await start({ pop3: '127.0.0.1:0', pop3Auth: 'u:p' });
    const raw = await sendRaw(p, 'a@example.test', ['b@example.test'], 'Subject: curl\r\n\r\n.dot\r\nbody\r\n');
    const base = `pop3://127.0.0.1:${p.pop3Port}`;
    const list = await run('curl', ['-sS', '-u', 'u:p', `${base}/`], { encoding: 'buffer' });
    expect(list.stdout.toString()).toBe(`1 ${raw.length}\r\n`);
    const retr = await run('curl', ['-sS', '-u', 'u:p', `${base}/1`], { encoding: 'buffer' });
    expect(retr.stdout.equals(raw)).toBe(true);
    const secure = await run('curl', ['-sS', '--ssl-reqd', '-k', '-u', 'u:p', `${base}/1`], { encoding: 'buffer' });
    expect(secure.stdout.equals(raw)).toBe(true);
    const refused = await run('curl', ['-sS', '-u', 'u:wrong', `${base}/1`]).catch((err: { code: number }) => err);
    expect((refused as { code: number }).code).toBe(67); // CURLE_LOGIN_DENIED
  });
});

/** Talks raw POP3: writes `input`, collects everything until the server closes or `until` matches. */
async function talk(port: number, input: string, until: RegExp): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  return new Promise((resolve, reject) => {
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (until.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(input);
  });
}

describe('POP3 protocol edges', () => {
  it('answers TOP, NOOP, RSET and refuses commands in the wrong state', async () => {
    const p = await start({ pop3: '127.0.0.1:0' });
    await sendRaw(p, 'a@example.test', ['b@example.test'], 'Subject: top\r\n\r\nl1\r\n.l2\r\nl3\r\n');
    const text = await talk(
      p.pop3Port!,
      'STAT\r\nUSER me\r\nPASS x\r\nTOP 1 2\r\nNOOP\r\nDELE 1\r\nRETR 1\r\nRSET\r\nLIST 1\r\nLIST 9\r\nQUIT\r\n',
      /signing off/,
    );
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^\+OK Pigeonhole POP3 ready <[^>]+>$/);
    expect(lines[1]).toBe('-ERR log in first (USER and PASS, or APOP)');
    expect(text).toContain('+OK top of message follows\r\nSubject: top\r\n\r\nl1\r\n..l2\r\n.\r\n+OK\r\n');
    expect(text).toContain('+OK message 1 deleted\r\n-ERR message 1 already deleted\r\n+OK 1 messages\r\n');
    expect(text).toContain('-ERR no message 9\r\n');
    expect(p.store.count).toBe(1);
  });

  it('answers an over-long line and closes after too many bad commands', async () => {
    const p = await start({ pop3: '127.0.0.1:0' });
    const text = await talk(
      p.pop3Port!,
      `USER ${'x'.repeat(2000)}\r\n` + 'BOGUS\r\n'.repeat(12),
      /too many bad commands/,
    );
    expect(text).toContain('-ERR line too long\r\n');
    expect(text).toContain('-ERR too many bad commands, closing\r\n');
    expect(text.match(/^-ERR unknown command BOGUS/gm)).toHaveLength(9);
  });

  it('is off without --pop3', async () => {
    const p = await start();
    expect(p.pop3Port).toBeNull();
  });
});
