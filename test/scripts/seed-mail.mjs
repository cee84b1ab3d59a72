/**
 * Realistic mail for screenshots and demos: what a web app in development sends (sign-ups, resets,
 * receipts, digests), with inline images, a PDF and a PNG attachment. Sent over real SMTP with
 * nodemailer, so each message has a true SMTP session too.
 */
import { deflateSync } from 'node:zlib';
import nodemailer from 'nodemailer';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of `width` x `height` painted by `paint(x, y) => [r, g, b]`: no image library needed. */
export function png(width, height, paint) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      const at = y * (width * 3 + 1) + 1 + x * 3;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a line of text, hand-written (the format allows it). */
export function pdf(text) {
  const stream = `BT /F1 24 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A banner: a diagonal gradient from indigo to violet. */
export function bannerPng() {
  return png(600, 160, (x, y) => {
    const t = (x / 600 + y / 160) / 2;
    return [Math.round(76 + 60 * t), Math.round(110 - 40 * t), Math.round(245 - 10 * t)];
  });
}

/** A product photo stand-in: soft circles on a warm background. */
export function productPng() {
  return png(240, 240, (x, y) => {
    const d = Math.hypot(x - 120, y - 130);
    if (d < 70) return [250, 176, 5];
    if (d < 78) return [230, 119, 0];
    return [255, 244, 230 - Math.round(y / 12)];
  });
}

/** The rich HTML message of the screenshots: an order confirmation with inline images. */
export function orderConfirmation() {
  const html = `<!doctype html><html><head><style>
  body{margin:0;background:#f3f4f7;font-family:Helvetica,Arial,sans-serif;color:#1f2330}
  .wrap{max-width:600px;margin:0 auto;padding:24px 12px}
  .card{background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.08)}
  .pad{padding:28px 32px}
  h1{font-size:24px;margin:0 0 8px}
  p{line-height:1.55;margin:0 0 14px;color:#4a5060}
  table.items{width:100%;border-collapse:collapse;margin:8px 0 18px}
  table.items td{padding:12px 0;border-bottom:1px solid #eceef3;font-size:14px}
  .price{text-align:right;font-weight:bold}
  .btn{display:inline-block;background:#4263eb;color:#fff!important;text-decoration:none;padding:12px 22px;border-radius:8px;font-weight:bold}
  .foot{font-size:12px;color:#8a90a0;text-align:center;padding:18px}
  </style></head><body><div class="wrap"><div class="card">
  <img src="cid:banner@shop.example" alt="Northwind Outfitters" width="600" style="display:block;width:100%">
  <div class="pad">
  <h1>Thanks for your order, Ada!</h1>
  <p>We've received order <strong>#NW-20931</strong> and are getting it ready. You'll get another email when it ships.</p>
  <table class="items">
  <tr><td width="72"><img src="cid:product@shop.example" width="56" height="56" alt="" style="border-radius:8px"></td><td>Trail Lantern, amber<br><span style="color:#8a90a0">Qty 1</span></td><td class="price">$48.00</td></tr>
  <tr><td></td><td>Shipping (standard)</td><td class="price">$5.00</td></tr>
  <tr><td></td><td><strong>Total</strong></td><td class="price">$53.00</td></tr>
  </table>
  <p><a class="btn" href="https://shop.example/orders/NW-20931">View your order</a></p>
  <p style="font-size:13px">Questions? Reply to this email or visit <a href="https://shop.example/help">our help centre</a>.</p>
  </div></div>
  <div class="foot">Northwind Outfitters · 12 Harbour Road, Portsmouth · <a href="https://shop.example/unsubscribe">Unsubscribe</a></div>
  </div></body></html>`;
  return {
    from: '"Northwind Outfitters" <orders@shop.example>',
    to: '"Ada Lovelace" <ada@example.test>',
    subject: 'Your order #NW-20931 is confirmed',
    text: "Thanks for your order, Ada!\n\nWe've received order #NW-20931.\nTrail Lantern, amber x1  $48.00\nShipping $5.00\nTotal $53.00\n\nView your order: https://shop.example/orders/NW-20931\n",
    html,
    headers: { 'X-Tags': 'orders' },
    attachments: [
      { filename: 'banner.png', content: bannerPng(), cid: 'banner@shop.example' },
      { filename: 'lantern.png', content: productPng(), cid: 'product@shop.example' },
      { filename: 'invoice-NW-20931.pdf', content: pdf('Invoice NW-20931: $53.00'), contentType: 'application/pdf' },
      { filename: 'lantern-photo.png', content: productPng(), contentType: 'image/png' },
    ],
  };
}

const simple = (html) =>
  `<div style="font-family:Helvetica,Arial,sans-serif;font-size:15px;color:#222;line-height:1.5">${html}</div>`;

/** The rest of a realistic inbox, oldest first. */
export function everydayMail() {
  return [
    {
      from: '"Acme CI" <ci@acme.example>',
      to: 'dev-team@acme.example',
      subject: 'Build #4821 passed on main',
      text: 'All 1,284 tests passed in 6m 12s.\n\nCommit 3f9c2e1 by grace: "Fix the retry backoff"\n',
      headers: { 'X-Tags': 'ci' },
    },
    {
      from: '"Linear" <notifications@linear.example>',
      to: '"Grace Hopper" <grace@example.test>',
      cc: 'ada@example.test',
      subject: 'ENG-412 was assigned to you: Retry failed webhooks',
      html: simple(
        '<p><strong>Ada</strong> assigned <a href="https://linear.example/ENG-412">ENG-412</a> to you.</p><p>Webhooks that fail with a 5xx should be retried with exponential backoff, up to 6 attempts.</p>',
      ),
    },
    {
      from: '"Acme" <no-reply@acme.example>',
      to: '"Alan Turing" <alan@example.test>',
      subject: 'Reset your password',
      html: simple(
        '<p>Hi Alan,</p><p>Someone asked to reset the password of your Acme account. If it was you, use this code:</p><p style="font-size:28px;letter-spacing:6px;font-weight:bold">482 913</p><p>The code expires in 15 minutes.</p>',
      ),
      text: 'Hi Alan,\n\nYour password reset code: 482913\nIt expires in 15 minutes.\n',
      headers: { 'X-Tags': 'auth' },
    },
    {
      from: '"Stripe" <receipts@stripe.example>',
      to: 'billing@acme.example',
      subject: 'Receipt from Acme Cloud — $249.00',
      html: simple(
        '<h2 style="margin:0 0 8px">Receipt #1843-2211</h2><p>Amount paid <strong>$249.00</strong> · Team plan, monthly</p>',
      ),
      attachments: [
        {
          filename: 'receipt-1843-2211.pdf',
          content: pdf('Receipt 1843-2211: $249.00'),
          contentType: 'application/pdf',
        },
      ],
      headers: { 'X-Tags': 'billing' },
    },
    {
      from: '"Acme" <hello@acme.example>',
      to: '"Katherine Johnson" <katherine@example.test>',
      bcc: 'audit@acme.example',
      subject: 'Welcome to Acme, Katherine',
      html: simple(
        '<h1 style="font-size:22px">Welcome aboard!</h1><p>Confirm your address to finish setting up your account.</p><p><a href="https://acme.example/confirm?token=7d1f" style="background:#0c8599;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Confirm my email</a></p>',
      ),
      text: 'Welcome aboard!\nConfirm your address: https://acme.example/confirm?token=7d1f\n',
      headers: { 'X-Tags': 'signup' },
    },
    {
      from: '"Sentry" <alerts@sentry.example>',
      to: '"Grace Hopper" <grace@example.test>',
      subject: "[acme-api] TypeError: Cannot read properties of undefined (reading 'id')",
      text: "New issue in acme-api (production)\n\nTypeError: Cannot read properties of undefined (reading 'id')\n  at handler (src/routes/orders.ts:88:21)\n\n14 events · 9 users\n",
      headers: { 'X-Tags': 'alerts' },
    },
    {
      from: '"Acme Weekly" <digest@acme.example>',
      to: '"Ada Lovelace" <ada@example.test>',
      subject: 'Your weekly summary: 12 new comments, 3 mentions',
      html: simple(
        '<p>Here is what happened in your projects this week.</p><ul><li>12 new comments</li><li>3 mentions</li><li>2 pull requests waiting for your review</li></ul>',
      ),
    },
    {
      from: '"Calendar" <calendar@acme.example>',
      to: ['"Alan Turing" <alan@example.test>', '"Grace Hopper" <grace@example.test>'],
      subject: 'Invitation: Sprint planning @ Tue 10:00',
      text: 'Sprint planning\nTuesday 10:00-11:00 (Europe/London)\nRoom: Babbage\n',
      attachments: [
        {
          filename: 'invite.ics',
          content:
            'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Sprint planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
          contentType: 'text/calendar',
        },
      ],
    },
    {
      from: '"Acme" <no-reply@acme.example>',
      to: '"Ada Lovelace" <ada@example.test>',
      subject: 'Your sign-in code is 731 044',
      text: 'Your sign-in code is 731044. It expires in 10 minutes.\n',
      headers: { 'X-Tags': 'auth' },
    },
  ];
}

/** Sends every message of `mails` over SMTP to a Pigeonhole listening on 127.0.0.1:`port`. */
export async function sendAll(port, mails) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  for (const mail of mails) await transport.sendMail(mail);
  transport.close();
}
