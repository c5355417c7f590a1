"""A real SMTP server for the platform's email tests (aiosmtpd 1.4.6), keeping every message it
accepts as a file, in the order accepted.

    python smtp_server.py --mailbox DIR [--port N] [--user U --password P]

Prints `ready PORT` once it listens on 127.0.0.1. Each accepted message is `DIR/NNNN.eml` (the
bytes as received, written whole then renamed into place) with `DIR/NNNN.json` beside it (the
envelope: mail_from, rcpt_tos). Behaviour, chosen by the test:
- a recipient whose local part is `reject` is refused at RCPT with 550 (a permanent failure);
- a file `DIR/defer` holding a number N makes the next N messages answer 451 after DATA
  (a temporary failure), counting down;
- a file `DIR/stall` holding seconds makes the server wait that long after receiving a whole
  message and before answering 250 (the message is kept first: it has been received).
With --user/--password it offers AUTH PLAIN/LOGIN (without TLS: loopback only) and requires it.
"""

import argparse
import asyncio
import json
import os
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, mailbox):
        self.mailbox = mailbox
        self.count = len([f for f in os.listdir(mailbox) if f.endswith(".eml")])

    def _read_number(self, name):
        path = os.path.join(self.mailbox, name)
        try:
            with open(path) as f:
                return float(f.read().strip() or 0), path
        except FileNotFoundError:
            return 0, path

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].lower() == "reject":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        defer, path = self._read_number("defer")
        if defer > 0:
            with open(path, "w") as f:
                f.write(str(int(defer) - 1))
            return "451 4.3.0 Mail server temporarily rejected message"
        self.count += 1
        name = os.path.join(self.mailbox, "%04d" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(name + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(name + ".tmp", name + ".eml")
        stall, _ = self._read_number("stall")
        if stall > 0:
            await asyncio.sleep(stall)
        return "250 2.0.0 Ok: queued as %04d" % self.count


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mailbox", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--user")
    p.add_argument("--password")
    a = p.parse_args()
    os.makedirs(a.mailbox, exist_ok=True)
    kwargs = {}
    if a.user:
        kwargs = dict(authenticator=authenticator(a.user, a.password), auth_required=True, auth_require_tls=False)
    port = a.port
    if port == 0:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(Handler(a.mailbox), hostname="127.0.0.1", port=port, server_hostname="smtp.test", **kwargs)
    controller.start()
    print("ready %d" % port, flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin (or kills us)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
