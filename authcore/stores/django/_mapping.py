"""Which model holds users, and which of its fields hold the contract's user keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

__all__ = ["UserMapping"]

_IDENTITY = {
    "email": "email",
    "email_verified": "email_verified",
    "name": "name",
    "image": "image",
}


@dataclass(frozen=True)
class UserMapping:
    """`fields` maps `email`, `email_verified`, `name` and `image` to model field names
    (None: not stored, read back as None); `defaults(user)` gives what else a new row needs
    (a `username`, say). Without `model`, the one `AUTHCORE_USER_MODEL` names is used."""

    model: type[models.Model] | None = None
    fields: Mapping[str, str | None] = field(default_factory=lambda: dict(_IDENTITY))
    defaults: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None

    @classmethod
    def django_auth_user(cls) -> UserMapping:
        """For `django.contrib.auth`'s `User` (or a subclass of `AbstractUser`): the email in
        `email`, the name in `first_name`, the user id as the `username`."""
        return cls(
            fields={"email": "email", "name": "first_name", "email_verified": None, "image": None},
            defaults=lambda user: {"username": str(user["id"])[:150]},
        )

    def resolve(self) -> type[models.Model]:
        if self.model is not None:
            return self.model
        return apps.get_model(getattr(settings, "AUTHCORE_USER_MODEL", "authcore.User"))

    def keeps_given_id(self, model: type[models.Model]) -> bool:
        """Text primary keys take the id the core made; integer ones are the database's."""
        return not isinstance(model._meta.pk, models.AutoField)
