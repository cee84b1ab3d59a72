// Prompts for the flows agents run most: verify a sign-up mail, find out why mail did not arrive.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

function ask(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}

/** Registers the prompts. They need no backend: they tell the agent which tools to call. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'verify_signup',
    {
      title: 'Verify the sign-up mail for an address',
      description: 'Wait for the confirmation mail sent to an address and report its link or code',
      argsSchema: {
        address: z.string().max(320).describe('The address the sign-up used, e.g. alice@example.test'),
        expect: z.string().max(200).optional().describe('What the mail should contain, e.g. "confirm" or "Welcome"'),
      },
    },
    ({ address, expect }) =>
      ask(
        `Verify the sign-up mail for ${address}.\n` +
          `1. Call wait_for_message with to: "${address}" (and query "is:unread" if older mail for it may exist), ` +
          'timeoutSeconds 60. If it times out, say that no mail arrived and list what did (the error says).\n' +
          `2. With the message id: call get_message and check the subject and text${expect ? ` mention "${expect}"` : ''}.\n` +
          '3. Call get_links with contains "confirm" or "verify" (or no filter) and get_code; report the confirmation ' +
          'link or one-time code you found, and which one the flow needs.\n' +
          '4. If the flow needs it, open the link or type the code in the app; do not open any other link.\n' +
          'Report: arrived (yes/no), subject, sender, the link or code, and anything that looks wrong.',
      ),
  );

  server.registerPrompt(
    'why_no_mail',
    {
      title: 'Why did my mail not arrive?',
      description: 'Look through the caught mail for a message that was expected and say what happened',
      argsSchema: {
        address: z.string().max(320).optional().describe('The recipient the mail should have gone to'),
        subject: z.string().max(200).optional().describe('Words of the expected subject'),
      },
    },
    ({ address, subject }) =>
      ask(
        'A mail the app should have sent has not shown up. Find out why, using the Pigeonhole tools.\n' +
          '1. list_messages with no query: is any mail arriving at all? If none, the app does not send to this ' +
          "Pigeonhole: check its SMTP host and port (Pigeonhole's SMTP listener, 1025 by default) and its logs.\n" +
          `2. Search for the mail${address ? ` with addressed:${address}` : ''}${subject ? ` and subject:"${subject}"` : ''}, ` +
          'then loosen the query one term at a time (a part of the address, one subject word, a typo in the domain).\n' +
          '3. If a near match exists, get_message on it and compare recipients, sender and subject with what was ' +
          'expected (Bcc recipients show only in the envelope: addressed: finds them).\n' +
          '4. If mail arrives but late, wait_for_message with a longer timeout tells a slow sender from a missing one.\n' +
          'Report what you found and the most likely cause.',
      ),
  );
}
