"""The demo's two pages. Shows the user's name and picture, never a token or a secret."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit

__all__ = ["home_page", "not_found_page", "page", "protected_page"]

_CSS = """
:root{color-scheme:light dark;--bg:#f3f4f6;--card:#fff;--border:#e5e7eb;--text:#111827;
--muted:#4b5563;--link:#1d4ed8;--brand:#2563eb}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--border:#30363d;
--text:#e6edf3;--muted:#9da7b3;--link:#79b8ff}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--text);line-height:1.5;
font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.page{display:flex;align-items:center;justify-content:center;min-height:100vh;padding:2rem 1rem}
.card{width:100%;max-width:26rem;padding:2rem 1.75rem;background:var(--card);text-align:center;
border:1px solid var(--border);border-radius:.75rem;
box-shadow:0 1px 2px rgba(0,0,0,.06),0 8px 24px rgba(0,0,0,.06)}
h1{margin:0 0 1rem;font-size:1.5rem;font-weight:600}
p{margin:0 0 1rem;color:var(--muted)}
.avatar{width:72px;height:72px;border-radius:50%;margin:0 auto 1rem;display:block}
.who{font-size:1.125rem;color:var(--text)}
nav{display:flex;gap:.75rem;justify-content:center;flex-wrap:wrap;margin-top:1.25rem}
a.button{display:inline-block;padding:.5rem 1rem;border-radius:.5rem;text-decoration:none;
border:1px solid var(--border);color:var(--text);font-weight:500}
a.button.primary{background:var(--brand);border-color:var(--brand);color:#fff}
small{display:block;margin-top:1.5rem;color:var(--muted)}
code{font-size:.85em}
h2{margin:1.5rem 0 .5rem;font-size:1.1rem;font-weight:600}
table{width:100%;border-collapse:collapse;font-size:.9rem;text-align:left}
th,td{padding:.25rem .4rem;border-bottom:1px solid var(--border)}
ul#mails{list-style:none;padding:0;margin:0;text-align:left}
li.mail{padding:.75rem 0;border-bottom:1px solid var(--border)}
li.mail p{margin:0 0 .4rem}
"""


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f'<body><div class="page"><main class="card">{body}</main></div></body></html>'
    )


def _avatar(user: dict[str, Any]) -> str:
    image = user.get("image")
    if not isinstance(image, str) or urlsplit(image).scheme not in ("http", "https"):
        return ""
    return f'<img class="avatar" src="{escape(image)}" alt="" referrerpolicy="no-referrer">'


def _name(user: dict[str, Any]) -> str:
    return str(user.get("name") or user.get("email") or "someone")


def _stored(stored: list[tuple[dict[str, Any], list[str]]] | None, note: str) -> str:
    if stored is None:
        return ""
    rows = "".join(
        f"<tr><td>{escape(str(u.get('name') or ''))}</td>"
        f"<td>{escape(str(u.get('email') or '—'))}</td>"
        f"<td>{escape(', '.join(providers))}</td></tr>"
        for u, providers in stored
    )
    table = (
        '<table id="stored"><thead><tr><th>Name</th><th>Email</th><th>Signed in with</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
        if stored
        else "<p>No user stored yet.</p>"
    )
    return f"<h2>Stored users ({len(stored)})</h2>{table}<small>{escape(note)}</small>"


def home_page(
    session: dict[str, Any] | None,
    *,
    base: str,
    idp_note: str,
    stored: list[tuple[dict[str, Any], list[str]]] | None = None,
    store_note: str = "",
    mailbox_path: str | None = None,
) -> str:
    if session is None:
        body = (
            "<h1>authcore demo</h1><p>You are not signed in.</p>"
            '<nav><a class="button primary" id="signin" '
            f'href="{escape(base)}/signin?callbackUrl=%2Fprotected">Sign in</a>'
            '<a class="button" href="/protected">Protected page</a></nav>'
        )
    else:
        user = session.get("user") or {}
        body = (
            f"<h1>authcore demo</h1>{_avatar(user)}"
            f'<p class="who">Signed in as <strong id="user">{escape(_name(user))}</strong></p>'
            '<nav><a class="button primary" href="/protected">Protected page</a>'
            f'<a class="button" id="signout" href="{escape(base)}/signout?callbackUrl=%2F">'
            "Sign out</a></nav>"
        )
    listing = _stored(stored, store_note)
    mailbox = (
        f'<small>Signing in with email? The mail is in the <a id="mailbox" '
        f'href="{escape(mailbox_path)}">dev mailbox</a>.</small>'
        if mailbox_path
        else ""
    )
    return page("authcore demo", f"{body}<small>{escape(idp_note)}</small>{mailbox}{listing}")


def protected_page(session: dict[str, Any], *, base: str) -> str:
    user = session.get("user") or {}
    expires = str(session.get("expires") or "")
    body = (
        f"<h1>Protected page</h1>{_avatar(user)}"
        f'<p class="who">Signed in as <strong id="user">{escape(_name(user))}</strong></p>'
        f"<p>Session expires <code>{escape(expires)}</code></p>"
        '<nav><a class="button" href="/">Home</a>'
        f'<a class="button primary" id="signout" href="{escape(base)}/signout?callbackUrl=%2F">'
        "Sign out</a></nav>"
    )
    return page("Protected page", body)


def not_found_page() -> str:
    return page("Not found", '<h1>Not found</h1><nav><a class="button" href="/">Home</a></nav>')
