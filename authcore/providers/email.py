"""The email provider model, for writing your own email provider or mail: the provider class,
what `send_verification_request` and `render` receive, the mail's content and the default
send limit. The ready providers are `authcore.providers.nodemailer` and the HTTP API ones."""

from __future__ import annotations

from .._email_message import EmailContent, render_email
from ._email import EmailProvider, SendLimit, VerificationRequest

__all__ = ["EmailContent", "EmailProvider", "SendLimit", "VerificationRequest", "render_email"]
