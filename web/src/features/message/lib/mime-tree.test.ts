import { describe, expect, test } from 'vitest';
import { mimeTree } from './mime-tree';

const bytes = (text: string) => new TextEncoder().encode(text.replace(/\n/g, '\r\n'));

describe('mimeTree', () => {
  test('reads nested multiparts with types, encodings, charsets and file names', () => {
    const raw = bytes(`From: a@example.test
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

hello
--inner
Content-Type: text/html; charset="utf-8"

<p>hello</p>
--inner--
--outer
Content-Type: application/pdf; name="doc.pdf"
Content-Disposition: attachment; filename="doc.pdf"
Content-Transfer-Encoding: base64

JVBERi0=
--outer--
`);
    const { root, truncated } = mimeTree(raw);
    expect(truncated).toBe(false);
    expect(root.contentType).toBe('multipart/mixed');
    expect(root.children.map((c) => c.contentType)).toEqual(['multipart/alternative', 'application/pdf']);
    const [alternative, pdf] = root.children;
    expect(alternative!.children.map((c) => [c.path, c.contentType, c.charset, c.encoding])).toEqual([
      ['1.1', 'text/plain', 'utf-8', 'quoted-printable'],
      ['1.2', 'text/html', 'utf-8', '7bit'],
    ]);
    expect(pdf).toMatchObject({ path: '2', filename: 'doc.pdf', disposition: 'attachment', encoding: 'base64' });
  });

  test('a boundary that never closes still yields its parts, and a bare-LF message parses', () => {
    const raw = new TextEncoder().encode(
      'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n--b\nContent-Type: text/html\n\ny',
    );
    const { root } = mimeTree(raw);
    expect(root.children.map((c) => c.contentType)).toEqual(['text/plain', 'text/html']);
  });

  test('hostile depth and part counts are cut, not followed', () => {
    let body = 'leaf';
    for (let i = 0; i < 200; i++)
      body = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
    expect(mimeTree(new TextEncoder().encode(body)).truncated).toBe(true);
    const many = ['Content-Type: multipart/mixed; boundary=z', ''];
    for (let i = 0; i < 5000; i++) many.push('--z', 'Content-Type: text/plain', '', 'x');
    many.push('--z--');
    const wide = mimeTree(new TextEncoder().encode(many.join('\r\n')));
    expect(wide.truncated).toBe(true);
    expect(wide.root.children.length).toBeLessThan(5000);
  });
});

describe('mimeTree and multipart/digest', () => {
  test('reads a digest part without Content-Type as message/rfc822 (RFC 2046 5.1.5)', () => {
    const raw = bytes(`Content-Type: multipart/digest; boundary="d"

--d

From: a@example.test
Subject: one

body
--d--
`);
    const { root } = mimeTree(raw);
    expect(root.children.map((c) => c.contentType)).toEqual(['message/rfc822']);
    expect(root.children[0]!.children[0]!.contentType).toBe('text/plain');
  });
});
