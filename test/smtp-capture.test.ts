import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { converse, transport } from './helpers/smtp';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('SMTP capture with nodemailer', () => {
  it('stores a plain message with its summary and envelope', async () => {
    const p = await start();
    const info = await transport(p).sendMail({
      from: '"Ann Sender" <ann@example.test>',
      to: 'Bob <bob@example.test>',
      cc: 'carol@example.test',
      bcc: 'secret@example.test',
      replyTo: 'replies@example.test',
      subject: 'Hello there',
      text: 'The body of the message.',
    });
    expect(info.accepted).toHaveLength(3);
    expect(info.response).toMatch(/^250 .*queued as [A-Za-z0-9_-]{16}$/);
    const list = await p.client.messages();
    expect(list).toMatchObject({ total: 1, unread: 1, count: 1, messages_count: 1, messages_unread: 1, start: 0 });
    const [m] = list.messages;
    expect(Object.keys(m!)).toEqual([
      'ID',
      'MessageID',
      'Read',
      'From',
      'To',
      'Cc',
      'Bcc',
      'ReplyTo',
      'Subject',
      'Created',
      'Username',
      'Tags',
      'Size',
      'Attachments',
      'Snippet',
    ]);
    expect(m).toMatchObject({
      Read: false,
      From: { Name: 'Ann Sender', Address: 'ann@example.test' },
      To: [{ Name: 'Bob', Address: 'bob@example.test' }],
      Cc: [{ Name: '', Address: 'carol@example.test' }],
      Bcc: [{ Name: '', Address: 'secret@example.test' }],
      ReplyTo: [{ Name: '', Address: 'replies@example.test' }],
      Subject: 'Hello there',
      Username: '',
      Attachments: 0,
      Snippet: 'The body of the message.',
    });
    expect(m!.MessageID).toBe(info.messageId.replace(/^<|>$/g, ''));
    expect(info.response).toContain(m!.ID);
    expect(Date.parse(m!.Created)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps the raw bytes exactly, including a line that starts with a dot', async () => {
    const p = await start();
    const raw =
      'From: a@example.test\r\nTo: b@example.test\r\nSubject: dots\r\n\r\n' +
      '.leading dot\r\n..two dots\r\n. \r\nend\r\n';
    await transport(p).sendMail({ envelope: { from: 'a@example.test', to: ['b@example.test'] }, raw });
    const [m] = (await p.client.messages()).messages;
    expect(text(await p.client.raw(m!.ID))).toBe(raw);
    expect(m!.Size).toBe(Buffer.byteLength(raw));
  });

  it('accepts STARTTLS and records the TLS session', async () => {
    const p = await start();
    const info = await transport(p, { ignoreTLS: false, requireTLS: true }).sendMail({
      from: 'tls@example.test',
      to: 'x@example.test',
      subject: 'over TLS',
      text: 'secret',
    });
    expect(info.accepted).toEqual(['x@example.test']);
    const stored = p.store.latest()!;
    expect(stored.session.secure).toBe(true);
    expect(stored.session.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(stored.session.tls?.cipher).toBeTruthy();
    expect(stored.session.transcript.map((l) => l.line)).toContain('STARTTLS');
  });

  it('speaks implicit TLS with --smtp-require-tls', async () => {
    const p = await start({ smtpRequireTls: true });
    await transport(p, { secure: true, ignoreTLS: false }).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      text: 'smtps',
    });
    expect(p.store.latest()!.session.secure).toBe(true);
  });

  for (const method of ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const) {
    it(`accepts AUTH ${method} with any credentials by default and masks the secret`, async () => {
      const p = await start();
      await transport(p, { auth: { user: 'app-user', pass: 'hunter2' }, authMethod: method }).sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        text: 'authenticated',
      });
      const [m] = (await p.client.messages()).messages;
      expect(m!.Username).toBe('app-user');
      const stored = p.store.get(m!.ID)!;
      expect(stored.session.username).toBe('app-user');
      const transcript = stored.session.transcript.map((l) => l.line).join('\n');
      expect(transcript).toContain(`AUTH ${method}`);
      expect(transcript).not.toContain('hunter2');
      expect(transcript).not.toContain(Buffer.from('\0app-user\0hunter2').toString('base64'));
      expect(transcript).not.toContain(Buffer.from('hunter2').toString('base64'));
    });

    it(`checks AUTH ${method} against --smtp-auth and answers 535 to a wrong password`, async () => {
      const p = await start({ smtpAuth: 'alice:right-pass bob:other' });
      // Required credentials go over TLS only (cleartext AUTH is 538: security-smtp-auth.test.ts).
      const tls = { ignoreTLS: false, requireTLS: true, authMethod: method };
      const good = transport(p, { ...tls, auth: { user: 'alice', pass: 'right-pass' } });
      await good.sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'ok' });
      const bad = transport(p, { ...tls, auth: { user: 'alice', pass: 'wrong' } });
      await expect(bad.sendMail({ from: 'a@example.test', to: 'b@example.test', text: 'no' })).rejects.toMatchObject({
        responseCode: 535,
      });
      expect((await p.client.messages()).total).toBe(1);
    });
  }

  it('stores attachments and counts them', async () => {
    const p = await start();
    const pdf = Buffer.from('%PDF-1.4\n% fake pdf bytes\n');
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'with files',
      text: 'see attached',
      html: '<p>see <b>attached</b></p>',
      attachments: [
        { filename: 'report.pdf', content: pdf },
        { filename: 'notes.txt', content: 'plain notes' },
      ],
    });
    const [m] = (await p.client.messages()).messages;
    expect(m!.Attachments).toBe(2);
    expect(m!.Snippet).toBe('see attached');
    expect(text(await p.client.raw(m!.ID))).toContain(pdf.toString('base64'));
  });

  it('keeps every one of many recipients in the envelope', async () => {
    const p = await start();
    const to = Array.from({ length: 150 }, (_, i) => `user${i}@example.test`);
    const info = await transport(p).sendMail({
      from: 'a@example.test',
      to: to.slice(0, 50),
      bcc: to.slice(50),
      text: 'x',
    });
    expect(info.accepted).toHaveLength(150);
    const stored = p.store.latest()!;
    expect(stored.envelope.rcptTo).toEqual(to);
    expect(stored.summary.To).toHaveLength(50);
    expect(stored.summary.Bcc.map((a) => a.Address)).toEqual(to.slice(50));
  });

  it('answers 452 beyond the recipient limit and keeps what was accepted', async () => {
    const p = await start({ smtpMaxRecipients: 3 });
    const replies = await converse(p.smtpPort, [
      'EHLO client.test',
      'MAIL FROM:<a@example.test>',
      'RCPT TO:<r1@example.test>',
      'RCPT TO:<r2@example.test>',
      'RCPT TO:<r3@example.test>',
      'RCPT TO:<r4@example.test>',
      'DATA',
      'Subject: limit\r\n\r\nbody\r\n.',
      'QUIT',
    ]);
    expect(replies[6]).toMatch(/^452 /);
    expect(replies[8]).toMatch(/^250 /);
    expect(p.store.latest()!.envelope.rcptTo).toEqual(['r1@example.test', 'r2@example.test', 'r3@example.test']);
  });

  it('decodes non-ASCII subjects and names', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: '"Zoë Ünïcode" <zoe@example.test>',
      to: 'bob@example.test',
      subject: 'Grüße aus Köln — 日本語のテスト 🎉',
      text: 'Größe',
    });
    const [m] = (await p.client.messages()).messages;
    expect(m!.Subject).toBe('Grüße aus Köln — 日本語のテスト 🎉');
    expect(m!.From).toEqual({ Name: 'Zoë Ünïcode', Address: 'zoe@example.test' });
    expect(m!.Snippet).toBe('Größe');
  });

  it('refuses a message over --max-message-size with 552 and stores nothing', async () => {
    const p = await start({ maxMessageSize: 10_000 });
    const big = 'x'.repeat(76) + '\r\n';
    await expect(
      transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', text: big.repeat(300) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    // The SIZE extension is advertised, so a declared size is refused at MAIL FROM already.
    const replies = await converse(p.smtpPort, ['EHLO c.test', 'MAIL FROM:<a@example.test> SIZE=20000', 'QUIT']);
    expect(replies[1]).toContain('SIZE 10000');
    expect(replies[2]).toMatch(/^552 /);
    expect((await p.client.messages()).total).toBe(0);
  });

  it('evicts the oldest messages beyond --max', async () => {
    const p = await start({ max: 3 });
    const t = transport(p);
    for (let i = 1; i <= 5; i++)
      await t.sendMail({ from: 'a@example.test', to: 'b@example.test', subject: `n${i}`, text: 'x' });
    const list = await p.client.messages();
    expect(list.total).toBe(3);
    expect(list.messages.map((m) => m.Subject)).toEqual(['n5', 'n4', 'n3']);
  });

  it('evicts by the bytes messages take: their raw bytes, and what is kept for each', async () => {
    // About 2,300 raw bytes a message and 1 KiB kept for each beside them (no body word to index:
    // a run of 2,000 letters is longer than any word the index keeps): room for two.
    const p = await start({ maxBytes: 7500 });
    for (let i = 1; i <= 4; i++) {
      await transport(p).sendMail({
        from: 'a@example.test',
        to: 'b@example.test',
        subject: `n${i}`,
        text: 'y'.repeat(2000),
      });
    }
    const list = await p.client.messages();
    expect(list.messages.map((m) => m.Subject)).toEqual(['n4', 'n3']);
    expect(p.store.bytes).toBeLessThanOrEqual(5000);
    expect(p.store.keptBytes).toBeLessThanOrEqual(7500);
  });

  it('stores nothing when the client disconnects in the middle of DATA, and keeps serving', async () => {
    const p = await start();
    const socket = net.connect(p.smtpPort, '127.0.0.1');
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      socket.on('data', (d) => {
        seen.push(d.toString());
        const all = seen.join('');
        // Talking before the greeting is refused (421), so wait for it, then pipeline.
        if (seen.length === 1) {
          socket.write('EHLO c.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n');
        }
        if (all.includes('354')) {
          socket.write('Subject: half\r\n\r\nfirst half of the body\r\n');
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        }
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await p.client.messages()).total).toBe(0);
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'after', text: 'whole' });
    expect((await p.client.messages()).messages.map((m) => m.Subject)).toEqual(['after']);
  });

  it('records the SMTP transcript of each message on a shared connection', async () => {
    const p = await start();
    const replies = await converse(p.smtpPort, [
      'EHLO transcript.test',
      'MAIL FROM:<first@example.test>',
      'RCPT TO:<one@example.test>',
      'DATA',
      'Subject: one\r\n\r\n1\r\n.',
      'MAIL FROM:<second@example.test>',
      'RCPT TO:<two@example.test>',
      'DATA',
      'Subject: two\r\n\r\n2\r\n.',
      'QUIT',
    ]);
    expect(replies[1]).toMatch(/PIPELINING/);
    expect(replies[1]).toMatch(/8BITMIME/);
    expect(replies[1]).toMatch(/SMTPUTF8/);
    expect(replies[1]).toMatch(/ENHANCEDSTATUSCODES/);
    expect(replies[1]).toMatch(/STARTTLS/);
    expect(replies[1]).toMatch(/AUTH PLAIN LOGIN CRAM-MD5/);
    const [second, first] = [...p.store.newestFirst()];
    const lines = (m: typeof first) => m!.session.transcript.map((l) => `${l.direction}: ${l.line}`);
    expect(lines(first)[0]).toMatch(/^server: 220 /);
    expect(lines(first)).toContain('client: EHLO transcript.test');
    expect(lines(first)).toContain('client: MAIL FROM:<first@example.test>');
    expect(lines(first).join('\n')).not.toContain('second@example.test');
    expect(lines(second)).toContain('client: EHLO transcript.test');
    expect(lines(second)).toContain('client: MAIL FROM:<second@example.test>');
    expect(lines(second).join('\n')).not.toContain('first@example.test');
    expect(lines(second).join('\n')).not.toContain('Subject: two');
    expect(second!.session.helo).toBe('transcript.test');
    expect(second!.session.clientAddress).toMatch(/127\.0\.0\.1/);
  });
});
