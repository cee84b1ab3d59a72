// Runs @aws-sdk/client-sesv2 (and nodemailer's SES transport over it) in a plain Node process: in
// Vitest's process the package resolves to its bundler build (the `module` condition), whose
// imports have no file extensions and fail in Node's loader; plain Node takes its Node build. Reads one JSON request on stdin:
// { endpoint, accessKeyId, secretAccessKey, via: 'sdk' | 'nodemailer', input } and prints
// { answer } or { error: { name, message, status } } as JSON.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';

/** Buffers travel as `{ base64 }` in the JSON request. */
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    if (typeof value.base64 === 'string' && Object.keys(value).length === 1) return Buffer.from(value.base64, 'base64');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

async function main() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const request = JSON.parse(text);
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(request.endpoint))
    throw new Error(`not a loopback endpoint: ${request.endpoint}`);
  const client = new SESv2Client({
    endpoint: request.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: request.accessKeyId, secretAccessKey: request.secretAccessKey },
    maxAttempts: 1,
  });
  const input = revive(request.input);
  try {
    if (request.via === 'nodemailer') {
      const transport = nodemailer.createTransport({ SES: { sesClient: client, SendEmailCommand } });
      const info = await transport.sendMail(input);
      return { answer: { response: info.response, messageId: info.messageId } };
    }
    const answer = await client.send(new SendEmailCommand(input));
    return { answer: { MessageId: answer.MessageId, status: answer.$metadata.httpStatusCode } };
  } catch (err) {
    return { error: { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode ?? null } };
  }
}

main().then(
  (out) => process.stdout.write(JSON.stringify(out)),
  (err) => {
    process.stderr.write(String(err?.stack ?? err));
    process.exit(1);
  },
);
