"""`DjangoStore` (the ORM, blocking) and `AsyncDjangoStore` (the same, run through
`sync_to_async`, since `transaction.atomic` is blocking only).

Over 400 lines because it is one store and its async twin, method for method; the mapping
between records and models lives in `_mapping`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from .._types import (
    ACCOUNT_TOKEN_FIELDS,
    AdapterAccount,
    AdapterAuthenticator,
    AdapterSession,
    AdapterUser,
    ProviderAccountKey,
    SessionAndUser,
    VerificationToken,
)
from ._mapping import UserMapping
from .models import Account, Authenticator, Session
from .models import VerificationToken as TokenRow

__all__ = ["AsyncDjangoStore", "DjangoStore", "DjangoStoreError"]

T = TypeVar("T")

_TOKEN_FIELDS = ACCOUNT_TOKEN_FIELDS
_AUTHENTICATOR_FIELDS = (
    "provider_account_id",
    "counter",
    "credential_backed_up",
    "credential_public_key",
    "transports",
    "credential_device_type",
)


class DjangoStoreError(RuntimeError):
    """A write the database refused; the message names the table, never a key's value."""


def _to_db(value: object, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")
    utc = value.astimezone(timezone.utc)
    return utc if settings.USE_TZ else utc.replace(tzinfo=None)


def _from_db(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _session(row: Session) -> AdapterSession:
    return {
        "session_token": row.session_token,
        "user_id": str(row.user_id),  # type: ignore[attr-defined]
        "expires": cast(datetime, _from_db(row.expires)),
    }


def _account(row: Account) -> AdapterAccount:
    account: dict[str, Any] = {
        "user_id": str(row.user_id),  # type: ignore[attr-defined]
        "type": row.type,
        "provider": row.provider,
        "provider_account_id": row.provider_account_id,
    }
    account.update({name: getattr(row, name) for name in _TOKEN_FIELDS})
    return cast(AdapterAccount, account)


def _authenticator(row: Authenticator) -> AdapterAuthenticator:
    record: dict[str, Any] = {
        "credential_id": row.credential_id,
        "user_id": str(row.user_id),  # type: ignore[attr-defined]
    }
    record.update({name: getattr(row, name) for name in _AUTHENTICATOR_FIELDS})
    record["counter"] = int(record["counter"])
    return cast(AdapterAuthenticator, record)


def _token(row: TokenRow) -> VerificationToken:
    return {
        "identifier": row.identifier,
        "token": row.token,
        "expires": cast(datetime, _from_db(row.expires)),
    }


class DjangoStore:
    """A store on the Django ORM, in the app `authcore.stores.django` (add it to
    `INSTALLED_APPS` and migrate). `using` picks the database alias; `users` maps the user
    keys onto another model (see `UserMapping`)."""

    def __init__(self, *, using: str = "default", users: UserMapping | None = None) -> None:
        self.using = using
        self.users = users or UserMapping()

    # helpers

    @property
    def _model(self) -> type[models.Model]:
        return self.users.resolve()

    def _atomic(self) -> transaction.Atomic:
        return transaction.atomic(using=self.using)

    def _user_rows(self) -> models.QuerySet[Any]:
        rows: models.QuerySet[Any] = self._model._default_manager.using(self.using)
        return rows

    def _pk(self, user_id: object) -> object | None:
        try:
            pk: object = self._model._meta.pk.to_python(user_id)
            return pk
        except ValidationError:
            return None

    def _find_user(self, user_id: object) -> Any:
        pk = self._pk(user_id)
        return None if pk is None else self._user_rows().filter(pk=pk).first()

    def _user(self, row: Any) -> AdapterUser:
        user: dict[str, Any] = {"id": str(row.pk)}
        for key, name in self.users.fields.items():
            value = getattr(row, name) if name else None
            if key == "email" and value == "":
                value = None  # AbstractUser keeps "" for no email
            user[key] = _from_db(value) if key == "email_verified" else value
        for key in ("email", "email_verified", "name", "image"):
            user.setdefault(key, None)
        return cast(AdapterUser, user)

    def _user_fields(self, user: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, name in self.users.fields.items():
            if name and key in user:
                value = user[key]
                if key == "email_verified" and value is not None:
                    value = _to_db(value, "email_verified")
                out[name] = value
        return out

    def _email_taken(self, email: object, by: object = None) -> bool:
        name = self.users.fields.get("email")
        if not name or email is None:
            return False
        rows = self._user_rows().filter(**{name: email})
        if by is not None:
            rows = rows.exclude(pk=by)
        return bool(rows.exists())

    def _need_user(self, user_id: object) -> object:
        pk = self._pk(user_id)
        if pk is None or not self._user_rows().filter(pk=pk).exists():
            raise DjangoStoreError("no such user")
        return pk

    def _write(self, table: str, work: Callable[[], T]) -> T:
        """Runs `work` in a transaction; a constraint violation becomes a DjangoStoreError
        whose message has no key value in it (PostgreSQL's own would show the token)."""
        try:
            with self._atomic():
                return work()
        except IntegrityError:
            raise DjangoStoreError(f"{table}: duplicate or dangling key") from None

    # users

    def create_user(self, user: AdapterUser) -> AdapterUser:
        def work() -> AdapterUser:
            if self._email_taken(user.get("email")):
                raise DjangoStoreError("User: duplicate email")
            model = self._model
            values = dict(self.users.defaults(user)) if self.users.defaults else {}
            values.update(self._user_fields(user))
            row = model(**values)
            if self.users.keeps_given_id(model):
                row.pk = user["id"]
            row.save(force_insert=True, using=self.using)
            return self._user(row)

        return self._write("User", work)

    def get_user(self, id: str) -> AdapterUser | None:
        row = self._find_user(id)
        return None if row is None else self._user(row)

    def get_user_by_email(self, email: str) -> AdapterUser | None:
        name = self.users.fields.get("email")
        if not name:
            return None
        row = self._user_rows().filter(**{name: email}).first()
        return None if row is None else self._user(row)

    def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        row = (
            Account.objects.using(self.using)
            .select_related("user")
            .filter(provider=key["provider"], provider_account_id=key["provider_account_id"])
            .first()
        )
        return None if row is None else self._user(row.user)

    def update_user(self, user: Mapping[str, object]) -> AdapterUser:
        def work() -> AdapterUser:
            pk = self._pk(user.get("id"))
            row = (
                None if pk is None else self._user_rows().select_for_update().filter(pk=pk).first()
            )
            if row is None:
                raise DjangoStoreError("no such user")
            if "email" in user and self._email_taken(user["email"], by=pk):
                raise DjangoStoreError("User: duplicate email")
            for name, value in self._user_fields(user).items():
                setattr(row, name, value)
            row.save(using=self.using)
            return self._user(row)

        return self._write("User", work)

    def delete_user(self, id: str) -> AdapterUser | None:
        def work() -> AdapterUser | None:
            row = self._find_user(id)
            if row is None:
                return None
            user = self._user(row)
            row.delete(using=self.using)  # accounts, sessions, authenticators cascade
            return user

        return self._write("User", work)

    # accounts

    def link_account(self, account: AdapterAccount) -> AdapterAccount:
        def work() -> AdapterAccount:
            pk = self._need_user(account["user_id"])
            row = Account(
                user_id=pk,
                type=account["type"],
                provider=account["provider"],
                provider_account_id=account["provider_account_id"],
                **{name: account.get(name) for name in _TOKEN_FIELDS},
            )
            row.save(force_insert=True, using=self.using)
            return _account(row)

        return self._write("Account", work)

    def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        def work() -> AdapterAccount | None:
            row = (
                Account.objects.using(self.using)
                .select_for_update()
                .filter(provider=key["provider"], provider_account_id=key["provider_account_id"])
                .first()
            )
            if row is None:
                return None
            account = _account(row)
            row.delete(using=self.using)
            return account

        return self._write("Account", work)

    def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        row = (
            Account.objects.using(self.using)
            .filter(provider=provider, provider_account_id=provider_account_id)
            .first()
        )
        return None if row is None else _account(row)

    # sessions

    def create_session(self, session: AdapterSession) -> AdapterSession:
        def work() -> AdapterSession:
            pk = self._need_user(session["user_id"])
            row = Session(
                session_token=session["session_token"],
                user_id=pk,
                expires=_to_db(session["expires"], "expires"),
            )
            row.save(force_insert=True, using=self.using)
            return _session(row)

        return self._write("Session", work)

    def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        row = (
            Session.objects.using(self.using)
            .select_related("user")
            .filter(session_token=session_token)
            .first()
        )
        if row is None:
            return None
        return {"session": _session(row), "user": self._user(row.user)}

    def update_session(self, session: Mapping[str, object]) -> AdapterSession | None:
        def work() -> AdapterSession | None:
            row = (
                Session.objects.using(self.using)
                .select_for_update()
                .filter(session_token=session.get("session_token"))
                .first()
            )
            if row is None:
                return None
            if "expires" in session:
                row.expires = _to_db(session["expires"], "expires")
            if "user_id" in session:
                row.user_id = self._need_user(session["user_id"])
            row.save(using=self.using)
            return _session(row)

        return self._write("Session", work)

    def delete_session(self, session_token: str) -> AdapterSession | None:
        def work() -> AdapterSession | None:
            rows = Session.objects.using(self.using).filter(session_token=session_token)
            row = rows.select_for_update().first()
            if row is None:
                return None
            # the count, not the earlier read, decides: of two concurrent deletes one wins
            return _session(row) if rows.delete()[0] else None

        return self._write("Session", work)

    # verification tokens

    def create_verification_token(self, token: VerificationToken) -> VerificationToken:
        def work() -> VerificationToken:
            row = TokenRow(
                identifier=token["identifier"],
                token=token["token"],
                expires=_to_db(token["expires"], "expires"),
            )
            row.save(force_insert=True, using=self.using)
            return _token(row)

        return self._write("VerificationToken", work)

    def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        def work() -> VerificationToken | None:
            rows = TokenRow.objects.using(self.using).filter(identifier=identifier, token=token)
            row = rows.select_for_update().first()
            if row is None:
                return None
            return _token(row) if rows.delete()[0] else None

        return self._write("VerificationToken", work)

    # WebAuthn authenticators

    def create_authenticator(self, authenticator: AdapterAuthenticator) -> AdapterAuthenticator:
        def work() -> AdapterAuthenticator:
            pk = self._need_user(authenticator["user_id"])
            row = Authenticator(
                credential_id=authenticator["credential_id"],
                user_id=pk,
                **{name: dict(authenticator)[name] for name in _AUTHENTICATOR_FIELDS},
            )
            row.save(force_insert=True, using=self.using)
            return _authenticator(row)

        return self._write("Authenticator", work)

    def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        row = Authenticator.objects.using(self.using).filter(credential_id=credential_id).first()
        return None if row is None else _authenticator(row)

    def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        pk = self._pk(user_id)
        if pk is None:
            return []
        rows = Authenticator.objects.using(self.using).filter(user_id=pk).order_by("pk")
        return [_authenticator(row) for row in rows]

    def update_authenticator_counter(
        self, credential_id: str, counter: int
    ) -> AdapterAuthenticator:
        def work() -> AdapterAuthenticator:
            rows = Authenticator.objects.using(self.using).select_for_update()
            row = rows.filter(credential_id=credential_id).first()
            if row is None:
                raise DjangoStoreError("update_authenticator_counter: no such authenticator")
            row.counter = int(counter)
            row.save(using=self.using, update_fields=["counter"])
            return _authenticator(row)

        return self._write("Authenticator", work)

    # upkeep

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete sessions and verification tokens that expired before `now` (default: the
        current time), for a periodic job; returns how many rows went."""
        cutoff = _to_db(now or datetime.now(timezone.utc), "now")

        def work() -> int:
            sessions = Session.objects.using(self.using).filter(expires__lt=cutoff).delete()
            tokens = TokenRow.objects.using(self.using).filter(expires__lt=cutoff).delete()
            removed: int = sessions[0] + tokens[0]
            return removed

        return self._write("Session", work)


def _off_loop(method: Callable[..., T]) -> Callable[..., Any]:
    return sync_to_async(method, thread_sensitive=True)


class AsyncDjangoStore:
    """`DjangoStore` for async views (Django ASGI): each call runs on Django's sync thread,
    where the ORM and `transaction.atomic` work."""

    def __init__(self, *, using: str = "default", users: UserMapping | None = None) -> None:
        self.sync = DjangoStore(using=using, users=users)

    async def create_user(self, user: AdapterUser) -> AdapterUser:
        return cast(AdapterUser, await _off_loop(self.sync.create_user)(user))

    async def get_user(self, id: str) -> AdapterUser | None:
        return cast("AdapterUser | None", await _off_loop(self.sync.get_user)(id))

    async def get_user_by_email(self, email: str) -> AdapterUser | None:
        return cast("AdapterUser | None", await _off_loop(self.sync.get_user_by_email)(email))

    async def get_user_by_account(self, key: ProviderAccountKey) -> AdapterUser | None:
        return cast("AdapterUser | None", await _off_loop(self.sync.get_user_by_account)(key))

    async def update_user(self, user: Mapping[str, object]) -> AdapterUser:
        return cast(AdapterUser, await _off_loop(self.sync.update_user)(user))

    async def delete_user(self, id: str) -> AdapterUser | None:
        return cast("AdapterUser | None", await _off_loop(self.sync.delete_user)(id))

    async def link_account(self, account: AdapterAccount) -> AdapterAccount:
        return cast(AdapterAccount, await _off_loop(self.sync.link_account)(account))

    async def unlink_account(self, key: ProviderAccountKey) -> AdapterAccount | None:
        return cast("AdapterAccount | None", await _off_loop(self.sync.unlink_account)(key))

    async def get_account(self, provider_account_id: str, provider: str) -> AdapterAccount | None:
        found = await _off_loop(self.sync.get_account)(provider_account_id, provider)
        return cast("AdapterAccount | None", found)

    async def create_session(self, session: AdapterSession) -> AdapterSession:
        return cast(AdapterSession, await _off_loop(self.sync.create_session)(session))

    async def get_session_and_user(self, session_token: str) -> SessionAndUser | None:
        found = await _off_loop(self.sync.get_session_and_user)(session_token)
        return cast("SessionAndUser | None", found)

    async def update_session(self, session: Mapping[str, object]) -> AdapterSession | None:
        return cast("AdapterSession | None", await _off_loop(self.sync.update_session)(session))

    async def delete_session(self, session_token: str) -> AdapterSession | None:
        found = await _off_loop(self.sync.delete_session)(session_token)
        return cast("AdapterSession | None", found)

    async def create_verification_token(self, token: VerificationToken) -> VerificationToken:
        created = await _off_loop(self.sync.create_verification_token)(token)
        return cast(VerificationToken, created)

    async def use_verification_token(self, identifier: str, token: str) -> VerificationToken | None:
        used = await _off_loop(self.sync.use_verification_token)(identifier, token)
        return cast("VerificationToken | None", used)

    async def create_authenticator(
        self, authenticator: AdapterAuthenticator
    ) -> AdapterAuthenticator:
        created = await _off_loop(self.sync.create_authenticator)(authenticator)
        return cast(AdapterAuthenticator, created)

    async def get_authenticator(self, credential_id: str) -> AdapterAuthenticator | None:
        found = await _off_loop(self.sync.get_authenticator)(credential_id)
        return cast("AdapterAuthenticator | None", found)

    async def list_authenticators_by_user_id(self, user_id: str) -> list[AdapterAuthenticator]:
        found = await _off_loop(self.sync.list_authenticators_by_user_id)(user_id)
        return cast("list[AdapterAuthenticator]", found)

    async def update_authenticator_counter(
        self, credential_id: str, counter: int
    ) -> AdapterAuthenticator:
        updated = await _off_loop(self.sync.update_authenticator_counter)(credential_id, counter)
        return cast(AdapterAuthenticator, updated)

    async def purge_expired(self, now: datetime | None = None) -> int:
        removed: int = await _off_loop(self.sync.purge_expired)(now)
        return removed
