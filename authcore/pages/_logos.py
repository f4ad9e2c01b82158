"""Inline SVG marks for the built-in providers, so the sign-in page loads nothing from a
third party (RFC 9700 §4.2.4). Simplified, recognisable marks; `aria-hidden` because the
button text already names the provider."""

from __future__ import annotations

__all__ = ["builtin_logo"]

_GITHUB = (
    '<svg class="provider-logo" viewBox="0 0 16 16" width="20" height="20" aria-hidden="true"'
    ' focusable="false"><path fill="currentColor" d="M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53'
    " 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94"
    "-.82-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87"
    ".51-1.07-1.78-.2-3.64-.89-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21"
    " 2.2.82.64-.18 1.32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08"
    " 2.12.51.56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01"
    ' 2.2 0 .21.15.46.55.38A8.013 8.013 0 0016 8c0-4.42-3.58-8-8-8z"/></svg>'
)

_GOOGLE = (
    '<svg class="provider-logo" viewBox="0 0 48 48" width="20" height="20" aria-hidden="true"'
    ' focusable="false">'
    '<path fill="#EA4335" d="M24 9.5c3.54 0 6.71 1.22 9.21 3.6l6.85-6.85C35.9 2.38 30.47 0 24 0'
    ' 14.62 0 6.51 5.38 2.56 13.22l7.98 6.19C12.43 13.72 17.74 9.5 24 9.5z"/>'
    '<path fill="#4285F4" d="M46.98 24.55c0-1.57-.15-3.09-.38-4.55H24v9.02h12.94c-.58 2.96-2.26'
    ' 5.48-4.78 7.18l7.73 6c4.51-4.18 7.09-10.36 7.09-17.65z"/>'
    '<path fill="#FBBC05" d="M10.53 28.59c-.48-1.45-.76-2.99-.76-4.59s.27-3.14.76-4.59l-7.98-6.19'
    'C.92 16.46 0 20.12 0 24c0 3.88.92 7.54 2.56 10.78l7.97-6.19z"/>'
    '<path fill="#34A853" d="M24 48c6.48 0 11.93-2.13 15.89-5.81l-7.73-6c-2.15 1.45-4.92 2.3-8.16'
    ' 2.3-6.26 0-11.57-4.22-13.47-9.91l-7.98 6.19C6.51 42.62 14.62 48 24 48z"/></svg>'
)


def _instagram(uid: str) -> str:
    # The gradient needs a document-unique id: one per provider button.
    grad = f"ig-gradient-{uid}"
    return (
        '<svg class="provider-logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"'
        f' focusable="false"><defs><linearGradient id="{grad}" x1="0" y1="1" x2="1" y2="0">'
        '<stop offset="0" stop-color="#feda75"/><stop offset=".3" stop-color="#fa7e1e"/>'
        '<stop offset=".55" stop-color="#d62976"/><stop offset=".8" stop-color="#962fbf"/>'
        '<stop offset="1" stop-color="#4f5bd5"/></linearGradient></defs>'
        '<rect x="2.25" y="2.25" width="19.5" height="19.5" rx="5.5" fill="none"'
        f' stroke="url(#{grad})" stroke-width="2.2"/>'
        f'<circle cx="12" cy="12" r="4.4" fill="none" stroke="url(#{grad})" stroke-width="2.2"/>'
        f'<circle cx="17.4" cy="6.6" r="1.35" fill="url(#{grad})"/></svg>'
    )


_KEY = (
    '<svg class="provider-logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"'
    ' focusable="false" fill="none" stroke="currentColor" stroke-width="2"'
    ' stroke-linecap="round" stroke-linejoin="round">'
    '<circle cx="7.5" cy="15.5" r="4.5"/><path d="M10.7 12.3 20 3"/><path d="m16 7 3 3"/>'
    '<path d="m18.5 4.5 2 2"/></svg>'
)


def builtin_logo(provider_id: str, uid: str) -> str:
    """Inline SVG for a known provider id, a generic key otherwise. `uid` must be a
    document-unique token of `[A-Za-z0-9-]` (used for SVG element ids)."""
    if provider_id == "github":
        return _GITHUB
    if provider_id == "google":
        return _GOOGLE
    if provider_id == "instagram":
        return _instagram(uid)
    return _KEY
