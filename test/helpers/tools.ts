import { spawnSync } from 'node:child_process';

/**
 * The outside tools some black-box tests drive, each with the probe that proves it can do what the
 * tests ask of it (not just that a command of that name exists) and the Debian packages that meet
 * the probe. `.ci/run` installs the same packages with the same probes (one function each).
 */
const TOOLS: Record<string, { probe: [string, ...string[]]; packages: string }> = {
  // smtplib, poplib, ssl and urllib are what the tests and docs/examples/python import.
  python3: {
    probe: ['python3', '-c', 'import smtplib, poplib, ssl, json, urllib.request, email.message'],
    packages: 'python3',
  },
  // The tests speak SMTP and POP3 (plain and STLS) through curl.
  curl: { probe: ['sh', '-c', 'curl --version | grep -q pop3 && curl --version | grep -q smtp'], packages: 'curl' },
  // Debian's swaks does TLS only with Net::SSLeay, which `--no-install-recommends` leaves out; the
  // swaks test uses STARTTLS, so swaks without it is as good as no swaks.
  swaks: { probe: ['sh', '-c', 'swaks --version && perl -MNet::SSLeay -e1'], packages: 'swaks libnet-ssleay-perl' },
  php: { probe: ['php', '-v'], packages: 'php-cli' },
  // The S/MIME tests sign and encrypt with `openssl cms` and `openssl smime`.
  openssl: { probe: ['openssl', 'cms', '-help'], packages: 'openssl' },
  chromium: { probe: ['/usr/bin/chromium', '--version'], packages: 'chromium' },
  // The metrics test starts a real Prometheus server on loopback to scrape Pigeonhole.
  prometheus: { probe: ['prometheus', '--version'], packages: 'prometheus' },
  // The IMAP tests sync the whole account into a Maildir with mbsync (isync), and the --storage
  // readers test copies the folder Maildir to Maildir with it.
  mbsync: { probe: ['mbsync', '--version'], packages: 'isync' },
  // The IMAP and --storage reader tests run neomutt headless on a pseudo-terminal made by script
  // (bsdutils).
  neomutt: { probe: ['sh', '-c', 'neomutt -v && command -v script'], packages: 'neomutt bsdutils' },
  // The spam-check tests start spamd with the rules Debian's spamassassin package ships.
  spamd: { probe: ['sh', '-c', 'command -v spamd && command -v spamassassin'], packages: 'spamd spamassassin' },
  rspamd: { probe: ['rspamd', '--version'], packages: 'rspamd' },
  // The DKIM tests sign with dkimsign and arcsign and verify with the dkim module, in Debian's own
  // python3 (arcsign needs authres; ed25519 needs nacl, a dependency of python3-dkim).
  'python3-dkim': {
    probe: [
      'sh',
      '-c',
      'command -v dkimsign && command -v arcsign && /usr/bin/python3 -c "import dkim, nacl, authres"',
    ],
    packages: 'python3-dkim python3-authres',
  },
};

const probed = new Map<string, boolean>();

/** What to tell the user when `tool` is missing: the Debian packages that bring it. */
function missing(tool: string): string {
  return `${tool} is missing or incomplete: apt-get install --no-install-recommends ${TOOLS[tool]?.packages ?? tool}`;
}

/** True when CI=true (or 1): a missing tool then fails the run instead of skipping its tests. */
function inCi(): boolean {
  return ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
}

/**
 * True when a command-line peer (swaks, curl, python3, php...) is installed and able to do what the
 * tests ask of it. When it is not: outside CI, warns once naming the Debian package and returns false
 * (the caller skips); under CI=true, throws that message, so the test file fails instead of hiding a
 * skip. Unknown names are probed with `command -v`.
 */
export function has(tool: string): boolean {
  const known = TOOLS[tool];
  const [command, ...args] = known?.probe ?? ['sh', '-c', `command -v '${tool.replace(/'/g, '')}'`];
  let ok = probed.get(tool);
  if (ok === undefined) {
    ok = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
    probed.set(tool, ok);
    if (!ok && !inCi()) console.warn(`skipping tests that need ${missing(tool)}`);
  }
  if (!ok && inCi()) throw new Error(`${missing(tool)} (CI=true: tests that need it fail instead of skipping)`);
  return ok;
}
