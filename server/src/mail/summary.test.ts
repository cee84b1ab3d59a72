import { describe, expect, it } from 'vitest';
import { summarize } from './summary';

const envelope = { mailFrom: 'bounce@example.test', rcptTo: ['to@example.test', 'hidden@example.test'] };
const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('summarize', () => {
  it('reads addresses, subject, tags and Bcc from header and envelope', () => {
    const raw = crlf([
      'From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.test>',
      'To: "To, Person" <to@example.test>, group: g1@example.test, g2@example.test;',
      'Subject: =?ISO-8859-1?Q?Caf=E9?=',
      '  continued',
      'Message-ID: <abc@example.test>',
      'X-Tags: one, two!, one',
      '',
      'Hello',
    ]);
    const s = summarize(raw, envelope, 'user');
    expect(s.From).toEqual({ Name: 'Jürgen', Address: 'j@example.test' });
    expect(s.To.map((a) => a.Address)).toEqual(['to@example.test', 'g1@example.test', 'g2@example.test']);
    expect(s.To[0]!.Name).toBe('To, Person');
    expect(s.Subject).toBe('Café continued');
    expect(s.MessageID).toBe('abc@example.test');
    expect(s.Tags).toEqual(['one', 'two']);
    expect(s.Bcc).toEqual([{ Name: '', Address: 'hidden@example.test' }]);
    expect(s.Username).toBe('user');
    expect(s.Snippet).toBe('Hello');
  });

  it('falls back to the envelope sender and tags plus-addresses', () => {
    const s = summarize(Buffer.from('To: me+newsletter@example.test\n\nbody\n'), envelope, '');
    expect(s.From).toEqual({ Name: '', Address: 'bounce@example.test' });
    expect(s.Tags).toEqual(['newsletter']);
  });

  it('takes the snippet from decoded text, or from HTML when there is no text', () => {
    const boundary = 'b1';
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      `--${boundary}`,
      'Content-Type: multipart/alternative; boundary=b2',
      '',
      '--b2',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<html><head><style>p{}</style></head><body><p>Gr=C3=BC&szlig;e &amp; <b>more</b></p></body></html>',
      '--b2--',
      `--${boundary}`,
      'Content-Type: application/pdf; name="a.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0=',
      `--${boundary}`,
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename="notes.txt"',
      '',
      'not the snippet',
      `--${boundary}--`,
      '',
    ]);
    const s = summarize(raw, envelope, '');
    expect(s.Attachments).toBe(2);
    expect(s.Snippet).toBe('Grü&szlig;e & more');
  });

  it('cuts long snippets at 250 characters and survives a boundary that never closes', () => {
    const raw = crlf([
      'Content-Type: multipart/mixed; boundary=x',
      '',
      '--x',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('word '.repeat(200)).toString('base64'),
    ]);
    const s = summarize(raw, envelope, '');
    expect(s.Snippet).toHaveLength(253);
    expect(s.Snippet.endsWith('...')).toBe(true);
  });

  it('handles a message with no header block, bare LF and bare CR line ends', () => {
    expect(summarize(Buffer.from('\r\njust a body'), envelope, '').Snippet).toBe('just a body');
    expect(summarize(Buffer.from('Subject: lf\n\nbody'), envelope, '').Subject).toBe('lf');
    expect(summarize(Buffer.from('Subject: cr\r\rbody'), envelope, '').Subject).toBe('cr');
  });

  it('walks a bounded number of parts of a huge MIME tree', () => {
    const parts = Array.from({ length: 5000 }, () => '--z\r\nContent-Type: image/png; name=x.png\r\n\r\nAA==\r\n').join(
      '',
    );
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=z\r\n\r\n${parts}--z--\r\n`);
    const s = summarize(raw, envelope, '');
    expect(s.Attachments).toBeGreaterThan(0);
    expect(s.Attachments).toBeLessThan(5000);
  });
});
