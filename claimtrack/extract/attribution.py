"""Who said it: speakers resolved to known entities."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import ClaimtrackError
from .candidate import Resolver


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
