import { describe, expect, it } from 'vitest';
import { start } from '../helpers/pigeonhole';
import { transport } from '../helpers/smtp';

/**
 * Cypress cannot run on these machines. These are the requests cypress-mailpit's commands send (its
 * MailpitCommands.ts), in the order the recipe in docs/cypress.md uses them, with the answers the
 * commands read.
 */
describe('the Cypress recipe (docs/cypress.md): the API calls cypress-mailpit makes', () => {
  it('answers every request of the recipe the way cypress-mailpit reads it', async () => {
    const p = await start();
    const base = p.httpUrl; // MAILPIT_URL, no trailing slash
    const api = (path: string) => `${base}/api${path}`;

    // cy.mailpitDeleteAllEmails()
    expect((await fetch(api('/v1/messages'), { method: 'DELETE' })).status).toBe(200);

    // The app sends the sign-up mail.
    await transport(p).sendMail({
      from: 'App <no-reply@app.example.test>',
      to: 'alice@example.test',
      subject: 'Confirm your address',
      html: '<a href="http://localhost:3000/confirm?token=t0k&amp;u=1">Confirm</a>',
    });

    // cy.mailpitHasEmailsByTo(): GET /api/v1/search?query=to:...&start=0&limit=50 until messages_count > 0
    const search = await fetch(
      `${api('/v1/search')}?query=${encodeURIComponent('to:alice@example.test')}&start=0&limit=50`,
    );
    expect(search.status).toBe(200);
    const found = (await search.json()) as { messages_count: number; messages: { ID: string }[] };
    expect(found.messages_count).toBe(1);

    // cy.mailpitGetMail(): GET /api/v1/message/latest
    const latest = await fetch(api('/v1/message/latest'));
    expect(latest.status).toBe(200);
    const message = (await latest.json()) as { ID: string; Subject: string; HTML: string; To: { Address: string }[] };
    expect(message.ID).toBe(found.messages[0]!.ID);
    expect(message.Subject).toBe('Confirm your address');
    expect(/href="([^"]+\/confirm[^"]*)"/.exec(message.HTML)![1]).toBe(
      'http://localhost:3000/confirm?token=t0k&amp;u=1',
    );

    // mailpitGetEmailsBySubject, mailpitGetAllMails, mailpitGetMailHTMlBody / TextBody, read status.
    const bySubject = (await (
      await fetch(`${api('/v1/search')}?query=${encodeURIComponent('subject:Confirm your address')}&start=0&limit=50`)
    ).json()) as { messages_count: number };
    expect(bySubject.messages_count).toBe(1);
    const all = (await (await fetch(`${api('/v1/messages')}?start=0&limit=50`)).json()) as { total: number };
    expect(all.total).toBe(1);
    expect((await fetch(`${base}/view/${message.ID}.html`)).status).toBe(200);
    expect((await fetch(`${base}/view/${message.ID}.txt`)).status).toBe(200);
    const unread = await fetch(api('/v1/messages'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ IDs: [message.ID], Read: false }),
    });
    expect(await unread.text()).toBe('ok');

    // cy.mailpitSendMail() with the body it builds by default.
    const sent = await fetch(api('/v1/send'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Attachments: [],
        Bcc: ['bcc@example.com'],
        Cc: [{ Email: 'cc@example.com', Name: 'CC' }],
        From: { Email: 'from@example.com', Name: 'From' },
        HTML: '<p>hello from mailpit</p>',
        Headers: {},
        ReplyTo: [{ Email: 'replyto@example.com', Name: 'ReplyTo' }],
        Subject: 'Hello Mailpit',
        Tags: [],
        Text: 'hello from mailpit',
        To: [{ Email: 'jane@example.com', Name: 'Jane' }],
      }),
    });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { ID: string }).ID).toBeTruthy();

    // cy.mailpitDeleteEmailsBySearch()
    expect(
      (await fetch(`${api('/v1/search')}?query=${encodeURIComponent('subject:Hello')}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect(((await (await fetch(api('/v1/messages'))).json()) as { total: number }).total).toBe(1);
  });
});
