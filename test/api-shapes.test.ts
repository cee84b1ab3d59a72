import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

const keys = (value: unknown): string[] => Object.keys(value as object);

/** Field names (and their order) exactly as Mailpit's and MailHog's answers have them. */
describe('response shapes', () => {
  it('match the Mailpit and MailHog field names exactly', async () => {
    const p = await start();
    await transport(p).sendMail({
      from: 'a@example.test',
      to: 'b@example.test',
      subject: 'Shapes',
      text: 'x',
      html: '<p>x</p>',
      attachments: [{ filename: 'f.txt', content: 'f' }],
    });
    const list = await p.client.messages();
    expect(keys(list)).toEqual([
      'total',
      'unread',
      'count',
      'messages_count',
      'messages_unread',
      'start',
      'tags',
      'messages',
    ]);
    expect(keys(list.messages[0])).toEqual([
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
    const search = await p.client.search('shapes');
    expect(keys(search)).toEqual(keys(list));

    const message = await p.client.get('latest');
    expect(keys(message)).toEqual([
      'ID',
      'MessageID',
      'From',
      'To',
      'Cc',
      'Bcc',
      'ReplyTo',
      'ReturnPath',
      'Subject',
      'ListUnsubscribe',
      'Date',
      'Tags',
      'Username',
      'Text',
      'HTML',
      'Size',
      'Inline',
      'Attachments',
    ]);
    expect(keys(message.ListUnsubscribe)).toEqual(['Header', 'Links', 'Errors', 'HeaderPost']);
    expect(keys(message.Attachments[0])).toEqual([
      'PartID',
      'FileName',
      'ContentType',
      'ContentID',
      'Size',
      'Checksums',
    ]);
    expect(keys(message.Attachments[0]!.Checksums)).toEqual(['MD5', 'SHA1', 'SHA256']);

    const info = await p.client.info();
    expect(keys(info)).toEqual(expect.arrayContaining(['Version', 'Messages', 'Unread', 'Tags', 'RuntimeStats']));
    const session = await p.client.session('latest');
    expect(keys(session)).toEqual([
      'ClientAddress',
      'Helo',
      'Secure',
      'TLS',
      'Username',
      // Ours: `smtp`, or the provider API whose HTTP request the transcript is.
      'Via',
      'MailFrom',
      'RcptTo',
      'DSN',
      'Transcript',
    ]);
    expect(keys(session.Transcript[0])).toEqual(['At', 'Direction', 'Line', 'Explain']);
    expect(keys((await p.client.mailboxes()).mailboxes[0])).toEqual(['Address', 'Name', 'Messages', 'Unread']);

    const v2 = (await (await fetch(`${p.httpUrl}/api/v2/messages`)).json()) as {
      items: Array<Record<string, unknown>>;
    };
    expect(keys(v2)).toEqual(['total', 'count', 'start', 'items']);
    const item = v2.items[0]!;
    expect(keys(item)).toEqual(['ID', 'From', 'To', 'Content', 'Created', 'MIME', 'Raw']);
    expect(keys(item.From)).toEqual(['Relays', 'Mailbox', 'Domain', 'Params']);
    expect(keys(item.Content)).toEqual(['Headers', 'Body', 'Size', 'MIME']);
    expect(keys(item.Raw)).toEqual(['From', 'To', 'Data', 'Helo']);
    expect(keys((item.MIME as { Parts: unknown[] }).Parts[0])).toEqual(['Headers', 'Body', 'Size', 'MIME']);
  });
});
