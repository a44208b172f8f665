"""A real SMTP server on loopback (aiosmtpd) for end-to-end email tests."""

import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """Collects every message the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, predicate, timeout: float = 10.0) -> EmailMessage:
        """Return the first message matching predicate, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            time.sleep(0.05)
        subjects = [m["Subject"] for m in self.messages]
        raise AssertionError(f"no matching email within {timeout}s; got {subjects}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_smtp() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
