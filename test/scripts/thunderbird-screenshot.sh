#!/usr/bin/env bash
# Photographs Debian's Thunderbird reading Pigeonhole over IMAP: docs/screenshots/thunderbird-imap.png.
# Needs root (a network namespace keeps Thunderbird, and everything else here, off any network but
# loopback), `npm run build`, and: apt-get install --no-install-recommends thunderbird xvfb xauth
# xdotool imagemagick.
# Run: sudo unshare -n bash test/scripts/thunderbird-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$PWD/docs/screenshots/thunderbird-imap.png"
ip link set lo up
work="$(mktemp -d /tmp/pigeonhole-thunderbird-XXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

node test/scripts/imap-demo.mjs >"$work/demo.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do grep -qs ready "$work/demo.log" && break; sleep 0.2; done

Xvfb :97 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=:97

mkdir -p "$work/profile"
cat >"$work/profile/user.js" <<'PREFS'
user_pref("mail.accountmanager.accounts", "account1,account2");
user_pref("mail.accountmanager.defaultaccount", "account1");
user_pref("mail.accountmanager.localfoldersserver", "server2");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.identity.id1.fullName", "Developer");
user_pref("mail.identity.id1.useremail", "dev@localhost");
user_pref("mail.identity.id1.valid", true);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.hostname", "127.0.0.1");
user_pref("mail.server.server1.port", 1143);
user_pref("mail.server.server1.userName", "dev");
user_pref("mail.server.server1.name", "Pigeonhole");
user_pref("mail.server.server1.socketType", 0);
user_pref("mail.server.server1.authMethod", 3);
user_pref("mail.server.server1.delete_model", 0);
user_pref("mail.server.server1.login_at_startup", true);
user_pref("mail.server.server1.use_idle", true);
user_pref("mail.server.server2.type", "none");
user_pref("mail.server.server2.hostname", "Local Folders");
user_pref("mail.server.server2.name", "Local Folders");
user_pref("mail.server.server2.userName", "nobody");
user_pref("mail.provider.enabled", false);
user_pref("mail.shell.checkDefaultClient", false);
user_pref("mailnews.start_page.enabled", false);
user_pref("mail.rights.version", 1);
user_pref("mail.spotlight.firstRunDone", true);
user_pref("mail.winsearch.firstRunDone", true);
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("extensions.update.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("mailnews.message_display.disable_remote_image", true);
user_pref("signon.rememberSignons", true);
PREFS

thunderbird --profile "$work/profile" --no-remote >"$work/thunderbird.log" 2>&1 &
pids+=($!)
# The password prompt: any password will do (Pigeonhole started without --imap-auth).
for _ in $(seq 1 60); do
  if xdotool search --name 'Enter your password' >/dev/null 2>&1; then break; fi
  sleep 1
done
sleep 1
xdotool search --name 'Enter your password' windowactivate --sync 2>/dev/null || true
xdotool type --delay 50 'any-password'
xdotool key Return
sleep 8
# Fill the screen, and open the order confirmation (an HTML message with an attachment): Thunderbird
# fetches its body without PEEK, so it shows as read in the web UI and API too.
xdotool search --class thunderbird | while read -r win; do xdotool windowsize "$win" 1280 800 2>/dev/null || true; done
sleep 2
xdotool mousemove 470 123 click 1
sleep 6
import -window root "$out"
echo "wrote $out"
