/**
 * Pigeonhole with IMAP on 127.0.0.1:1143 and a realistic inbox, for photographing a mail client
 * (test/scripts/thunderbird-screenshot.sh). Runs until killed. Needs `npm run build` first.
 */
import { startPigeonhole } from '../../server/dist/index.js';
import { everydayMail, orderConfirmation, sendAll } from './seed-mail.mjs';

const pigeonhole = await startPigeonhole({ logLevel: 'silent', imap: '127.0.0.1:1143', smtp: '127.0.0.1:1025' });
await sendAll(pigeonhole.smtpPort, everydayMail());
// A second later, so that it is the newest by Date and the mail client lists it first.
await new Promise((resolve) => setTimeout(resolve, 1100));
await sendAll(pigeonhole.smtpPort, [orderConfirmation()]);
const list = await pigeonhole.client.messages({ limit: 50 });
const read = list.messages.filter((m) => /Build #4821|weekly summary/.test(m.Subject)).map((m) => m.ID);
await pigeonhole.client.setRead(true, { ids: read });
process.stdout.write(`ready ${list.total}\n`);
process.on('SIGTERM', () => void pigeonhole.stop().then(() => process.exit(0)));
