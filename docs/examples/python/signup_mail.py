"""Send mail through Pigeonhole with smtplib, then wait for it over HTTP: no sleeps, no polling.

Pigeonhole's addresses come from the environment, as a CI job or docker compose would set them.
"""

import json
import os
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage

SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
SMTP_PORT = int(os.environ.get("SMTP_PORT", "1025"))
PIGEONHOLE_URL = os.environ.get("PIGEONHOLE_URL", "http://127.0.0.1:8025")


def send_welcome(to: str) -> None:
    """What the app does: plain SMTP, UTF-8 subject and body."""
    msg = EmailMessage()
    msg["From"] = "App <no-reply@app.example.test>"
    msg["To"] = to
    msg["Subject"] = "Willkommen, Jürgen"
    msg.set_content("Your code is 482913.\nhttps://app.example.test/confirm?token=t0k3n\n")
    with smtplib.SMTP(SMTP_HOST, SMTP_PORT) as smtp:
        smtp.send_message(msg)


def wait_for(query: str, timeout: str = "10s") -> dict:
    """GET /api/v1/wait answers as soon as a message matches (408 at the timeout)."""
    qs = urllib.parse.urlencode({"query": query, "timeout": timeout})
    try:
        with urllib.request.urlopen(f"{PIGEONHOLE_URL}/api/v1/wait?{qs}") as res:
            found = json.load(res)["messages"][0]
    except urllib.error.HTTPError as err:
        if err.code == 408:
            raise AssertionError(f"no message matching {query!r} within {timeout}") from err
        raise
    with urllib.request.urlopen(f"{PIGEONHOLE_URL}/api/v1/message/{found['ID']}") as res:
        return json.load(res)


if __name__ == "__main__":
    send_welcome("jurgen@example.test")
    message = wait_for("to:jurgen@example.test")
    assert message["Subject"] == "Willkommen, Jürgen", message["Subject"]
    assert "482913" in message["Text"]
    print("ok", message["ID"])
