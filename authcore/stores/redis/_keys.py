"""The key layout. Each key family has a word of its own after the prefix, so no user id,
email or token can make one family's key collide with another's; the two-part keys escape
`%` and `:` in their first part.

    {prefix}user:{id}                       user JSON
    {prefix}email:{email}                   user id
    {prefix}account:{provider}:{account id} account JSON
    {prefix}session:{token}                 session JSON, expires at the session's expiry
    {prefix}token:{identifier}:{token}      verification token JSON, expires with it
    {prefix}authenticator:{credential id}   authenticator JSON
    {prefix}user-accounts:{id}              set of "{provider}:{account id}"
    {prefix}user-sessions:{id}              set of session tokens, expires with the last one
    {prefix}user-authenticators:{id}        set of credential ids
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Keys", "escape"]


def escape(part: str) -> str:
    return part.replace("%", "%25").replace(":", "%3A")


@dataclass(frozen=True)
class Keys:
    prefix: str

    def user(self, user_id: str) -> str:
        return f"{self.prefix}user:{user_id}"

    def email(self, email: str) -> str:
        return f"{self.prefix}email:{email}"

    def account_member(self, provider: str, provider_account_id: str) -> str:
        return f"{escape(provider)}:{provider_account_id}"

    def account(self, provider: str, provider_account_id: str) -> str:
        return f"{self.prefix}account:{self.account_member(provider, provider_account_id)}"

    def session(self, token: str) -> str:
        return f"{self.prefix}session:{token}"

    def token(self, identifier: str, token: str) -> str:
        return f"{self.prefix}token:{escape(identifier)}:{token}"

    def authenticator(self, credential_id: str) -> str:
        return f"{self.prefix}authenticator:{credential_id}"

    def user_accounts(self, user_id: str) -> str:
        return f"{self.prefix}user-accounts:{user_id}"

    def user_sessions(self, user_id: str) -> str:
        return f"{self.prefix}user-sessions:{user_id}"

    def user_authenticators(self, user_id: str) -> str:
        return f"{self.prefix}user-authenticators:{user_id}"
