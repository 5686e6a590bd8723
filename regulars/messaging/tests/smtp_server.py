"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives, for delivery tests.

The handler records every accepted envelope and counts SMTP sessions (one EHLO or HELO per
connection), and can be told to refuse the next RCPT or DATA commands with a given reply, so
that a test sees exactly what Django's SMTP backend hands over and how our pipeline reacts to
a transient (4xx) or permanent (5xx) refusal.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    def parsed(self) -> EmailMessage:
        # SMTP ends lines with CRLF; the parser keeps them inside bodies, so read the message
        # as a mail store would keep it, with plain newlines.
        return message_from_bytes(self.raw.replace(b"\r\n", b"\n"), policy=policy.default)


class RecordingHandler:
    """aiosmtpd handler: accepts and keeps messages unless told to refuse the next ones."""

    def __init__(self):
        self.received: list[Received] = []
        self.sessions = 0
        self._refusals = {"RCPT": deque(), "DATA": deque()}
        # The handler runs on the server's thread, the test reads from its own.
        self._lock = threading.Lock()

    def refuse_next(self, command: str, reply: str, times: int = 1) -> None:
        """Answer the next `times` RCPT (or DATA) commands with `reply`, e.g.
        "451 4.3.0 try again later" or "550 5.1.1 no such user"."""
        with self._lock:
            self._refusals[command].extend([reply] * times)

    def _refusal(self, command: str) -> str | None:
        with self._lock:
            queue = self._refusals[command]
            return queue.popleft() if queue else None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        with self._lock:
            self.sessions += 1
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self._refusal("RCPT")
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refusal = self._refusal("DATA")
        if refusal:
            return refusal
        raw = envelope.original_content or envelope.content
        with self._lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw))
        return "250 2.0.0 OK: queued"


class SmtpServer:
    """What a test sees of the running server."""

    def __init__(self, handler: RecordingHandler, port: int):
        self.handler = handler
        self.host = HOST
        self.port = port

    @property
    def received(self) -> list[Received]:
        with self.handler._lock:
            return list(self.handler.received)

    @property
    def sessions(self) -> int:
        with self.handler._lock:
            return self.handler.sessions

    def messages(self) -> list[EmailMessage]:
        return [r.parsed() for r in self.received]

    def refuse_next(self, command: str, reply: str, times: int = 1) -> None:
        if command not in ("RCPT", "DATA"):
            raise ValueError(f"only RCPT and DATA can be refused, not {command!r}")
        self.handler.refuse_next(command, reply, times)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    """Start aiosmtpd on a free loopback port; stopped when the block ends.

    Controller(port=0) cannot be used: it connects to its own port to check it is up.
    """
    handler = RecordingHandler()
    port = free_port()
    # aiosmtpd logs every command at INFO; a failing test's output is easier to read without.
    log = logging.getLogger("mail.log")
    level = log.level
    log.setLevel(logging.WARNING)
    # decode_data=False keeps the raw bytes exactly as sent (and advertises 8BITMIME).
    controller = Controller(handler, hostname=HOST, port=port, decode_data=False)
    controller.start()
    try:
        yield SmtpServer(handler, port)
    finally:
        controller.stop()
        log.setLevel(level)
