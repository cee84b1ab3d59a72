// A test message, into Pigeonhole itself: nothing an agent sends leaves this machine.
import { z } from 'zod';
import { jsonResult } from '../format';
import { SEND_BODY_MAX_CHARS, SEND_RECIPIENTS_MAX } from '../limits';
import { defineTool, ToolError } from '../tool';

const email = z
  .string()
  .max(320)
  .regex(/^[^\s@<>",;]+@[^\s@<>",;]+$/, 'a plain address, e.g. alice@example.test');

export const sendTestMessage = defineTool({
  name: 'send_test_message',
  title: 'Put a test message into Pigeonhole',
  description:
    "Store a test message in Pigeonhole as if it had been received over SMTP (Mailpit's /api/v1/send), " +
    'e.g. to check that wait_for_message or a search works. It is delivered to no one: it never leaves ' +
    'Pigeonhole. Refused while Pigeonhole is started with a relay (--smtp-relay-host), whose auto-relay ' +
    'could forward it to a real host. Tagged "mcp".',
  input: z.object({
    to: z.array(email).min(1).max(SEND_RECIPIENTS_MAX),
    from: email.default('agent@pigeonhole.test'),
    subject: z.string().max(998).default('Test message'),
    text: z.string().max(SEND_BODY_MAX_CHARS).optional(),
    html: z.string().max(SEND_BODY_MAX_CHARS).optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run({ to, from, subject, text, html }, client) {
    const ui = await client.webui();
    if (ui.MessageRelay.Enabled) {
      throw new ToolError(
        'send_test_message is off: this Pigeonhole has a relay (--smtp-relay-host), and an auto-relay could ' +
          'forward the message to a real host. Send the mail from the app under test instead.',
      );
    }
    const { ID } = await client.send({
      From: { Email: from },
      To: to.map((Email) => ({ Email })),
      Subject: subject,
      ...(text !== undefined || html === undefined ? { Text: text ?? '' } : {}),
      ...(html !== undefined ? { HTML: html } : {}),
      Tags: ['mcp'],
    });
    return jsonResult({ id: ID });
  },
});
