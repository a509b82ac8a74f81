"""Project settings kept in the database, so that everyone working on one ledger shares them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .errors import InvalidInput
from .input_files import DEFAULT_LIMIT_MIB, LIMIT_ENV, SETTING, Limit
from .models import Setting


@dataclass(frozen=True)
class Known:
    default: str
    check: Callable[[str], str]
    help: str


def _threshold(value: str) -> str:
    from .independence import check_threshold

    return str(check_threshold(value))


def _web_address(value: str) -> str:
    from .text.links import web_url

    url = web_url(value)
    if url is None or url != value:
        raise InvalidInput(f"{value!r} is not a web address: give an http:// or https:// URL")
    return url


def _review_url(value: str) -> str:
    if "{key}" not in value:
        raise InvalidInput(
            "review-url must hold {key}, where each claim's key goes: https://example.org/checks/{key}"
        )
    _web_address(value.replace("{key}", "key"))
    return value


def _name(value: str) -> str:
    if not value:
        raise InvalidInput("the publisher's name is empty")
    return value


def _input_limit(value: str) -> str:
    from .input_files import check_limit_mib

    return check_limit_mib(value)


KNOWN = {
    "min-independent": Known(
        "2",
        _threshold,
        "how many independent origins a claim needs (the newsroom two-source rule is 2)",
    ),
    # Who publishes the fact checks (`export --format claimreview`), and where each is published.
    "publisher-name": Known(
        "", _name, "the organisation that publishes the fact checks (ClaimReview author)"
    ),
    "publisher-url": Known("", _web_address, "the publisher's web address"),
    "review-url": Known(
        "", _review_url, "where each fact check is published, with {key} for the claim's key"
    ),
    "max-input-mib": Known(
        str(DEFAULT_LIMIT_MIB),
        _input_limit,
        "the most a command reads from one file or stdin, in MiB (CLAIMTRACK_MAX_INPUT_MIB overrides it)",
    ),
}


def _known(key: str) -> Known:
    if key not in KNOWN:
        raise InvalidInput(f"unknown setting {key!r}; known: {', '.join(sorted(KNOWN))}")
    return KNOWN[key]


def get_setting(session: Session, key: str) -> str:
    known = _known(key)
    stored = session.get(Setting, key)
    return stored.value if stored is not None else known.default


def set_setting(session: Session, key: str, value: str) -> str:
    """Store a setting after checking it; returns the stored form."""
    cleaned = _known(key).check(value.strip())
    stored = session.get(Setting, key)
    if stored is None:
        session.add(Setting(key=key, value=cleaned))
    else:
        stored.value = cleaned
    session.flush()
    return cleaned


def all_settings(session: Session) -> dict[str, str]:
    return {key: get_setting(session, key) for key in sorted(KNOWN)}


def input_limit(session: Session) -> Limit:
    """The limit for a command on this database: the environment's, else its setting, else the default."""
    if os.environ.get(LIMIT_ENV, "").strip():
        return Limit.from_setting()
    stored = session.get(Setting, SETTING)
    return Limit.from_setting(stored.value if stored is not None else None)
