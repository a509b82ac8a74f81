"""Who said it: speakers resolved to known entities."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..errors import ClaimtrackError
from .candidate import Resolver

# Words that never make a name unique on their own: "of" in "Ministry of Health", "the" in "the Front".
_LINK_WORDS = frozenset({"of", "the", "for", "and", "de", "van", "von", "al", "bin", "a", "an", "in", "on"})


def _normal(name: str) -> str:
    name = name.replace("’", "'").lower()
    name = re.sub(r"^(?:the|a|an)\s+", "", " ".join(name.split()))
    return re.sub(r"'s$", "", name).strip(" ,.")


def name_resolver(entities: Iterable[tuple[str, Iterable[str]]]) -> Resolver:
    """A resolver over known names: a speaker as written -> the entity it names, or None.

    An entity is found by its name or an alias (case, spacing and a leading article aside), else by a unique
    part of its name -- a run of its words that no other entity's name holds ("Rajavi", "the Institute",
    "Kestrel"); a part two entities share ("the ministry") resolves to nobody.
    """
    exact: dict[str, str] = {}
    parts: dict[str, set[str]] = {}
    for name, aliases in entities:
        for written in (name, *aliases):
            exact.setdefault(_normal(written), name)
        words = _normal(name).split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                part = words[i:j]
                if all(w in _LINK_WORDS for w in part) or part[0] in _LINK_WORDS or part[-1] in _LINK_WORDS:
                    continue
                parts.setdefault(" ".join(part), set()).add(name)

    def resolve(speaker: str) -> str | None:
        wanted = _normal(speaker)
        if wanted in exact:
            return exact[wanted]
        owners = parts.get(wanted, set())
        return next(iter(owners)) if len(owners) == 1 else None

    return resolve


def _resolver(resolve: Resolver | None) -> Callable[[str | None], str | None]:
    """The ``resolve`` callback tried on the variants of a speaker (see the module docstring), cached."""
    cache: dict[str, str | None] = {}

    def ask(name: str) -> str | None:
        if name not in cache:
            try:
                cache[name] = resolve(name) if resolve is not None else None
            except ClaimtrackError:  # an ambiguous or unknown name: no entity, not an error
                cache[name] = None
        return cache[name]

    def variants(speaker: str) -> list[str]:
        found = [speaker, re.sub(r"^(?:the|a|an)\s+", "", speaker, flags=re.IGNORECASE)]
        m = re.search(r"\b(?:for|of|at|from|with)\s+((?:the\s+)?[A-Z].*)$", speaker)
        if m:
            found += [m.group(1), re.sub(r"^the\s+", "", m.group(1))]
        m = re.search(r"((?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*)$", speaker)
        if m:
            names = m.group(1).split()
            found += [" ".join(names[k:]) for k in range(len(names))]
        return list(dict.fromkeys(v for v in found if v))

    def entity(speaker: str | None) -> str | None:
        if speaker is None or resolve is None:
            return None
        for variant in variants(speaker):
            answer = ask(variant)
            if answer is not None:
                return answer
        return None

    return entity
