"""Every email the guide sends: composed from bilingual templates, queued in PostgreSQL.

``queue_mail()`` renders ``<name>_subject.txt`` and ``<name>.txt`` in the
reader's language and hands the message to Django's mail API, whose backend
(django-mailer's ``DbBackend``, see settings) stores it as a row of the queue,
in the same transaction as whatever caused it: a rolled-back request sends
nothing and a committed one loses nothing. The worker (``manage.py
mail_worker``) sends the queue.
"""

from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation


def mail_domain() -> str:
    """The domain of the sender's address, for Message-ID headers."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def address(name: str, email: str) -> str:
    """``Name <email>``, quoted as the mail standard wants (names may hold commas, accents)."""
    return formataddr((name, email)) if name else email


def render_message(template: str, language: str, context: dict) -> tuple[str, str]:
    """The subject (on one line) and plain text of ``template`` in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def compose(
    template: str,
    to: list[str],
    language: str,
    context: dict,
    *,
    reply_to: list[str] | None = None,
    subject: str | None = None,
    body: str | None = None,
    automatic: bool = True,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """A message from templates, in ``language``; ``subject``/``body`` replace the templates'.

    The plain text is the message (staff may edit it before it goes); the HTML
    part is ``<template>.html`` when there is one (a digest's list of links),
    else the same text, its addresses made into links. ``headers`` are added
    (List-Unsubscribe).
    """
    if subject is None or body is None:
        drafted_subject, drafted_body = render_message(
            template, language, {**context, "language": language}
        )
        subject = drafted_subject if subject is None else subject
        body = drafted_body if body is None else body
    subject = " ".join(subject.split())  # one line, whatever staff typed
    with translation.override(language):
        html = render_to_string(
            [f"{template}.html", "outbox/message.html"],
            {**context, "subject": subject, "body": body, "language": language},
        )
    headers = {
        "Message-ID": make_msgid(domain=mail_domain()),
        "Content-Language": language,
        **(headers or {}),
    }
    if automatic:  # RFC 3834: no auto-replies to acknowledgements and notifications
        headers["Auto-Submitted"] = "auto-generated"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def queue_mail(template: str, to: list[str], language: str, context: dict, **options) -> str:
    """Queue one message (see compose()); returns its Message-ID."""
    message = compose(template, to, language, context, **options)
    message.send()
    return message.extra_headers["Message-ID"]


def queue_all(messages: list[EmailMultiAlternatives]) -> None:
    """Queue messages made by compose() in one write (the queue's backend stores them
    together): a digest run's batch costs one query, whatever its number of emails."""
    if messages:
        get_connection().send_messages(messages)
