import { ImapFlow, type MessageStructureObject } from 'imapflow';
import type { Pigeonhole } from 'pigeonhole';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

/**
 * IMAP with imapflow, the npm client (postalsys): STARTTLS with Pigeonhole's certificate, FETCH with
 * BODYSTRUCTURE and FLAGS, read state both ways, IDLE that sees mail sent during the test.
 */

let p: Pigeonhole | undefined;
let client: ImapFlow | undefined;
afterEach(async () => {
  await client?.logout().catch(() => undefined);
  client = undefined;
  await p?.stop();
  p = undefined;
});

function connect(p: Pigeonhole, user = 'dev', pass = 'x'): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: p.imapPort!,
    secure: false,
    // The self-signed certificate SMTP uses; doRequireTLS makes imapflow refuse to go on without STARTTLS.
    doSTARTTLS: true,
    tls: { rejectUnauthorized: false },
    auth: { user, pass },
    logger: false,
  });
}

/** Every node of a structure, depth first. */
function nodes(node: MessageStructureObject): MessageStructureObject[] {
  return [node, ...(node.childNodes ?? []).flatMap(nodes)];
}

async function readInApi(p: Pigeonhole, id: string): Promise<boolean | undefined> {
  return (await p.client.messages()).messages.find((m) => m.ID === id)?.Read;
}

describe('IMAP with imapflow', () => {
  it('fetches BODYSTRUCTURE that agrees with the API attachments, and the bytes as stored', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({
      from: 'Alice <alice@example.test>',
      to: 'Bob <bob@example.test>',
      subject: 'Quarterly report',
      text: 'plain body',
      html: '<p>html body</p>',
      attachments: [
        { filename: 'report.pdf', content: Buffer.from('%PDF-1.4 fake'), contentType: 'application/pdf' },
        { filename: 'notes.txt', content: 'some notes' },
      ],
    });
    const stored = p.store.latest()!;
    client = connect(p);
    await client.connect();
    expect(client.secureConnection).toBe(true);
    const lock = await client.getMailboxLock('INBOX');
    try {
      const msg = await client.fetchOne('*', {
        uid: true,
        flags: true,
        bodyStructure: true,
        envelope: true,
        source: true,
      });
      expect(msg).toBeTruthy();
      if (!msg) return;
      expect(msg.uid).toBe(stored.seq);
      expect(msg.flags?.has('\\Seen')).toBe(false);
      expect(msg.envelope?.subject).toBe('Quarterly report');
      expect(msg.envelope?.from?.[0]).toMatchObject({ name: 'Alice', address: 'alice@example.test' });
      expect(msg.source?.equals(stored.keepRaw())).toBe(true);

      const api = await p.client.get(stored.id);
      const attachments = nodes(msg.bodyStructure!).filter((n) => n.disposition === 'attachment');
      expect(attachments.map((n) => [n.part, n.type, n.dispositionParameters?.filename])).toEqual(
        api.Attachments.map((a) => [a.PartID, a.ContentType, a.FileName]),
      );
      const types = nodes(msg.bodyStructure!).map((n) => n.type);
      expect(types).toEqual([
        'multipart/mixed',
        'multipart/alternative',
        'text/plain',
        'text/html',
        'application/pdf',
        'text/plain',
      ]);

      // Each part's bytes by section number are the ones BODYSTRUCTURE describes.
      const pdf = attachments[0]!;
      const { content } = await client.download(String(msg.seq), pdf.part, { uid: false });
      const chunks: Buffer[] = [];
      for await (const chunk of content ?? []) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('%PDF-1.4 fake');
    } finally {
      lock.release();
    }
  });

  it('keeps \\Seen and the API read state the same, both ways', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 't' });
    const id = p.store.latest()!.id;
    client = connect(p);
    await client.connect();
    await client.mailboxOpen('INBOX');

    await client.messageFlagsAdd('1', ['\\Seen']);
    expect(await readInApi(p, id)).toBe(true);
    await p.client.setRead(false, { ids: [id] });
    const after = await client.fetchOne('1', { flags: true });
    expect(after && after.flags?.has('\\Seen')).toBe(false);
  });

  it('sees mail that arrives during IDLE, and a delete from the API as an expunge', async () => {
    p = await start({ imap: '127.0.0.1:0' });
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'first', text: '1' });
    client = connect(p);
    await client.connect();
    await client.mailboxOpen('INBOX');
    const exists = new Promise<number>((resolve) => client!.on('exists', (e: { count: number }) => resolve(e.count)));
    // Mail that comes before the IDLE command reaches the server is told when IDLE starts.
    const idling = client.idle();
    await transport(p).sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 'second', text: '2' });
    expect(await exists).toBe(2);

    const expunged = new Promise<number>((resolve) => client!.on('expunge', (e: { seq: number }) => resolve(e.seq)));
    await p.client.delete([[...p.store.newestFirst()][1]!.id]);
    expect(await expunged).toBe(1);
    const second = await client.fetchOne('*', { envelope: true });
    expect(second && second.envelope?.subject).toBe('second');
    await idling.catch(() => undefined);
  });
});
