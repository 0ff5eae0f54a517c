"""The SMTP adapter: turns one message into one email on the configured server, nothing else."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from tfdb_dam.config import Config

# Errors a send may raise that mean "try again later", not "the code is wrong".
SEND_ERRORS = (OSError, smtplib.SMTPException)
# Of those, the ones that mean the server itself cannot be reached (not just this recipient).
UNREACHABLE = (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout_s: float = 10.0

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one plain-text UTF-8 email; raises one of ``SEND_ERRORS`` when it cannot."""
        message = compose(self.sender, to, subject, body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


def compose(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body, charset="utf-8")
    return message


def mailer_from_config(config: Config) -> SmtpMailer | None:
    """The configured mailer, or None when TFDB_SMTP_HOST is empty (notifications stay in the app)."""
    if not config.tfdb_smtp_host:
        return None
    return SmtpMailer(host=config.tfdb_smtp_host, port=config.tfdb_smtp_port, sender=config.tfdb_smtp_from,
                      user=config.tfdb_smtp_user, password=config.tfdb_smtp_password,
                      starttls=config.tfdb_smtp_starttls)
