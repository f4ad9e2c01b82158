"""The shared page skeleton and stylesheet (Auth.js `src/lib/pages/` "Common HTML").

All CSS is inline in one `<style>`: the pages load no fonts, scripts or images of their own
(RFC 9700 §4.2.4); the one script, the passkey form's, is package code inlined too. The
class names follow Auth.js (`__next-auth-theme-*`, `page`, `card`, `provider`, `button`,
`logo`, `error`, `site`, `section-header`) so existing custom CSS knowledge carries over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ._safe import contrast_text, esc, host_of, safe_color, safe_nonce, safe_url

__all__ = [
    "CSS",
    "Theme",
    "document",
    "form_open",
    "hidden_input",
    "logo_img",
    "origin_link",
    "scheme_of",
    "theme_css",
]

ColorScheme = Literal["auto", "dark", "light"]


@dataclass(frozen=True)
class Theme:
    """Page theme (Auth.js `theme`). Colours that are not plain CSS colours are ignored; a
    logo that is not an http(s) or relative URL is ignored."""

    color_scheme: ColorScheme = "auto"
    logo: str = ""
    brand_color: str = ""
    button_text: str = ""


_LIGHT = """\
  color-scheme: light;
  --color-background: #f3f4f6;
  --color-card: #ffffff;
  --color-card-border: #e5e7eb;
  --color-text: #111827;
  --color-muted: #4b5563;
  --color-control-bg: #ffffff;
  --color-control-border: #9ca3af;
  --color-button-border: #d1d5db;
  --color-separator: #e5e7eb;
  --color-link: #1d4ed8;
  --color-focus: #1d4ed8;
  --color-error-bg: #fef2f2;
  --color-error-border: #fecaca;
  --color-error-text: #991b1b;
  --shadow: 0 1px 2px rgba(0, 0, 0, 0.06), 0 8px 24px rgba(0, 0, 0, 0.06);"""

_DARK = """\
  color-scheme: dark;
  --color-background: #0d1117;
  --color-card: #161b22;
  --color-card-border: #30363d;
  --color-text: #e6edf3;
  --color-muted: #9da7b3;
  --color-control-bg: #0d1117;
  --color-control-border: #6e7681;
  --color-button-border: #3d444d;
  --color-separator: #30363d;
  --color-link: #79b8ff;
  --color-focus: #79b8ff;
  --color-error-bg: #3b1219;
  --color-error-border: #6e2630;
  --color-error-text: #ffb3b8;
  --shadow: 0 1px 2px rgba(0, 0, 0, 0.4), 0 8px 24px rgba(0, 0, 0, 0.3);"""

CSS = f"""\
:root {{
  --brand-color: #2563eb;
  --button-text-color: #ffffff;
  --border-radius: 0.5rem;
}}
.__next-auth-theme-auto,
.__next-auth-theme-light {{
{_LIGHT}
}}
.__next-auth-theme-auto {{ color-scheme: light dark; }}
.__next-auth-theme-dark {{
{_DARK}
}}
@media (prefers-color-scheme: dark) {{
  .__next-auth-theme-auto {{
{_DARK}
  }}
}}
*, *::before, *::after {{ box-sizing: border-box; }}
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{
  margin: 0;
  min-height: 100vh;
  background: var(--color-background);
  color: var(--color-text);
  font-family: ui-sans-serif, system-ui, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto,
    "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji";
  font-size: 1rem;
  line-height: 1.5;
}}
.page {{
  display: flex;
  align-items: center;
  justify-content: center;
  min-height: 100vh;
  padding: 2rem 1rem;
}}
.page > div {{ width: 100%; max-width: 24rem; }}
.card {{
  width: 100%;
  max-width: 24rem;
  padding: 2rem 1.75rem;
  background: var(--color-card);
  border: 1px solid var(--color-card-border);
  border-radius: 0.75rem;
  box-shadow: var(--shadow);
  text-align: center;
}}
.logo {{
  display: block;
  max-width: 10rem;
  max-height: 4.5rem;
  margin: 0 auto 1.25rem;
}}
h1 {{
  margin: 0 0 1.25rem;
  font-size: 1.5rem;
  font-weight: 600;
  line-height: 1.25;
}}
p {{ margin: 0 0 1rem; color: var(--color-muted); }}
.message p:last-child, .card > p:last-child {{ margin-bottom: 0; }}
form {{ margin: 0; display: flex; flex-direction: column; gap: 0.875rem; text-align: left; }}
.provider + .provider {{ margin-top: 0.75rem; }}
.field {{ display: flex; flex-direction: column; gap: 0.375rem; }}
label {{ font-size: 0.875rem; font-weight: 500; color: var(--color-text); }}
input {{
  width: 100%;
  padding: 0.625rem 0.75rem;
  font: inherit;
  color: var(--color-text);
  background: var(--color-control-bg);
  border: 1px solid var(--color-control-border);
  border-radius: var(--border-radius);
}}
input::placeholder {{ color: var(--color-muted); opacity: 0.8; }}
.button, .submit-button {{
  display: grid;
  grid-template-columns: 1.25rem 1fr 1.25rem;
  align-items: center;
  gap: 0.75rem;
  width: 100%;
  min-height: 2.875rem;
  padding: 0.625rem 1rem;
  font: inherit;
  font-weight: 500;
  text-align: center;
  text-decoration: none;
  border-radius: var(--border-radius);
  cursor: pointer;
  transition: background-color 0.15s ease, filter 0.15s ease;
}}
.button {{
  color: var(--provider-text, var(--color-text));
  background: var(--provider-bg, var(--color-control-bg));
  border: 1px solid var(--provider-border, var(--color-button-border));
}}
.button:hover {{
  background: color-mix(in srgb, var(--provider-brand-color, var(--color-text)) 10%,
    var(--provider-bg, var(--color-control-bg)));
}}
.submit-button {{
  display: flex;
  justify-content: center;
  color: var(--button-text-color);
  background: var(--brand-color);
  border: 1px solid transparent;
}}
.submit-button:hover {{ filter: brightness(0.92); }}
.provider-logo {{ display: block; width: 1.25rem; height: 1.25rem; object-fit: contain; }}
:focus-visible {{ outline: 3px solid var(--color-focus); outline-offset: 2px; }}
input:focus-visible {{ outline-offset: 0; border-color: var(--color-focus); }}
hr {{ margin: 1.5rem 0; border: 0; border-top: 1px solid var(--color-separator); }}
.error {{
  margin: 0 0 1.25rem;
  padding: 0.75rem 1rem;
  text-align: left;
  color: var(--color-error-text);
  background: var(--color-error-bg);
  border: 1px solid var(--color-error-border);
  border-radius: var(--border-radius);
}}
.error p {{ margin: 0; color: inherit; }}
a.site {{ color: var(--color-link); text-decoration: underline; text-underline-offset: 2px; }}
a.site:hover {{ text-decoration-thickness: 2px; }}
code {{ font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }}
.card > a.submit-button {{ margin-top: 1.25rem; }}
@media (max-width: 30rem) {{
  .page {{ align-items: flex-start; padding: 1rem 0.75rem; }}
  .card {{ padding: 1.5rem 1.25rem; }}
}}
@media (prefers-reduced-motion: reduce) {{
  .button, .submit-button {{ transition: none; }}
}}
"""

_TITLES = frozenset({"Sign In", "Sign Out", "Verify Request", "Error"})


def scheme_of(theme: Theme) -> str:
    scheme = theme.color_scheme
    return scheme if scheme in ("auto", "dark", "light") else "auto"


def theme_css(theme: Theme) -> str:
    """`--brand-color` / `--button-text-color` from the theme (Auth.js `src/lib/pages/`), validated
    colours only."""
    brand = safe_color(theme.brand_color)
    text = safe_color(theme.button_text)
    if brand is not None and text is None:
        text = contrast_text(brand)
    decls = []
    if brand is not None:
        decls.append(f"--brand-color: {brand};")
    if text is not None:
        decls.append(f"--button-text-color: {text};")
    return f":root {{ {' '.join(decls)} }}\n" if decls else ""


def logo_img(theme: Theme) -> str:
    src = safe_url(theme.logo) if theme.logo else None
    if src is None:
        return ""
    return f'<img class="logo" src="{esc(src)}" alt="Logo" referrerpolicy="no-referrer">'


def document(
    *,
    title: str,
    body: str,
    theme: Theme,
    extra_css: Sequence[str] = (),
    nonce: str | None = None,
    script: str | None = None,
) -> str:
    """Wrap `body` (already escaped HTML) in the page skeleton; `script` is trusted
    package code (the passkey form's), inlined at the end of the body."""
    assert title in _TITLES
    scheme = scheme_of(theme)
    meta_scheme = "light dark" if scheme == "auto" else scheme
    css = CSS + theme_css(theme) + "".join(extra_css)
    ok_nonce = safe_nonce(nonce)
    nonce_attr = f' nonce="{esc(ok_nonce)}"' if ok_nonce else ""
    scripts = f"<script{nonce_attr}>{script}</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="color-scheme" content="{meta_scheme}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<style{nonce_attr}>\n{css}</style>\n"
        f"<title>{title}</title>\n</head>\n"
        f'<body class="__next-auth-theme-{scheme}">\n'
        f'<main class="page">\n{body}\n</main>\n{scripts}</body>\n</html>\n'
    )


def hidden_input(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{esc(value)}">'


def form_open(action: str, css_class: str) -> str:
    url = safe_url(action)
    # An unsafe action is dropped: the form then posts back to this page, which is harmless.
    action_attr = f' action="{esc(url)}"' if url is not None else ""
    return f'<form class="{css_class}"{action_attr} method="post">'


def origin_link(origin: str) -> str:
    href = safe_url(origin)
    host = host_of(origin)
    if href is None or host is None:
        return ""
    return f'<p><a class="site" href="{esc(href)}">{esc(host)}</a></p>'
