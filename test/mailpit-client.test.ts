import { MailpitClient } from 'mailpit-api';
import { describe, expect, it } from 'vitest';
import { start } from './helpers/pigeonhole';
import { transport } from './helpers/smtp';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** The real `mailpit-api` npm client, pointed at Pigeonhole, through every method of Mailpit's API v1 it has. */
describe('the mailpit-api client against Pigeonhole', () => {
  it('info, webui, send, list, summary, headers, source, attachment, thumbnail, render', async () => {
    const p = await start();
    const mailpit = new MailpitClient(p.httpUrl);

    const sent = await mailpit.sendMessage({
      From: { Email: 'app@example.test', Name: 'The App' },
      To: [{ Email: 'user@example.test', Name: 'User' }, { Email: 'other@example.test' }],
      Cc: [{ Email: 'cc@example.test' }],
      Bcc: ['hidden@example.test'],
      ReplyTo: [{ Email: 'support@example.test' }],
      Subject: 'Sent over HTTP',
      Text: 'Plain body 42',
      HTML: '<p>HTML body <img src="cid:pic"></p>',
      Tags: ['api', 'http'],
      Headers: { 'X-Custom': 'yes' },
      Attachments: [
        { Filename: 'notes.txt', Content: Buffer.from('attached notes').toString('base64'), ContentType: 'text/plain' },
        { Filename: 'pic.png', Content: `data:image/png;base64,${PNG_1x1.toString('base64')}`, ContentID: 'pic' },
      ],
    });
    expect(sent.ID).toMatch(/^[\w-]+$/);

    const info = await mailpit.getInfo();
    expect(info.Messages).toBe(1);
    expect(info.Unread).toBe(1);
    expect(info.Tags).toEqual({ api: 1, http: 1 });
    expect(info.RuntimeStats.SMTPAccepted).toBe(1);
    expect(typeof info.Version).toBe('string');
    const webui = await mailpit.getConfiguration();
    expect(webui.MessageRelay.Enabled).toBe(false);

    const list = await mailpit.listMessages();
    expect(list.total).toBe(1);
    expect(list.messages[0]!.ID).toBe(sent.ID);
    expect(list.messages[0]!.Tags).toEqual(['api', 'http']);

    const message = await mailpit.getMessageSummary(sent.ID);
    expect(message.Subject).toBe('Sent over HTTP');
    expect(message.To.map((a) => a.Address)).toEqual(['user@example.test', 'other@example.test']);
    expect(message.Bcc.map((a) => a.Address)).toEqual(['hidden@example.test']);
    expect(message.Text.trim()).toBe('Plain body 42');
    expect(message.Attachments.map((a) => a.FileName)).toEqual(['notes.txt']);
    expect(message.Inline.map((a) => a.ContentID)).toEqual(['pic']);
    expect((await mailpit.getMessageSummary()).ID).toBe(sent.ID);

    const headers = await mailpit.getMessageHeaders(sent.ID);
    expect(headers['X-Custom']).toEqual(['yes']);
    expect(headers['X-Tags']).toEqual(['api, http']);
    expect(await mailpit.getMessageSource(sent.ID)).toContain('Subject: Sent over HTTP');

    const attachment = await mailpit.getMessageAttachment(sent.ID, message.Attachments[0]!.PartID);
    expect(await attachment.text()).toBe('attached notes');
    const thumb = await mailpit.getAttachmentThumbnail(sent.ID, message.Inline[0]!.PartID);
    expect(thumb.type).toBe('image/jpeg');
    expect(thumb.size).toBeGreaterThan(100);

    const html = await mailpit.renderMessageHTML(sent.ID);
    // The cid: image inlined as a data: URL (Mailpit points at the part's URL; ours loads nothing
    // from Pigeonhole's own origin).
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+">/);
    expect((await mailpit.renderMessageText(sent.ID)).trim()).toBe('Plain body 42');
  });

  it('search, read status, tags, delete by search and delete all', async () => {
    const p = await start();
    const mailpit = new MailpitClient(p.httpUrl);
    const t = transport(p);
    await t.sendMail({ from: 'a@example.test', to: 'alice@example.test', subject: 'Reset your password', text: 'x' });
    await t.sendMail({ from: 'b@example.test', to: 'bob@example.test', subject: 'Invoice 7', text: 'y' });
    await t.sendMail({ from: 'c@example.test', to: 'carol@example.test', subject: 'Invoice 8', text: 'z' });

    const found = await mailpit.searchMessages({ query: 'subject:invoice' });
    expect(found.messages_count).toBe(2);
    expect(found.total).toBe(3);
    expect(found.messages.map((m) => m.Subject)).toEqual(['Invoice 8', 'Invoice 7']);

    expect(await mailpit.setReadStatus({ IDs: [found.messages[0]!.ID], Read: true })).toBe('ok');
    expect((await mailpit.listMessages()).unread).toBe(2);
    expect(await mailpit.setReadStatus({ Search: 'subject:invoice', Read: true })).toBe('ok');
    expect((await mailpit.listMessages()).unread).toBe(1);
    expect(await mailpit.setReadStatus({ Read: true })).toBe('ok');
    expect((await mailpit.listMessages()).unread).toBe(0);

    const ids = found.messages.map((m) => m.ID);
    expect(await mailpit.setTags({ IDs: ids, Tags: ['billing', 'Q3'] })).toBe('ok');
    expect(await mailpit.getTags()).toEqual(['billing', 'Q3']);
    expect(await mailpit.renameTag('Q3', 'quarter-3')).toBe('ok');
    expect(await mailpit.getTags()).toEqual(['billing', 'quarter-3']);
    expect(await mailpit.deleteTag('billing')).toBe('ok');
    expect(await mailpit.getTags()).toEqual(['quarter-3']);
    expect((await mailpit.searchMessages({ query: 'tag:quarter-3' })).messages_count).toBe(2);

    expect(await mailpit.deleteMessagesBySearch({ query: 'subject:"Invoice 7"' })).toBe('ok');
    expect((await mailpit.listMessages()).total).toBe(2);
    expect(await mailpit.deleteMessages({ IDs: [found.messages[0]!.ID] })).toBe('ok');
    expect((await mailpit.listMessages()).total).toBe(1);
    // No body: delete all. The answer is empty for MailHog's client's sake; mailpit-api ignores it.
    await mailpit.deleteMessages();
    expect((await mailpit.listMessages()).total).toBe(0);
  });

  it('waitForMessage and waitForMessages resolve against Pigeonhole', async () => {
    const p = await start();
    const mailpit = new MailpitClient(p.httpUrl);
    const waiting = mailpit.waitForMessage({ query: 'to:late@example.test' }, { timeout: 10_000, interval: 50 });
    await transport(p).sendMail({ from: 'a@example.test', to: 'late@example.test', subject: 'Late', text: 'x' });
    expect((await waiting).Subject).toBe('Late');
    const many = await mailpit.waitForMessages({ count: 1 }, { timeout: 2000, interval: 50 });
    expect(many.messages_count).toBe(1);
  });

  it('reports errors as Mailpit does: 404 for a missing message, 400 for a bad send', async () => {
    const p = await start();
    const mailpit = new MailpitClient(p.httpUrl);
    await expect(mailpit.getMessageSummary('missing')).rejects.toThrow(/404/);
    await expect(
      mailpit.sendMessage({ From: { Email: 'not an address' }, To: [{ Email: 'x@example.test' }], Subject: 's' }),
    ).rejects.toThrow(/400.*invalid From address/);
    await expect(
      mailpit.sendMessage({ From: { Email: 'a@example.test' }, To: [], Headers: { Subject: 'no' } }),
    ).rejects.toThrow(/cannot overwrite header/);
  });

  // cypress-mailpit cannot run here (no Cypress); these are the exact requests its commands send.
  it('answers the requests cypress-mailpit sends', async () => {
    const p = await start();
    const t = transport(p);
    await t.sendMail({ from: 'a@example.test', to: 'jane@example.test', subject: 'Hello Mailpit', text: 'x' });
    await t.sendMail({ from: 'a@example.test', to: 'joe@example.test', subject: 'Goodbye', text: 'y' });
    const json = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${p.httpUrl}${path}`, init);
      expect(res.status).toBe(200);
      return res;
    };
    // mailpitGetEmailsBySubject: `subject:${subject}` unquoted, so the second word is a plain word.
    const bySubject = (await (
      await json('/api/v1/search?query=subject%3AHello%20Mailpit&start=0&limit=50')
    ).json()) as {
      messages_count: number;
    };
    expect(bySubject.messages_count).toBe(1);
    const byTo = (await (await json('/api/v1/search?query=to%3Ajoe%40example.test&start=0&limit=50')).json()) as {
      messages: Array<{ Subject: string }>;
    };
    expect(byTo.messages.map((m) => m.Subject)).toEqual(['Goodbye']);
    // mailpitSetAllEmailStatusAsRead: an empty IDs list means all.
    const put = { method: 'PUT', headers: { 'content-type': 'application/json' } };
    expect(
      await (await json('/api/v1/messages', { ...put, body: JSON.stringify({ IDs: [], Read: true }) })).text(),
    ).toBe('ok');
    expect((await p.client.messages()).unread).toBe(0);
    const textView = await json(`/view/${(await p.client.messages()).messages[0]!.ID}.txt`);
    expect(await textView.text()).toContain('y');
    // mailpitDeleteAllEmails: DELETE without a body.
    await json('/api/v1/messages', { method: 'DELETE' });
    expect((await p.client.messages()).total).toBe(0);
  });
});
