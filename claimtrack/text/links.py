"""Which recorded URLs may become links: web addresses only.

A URL in the ledger came from a document or from a researcher's typing, and a report, a citation or a
ClaimReview turns it into something a reader clicks. Only ``http`` and ``https`` URLs with a host become links
or URL fields; ``javascript:``, ``data:``, ``file:`` and anything else are left out (the URL stays in the ledger
and in the lossless export).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Characters kept as they are: RFC 3986's unreserved and reserved ones, and "%" (already percent-encoded
# octets). Spaces, quotes, angle brackets, braces, backslashes and control characters are percent-encoded, so
# the URL can stand in a Markdown link, an HTML attribute or a BibTeX field without closing it.
_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")


def web_url(url: str | None) -> str | None:
    """The URL, percent-encoded where a URL may not hold a character, when it is an http(s) address with a
    host; else None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host, for one
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return "".join(
        ch if ch in _URL_SAFE else "".join(f"%{byte:02X}" for byte in ch.encode("utf-8")) for ch in url
    )
