// Every MCP tool, in the order agents see them. A tool is added here, in one line, and nowhere else.
// The checks of HTML compatibility, links and spam join it when their API exists.
import { checkAuthentication } from './tools/checks';
import { getAttachment, getCode, getLinks } from './tools/content';
import { deleteAll, deleteMessages, getMessage, listMessages, markRead } from './tools/messages';
import { sendTestMessage } from './tools/send';
import { waitForMessage } from './tools/wait';
import type { ToolEntry } from './tool';

/** The tools both transports serve. */
export const TOOLS: readonly ToolEntry[] = [
  listMessages,
  getMessage,
  waitForMessage,
  getLinks,
  getCode,
  getAttachment,
  markRead,
  deleteMessages,
  deleteAll,
  sendTestMessage,
  checkAuthentication,
];
