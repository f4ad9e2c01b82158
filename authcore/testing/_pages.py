"""The mock's few HTML pages: consent, error, form post. Everything user-supplied is escaped."""

from __future__ import annotations

from html import escape

__all__ = ["consent_page", "error_page", "form_post_page"]

_STYLE = """
body{font-family:system-ui,sans-serif;background:#fafafa;color:#262626;display:flex;
justify-content:center;margin:0;padding:48px 16px}
main{background:#fff;border:1px solid #dbdbdb;border-radius:8px;padding:32px;max-width:360px;
width:100%;text-align:center}
h1{font-size:20px;margin:0 0 8px}p{color:#737373;font-size:14px}
img{border-radius:50%;width:72px;height:72px}
form{display:flex;gap:12px;justify-content:center;margin-top:24px}
button{font-size:14px;font-weight:600;border-radius:8px;padding:8px 20px;cursor:pointer;
border:1px solid #dbdbdb;background:#fff}
button[value=allow]{background:#0095f6;border-color:#0095f6;color:#fff}
"""


def _doc(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def consent_page(
    *,
    brand: str,
    login: str,
    picture: str | None,
    client_id: str,
    scope: str,
    action: str,
    params: list[tuple[str, str]],
) -> str:
    """Allow posts the original authorize parameters back with `decision=allow`; Cancel with
    `decision=deny`."""
    title = f"{brand} — Log in as {login}"
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in params
        if k != "decision"
    )
    img = f'<img src="{escape(picture)}" alt="">' if picture else ""
    body = (
        f"{img}<h1>{escape(title)}</h1>"
        f"<p>The app <strong>{escape(client_id)}</strong> asks for: "
        f"{escape(scope or '(no scope)')}</p>"
        f'<form method="post" action="{escape(action)}">{hidden}'
        f'<button type="submit" name="decision" value="allow">Allow</button>'
        f'<button type="submit" name="decision" value="deny">Cancel</button></form>'
    )
    return _doc(title, body)


def error_page(*, brand: str, message: str) -> str:
    return _doc(f"{brand} — Error", f"<h1>{escape(brand)}</h1><p>{escape(message)}</p>")


def form_post_page(*, action: str, fields: list[tuple[str, str]]) -> str:
    """OAuth 2.0 Form Post Response Mode §2: the answer as hidden fields of a form that
    submits itself to the redirect URI (a test client reads the fields and POSTs them)."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields
    )
    body = (
        f'<form method="post" action="{escape(action)}" id="form_post">{hidden}'
        f'<noscript><button type="submit">Continue</button></noscript></form>'
        "<script>document.getElementById('form_post').submit()</script>"
    )
    return _doc("Submit this form", body)
