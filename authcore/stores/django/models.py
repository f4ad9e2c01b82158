"""Auth.js's tables as Django models, with the table and column names of the Prisma and
Kysely adapters (`User`, `Account`, `Session`, `VerificationToken`, `Authenticator`;
`"userId"`, `"providerAccountId"`, `"sessionToken"`, `"emailVerified"`...), so a Next.js
app on `@auth/kysely-adapter` or `@auth/prisma-adapter` can share the database.

As in Prisma's schema, `Account`'s primary key is `(provider, providerAccountId)` and
`Session`'s is `sessionToken` (no `id` columns, so a Node app inserting rows without one
works). Differences, on purpose: `email` may be NULL (Instagram gives none) and stays unique
when present; sessions and tokens are indexed on `expires` for `purge_expired`.

Needs Django 5.2 or newer (a composite primary key).

`User` is swappable: set `AUTHCORE_USER_MODEL = AUTH_USER_MODEL` (before the first
migrate) and the other tables point at your own user model instead (docs/stores/django.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

if django.VERSION < (5, 2):
    raise ImproperlyConfigured("authcore.stores.django needs Django 5.2 or newer")

__all__ = ["USER_MODEL", "Account", "Authenticator", "Session", "User", "VerificationToken"]

USER_MODEL: str = getattr(settings, "AUTHCORE_USER_MODEL", "authcore.User")


def new_id() -> str:
    return str(uuid.uuid4())


class User(models.Model):
    id: models.CharField[str, str] = models.CharField(
        primary_key=True, max_length=255, default=new_id
    )
    name: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)
    email: models.CharField[str | None, str | None] = models.CharField(
        max_length=320, unique=True, null=True, blank=True
    )
    email_verified: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        null=True, blank=True, db_column="emailVerified"
    )
    image: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "User"
        swappable = "AUTHCORE_USER_MODEL"


class Account(models.Model):
    pk = models.CompositePrimaryKey("provider", "provider_account_id")
    user: models.ForeignKey[Any, Any] = models.ForeignKey(
        USER_MODEL,
        on_delete=models.CASCADE,
        db_column="userId",
        db_index=False,
        related_name="authcore_accounts",
    )
    type: models.CharField[str, str] = models.CharField(max_length=32)
    provider: models.CharField[str, str] = models.CharField(max_length=191)
    provider_account_id: models.CharField[str, str] = models.CharField(
        max_length=191, db_column="providerAccountId"
    )
    refresh_token: models.TextField[str | None, str | None] = models.TextField(
        null=True, blank=True
    )
    access_token: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)
    expires_at: models.BigIntegerField[int | None, int | None] = models.BigIntegerField(
        null=True, blank=True
    )
    token_type: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)
    scope: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)
    id_token: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)
    session_state: models.TextField[str | None, str | None] = models.TextField(
        null=True, blank=True
    )

    class Meta:
        db_table = "Account"
        indexes = [models.Index(fields=["user"], name="Account_userId_index")]


class Session(models.Model):
    session_token: models.CharField[str, str] = models.CharField(
        primary_key=True, max_length=255, db_column="sessionToken"
    )
    user: models.ForeignKey[Any, Any] = models.ForeignKey(
        USER_MODEL,
        on_delete=models.CASCADE,
        db_column="userId",
        db_index=False,
        related_name="authcore_sessions",
    )
    expires: models.DateTimeField[datetime, datetime] = models.DateTimeField()

    class Meta:
        db_table = "Session"
        indexes = [
            models.Index(fields=["user"], name="Session_userId_index"),
            models.Index(fields=["expires"], name="Session_expires_index"),
        ]


class VerificationToken(models.Model):
    token: models.CharField[str, str] = models.CharField(primary_key=True, max_length=255)
    identifier: models.CharField[str, str] = models.CharField(max_length=255)
    expires: models.DateTimeField[datetime, datetime] = models.DateTimeField()

    class Meta:
        db_table = "VerificationToken"
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "token"], name="VerificationToken_identifier_token_key"
            )
        ]
        indexes = [models.Index(fields=["expires"], name="VerificationToken_expires")]


class Authenticator(models.Model):
    credential_id: models.CharField[str, str] = models.CharField(
        primary_key=True, max_length=255, db_column="credentialID"
    )
    user: models.ForeignKey[Any, Any] = models.ForeignKey(
        USER_MODEL,
        on_delete=models.CASCADE,
        db_column="userId",
        db_index=False,
        related_name="authcore_authenticators",
    )
    provider_account_id: models.CharField[str, str] = models.CharField(
        max_length=255, db_column="providerAccountId"
    )
    credential_public_key: models.TextField[str, str] = models.TextField(
        db_column="credentialPublicKey"
    )
    counter: models.BigIntegerField[int, int] = models.BigIntegerField()
    credential_device_type: models.CharField[str, str] = models.CharField(
        max_length=32, db_column="credentialDeviceType"
    )
    credential_backed_up: models.BooleanField[bool, bool] = models.BooleanField(
        db_column="credentialBackedUp"
    )
    transports: models.TextField[str | None, str | None] = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "Authenticator"
        indexes = [models.Index(fields=["user"], name="Authenticator_userId_index")]
