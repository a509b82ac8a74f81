"""Project settings kept in the database, so that everyone working on one ledger shares them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .errors import InvalidInput
from .input_files import DEFAULT_LIMIT_MIB
from .models import Setting


@dataclass(frozen=True)
class Known:
    default: str
    check: Callable[[str], str]
    help: str


def _threshold(value: str) -> str:
    from .independence import check_threshold

    return str(check_threshold(value))


def _input_limit(value: str) -> str:
    from .input_files import check_limit_mib

    return check_limit_mib(value)


KNOWN = {
    "min-independent": Known(
        "2",
        _threshold,
        "how many independent origins a claim needs (the newsroom two-source rule is 2)",
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
