"""Where mail goes when no SMTP server is configured: one readable file per message."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class MailFolderBackend(BaseEmailBackend):
    """Writes each message to ``MAIL_FOLDER`` as ``<time>-<id>.eml``, for any mail reader."""

    def send_messages(self, email_messages):
        folder = Path(settings.MAIL_FOLDER)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
        return len(email_messages)
