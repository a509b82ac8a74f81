"""Who said it: speakers resolved to known entities."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ...errors import ClaimtrackError
from .candidate import Resolver
from .sentences import PRONOUNS, SPEAKER_STOPS, SPEECH_VERBS, Sentences
from .speakers import inverted_speaker, named_mentions, proper_name, speaker_span, subject_before

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


# ---------------------------------------------------------------------------------------------------------
# Who says a figure or a date
# ---------------------------------------------------------------------------------------------------------

# Verbs that report a figure or a finding, beside the speech verbs: "X estimated", "X put the toll at".
_REPORT_VERBS = (
    "estimated", "estimates", "reported", "reports", "found", "finds", "counted", "counts", "recorded",
    "records", "documented", "documents", "listed", "lists", "put", "puts", "believes", "believed",
    "described", "describes", "accused", "accuses", "confirmed", "confirms", "denied", "denies", "calculated",
    "calculates", "puts", "registered", "registers", "tallied", "revealed", "reveals", "show", "shows",
    "showed", "indicate", "indicates", "indicated", "suggest", "suggests", "suggested", "disclosed", "cited",
    "saying", "estimate", "say",
)  # fmt: skip
# Between a speaker and the verb: auxiliaries and adverbs ("X has put", "X had earlier reported", "X would not
# say", "X was quoted as saying").
_BEFORE_VERB_RE = re.compile(
    r"(?:\s+(?:has|have|had|will|would|could|did|does|do|not|also|later|earlier|previously|repeatedly|"
    r"reportedly|separately|publicly|since|already|never|once|again|was\s+quoted\s+as|is\s+quoted\s+as|"
    r"were\s+quoted\s+as|has\s+been\s+quoted\s+as))+\s*$",
    re.IGNORECASE,
)
_CLAIM_THAT_RE = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:claim|claims|assertion|insistence|promise|words|denial|statement|description|"
    r"verdict|warning|argument|position)\s*(?:that\s*|:\s*|,\s*)?$"
)
# A part of the document itself as a subject: "Table 4 shows", "The chart below indicates".
_DOCUMENT_PART_RE = re.compile(r"(?:the\s+)?(?:table|figure|chart|graph|annex|appendix|map|page|box)\b", re.I)
# What a subject holds that is not its speaker: "Government data disclosed to Veloria Watch".
_HANDED_TO_RE = re.compile(r"\s+(?:disclosed|given|sent|provided|supplied|leaked|shown|passed)\s+to\s+.*$")
# "Government data", "hospital figures": the word before the data is whose they are.
_DATA_OF_RE = re.compile(
    r"^(?:the\s+)?(?P<x>[\w-]+)\s+(?:data|figures|records|statistics|numbers|estimates)$", re.I
)
_REPORTING_RE = re.compile(r"\b(?:" + "|".join(sorted(set(SPEECH_VERBS + _REPORT_VERBS))) + r")\b")
# The same, less the words that are also plural nouns ("hospital records", "reports", "counts").
_PAST_REPORTING_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted({v for v in SPEECH_VERBS + _REPORT_VERBS if v.endswith(("ed", "id", "old"))}))
    + r"|found|put|wrote|read|says|said)\b"
)
# Verbs that put someone's words on a thing: 'Reyl called the figures "an insult"' (for quotes only).
_NAMING_RE = re.compile(
    r"\b(?:called|calls|dubbed|dubs|branded|brands|labelled|labeled|termed|dismissed|dismisses|described|"
    r"describes|condemned|condemns|hailed|hails|praised|praises|rejected|rejects)\b|" + _REPORTING_RE.pattern
)
# What a figure is called when someone's name is put on it: "the ministry's figure of 212".
_COUNT_NOUNS = (
    r"(?:count|counts|figure|figures|toll|death\s+toll|estimate|estimates|tally|claim|claims|list|number|"
    r"numbers|total|data|statistics|records|report|reports)"
)
_OWNER = r"(?P<x>(?:[A-Z][\w’'-]*\s+)*[A-Z][\w’'-]*|[Tt]he\s+(?:[a-z]+\s+)?[a-z]+|[a-z]+)"
_POSSESSED_RE = re.compile(
    rf"{_OWNER}['’]s\s+(?:own\s+|latest\s+|new\s+|official\s+)?(?:{_COUNT_NOUNS}|assertion|insistence|"
    r"promise|words|denial|statement|description|verdict)\b"
)
_MODIFIED_RE = re.compile(
    r"(?:\b(?:[Tt]he|[Aa]n?)\s+|^|(?<=[.!?]\s))(?!(?:The|A|An|This|That|Its|Their|Our|His|Her)\b)(?P<x>(?i:government|ministry|official|opposition|army|police|"
    r"military|hospital)|[A-Z][\w-]+)\s+" + _COUNT_NOUNS + r"\b"
)
# "The toll, compiled by the Mission from hospital records, stood at 58".
_COMPILED_BY_RE = re.compile(
    r"\b(?:toll|count|figure|figures|tally|estimate|list|total)s?,?\s+(?:compiled|given|released|published|"
    r"issued|provided|kept|collected|gathered)\s+by\s+(?P<x>(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:(?:of|for)\s+"
    r"(?:the\s+)?)?[A-Z][\w’'-]*)*)"
)
_CLAIMS_BY_RE = re.compile(
    r"\b(?:claims?|reports?|allegations?|figures?|estimates?)\s+(?:by|in|from)\s+(?:the\s+)?(?:so-called\s+)?"
    r"(?P<x>[^,;:]+?)\s+that\b",
    re.IGNORECASE,
)
_BY_AFTER_RE = re.compile(
    r"\s*(?:[\w’'-]+\s+){0,2}?(?:reported|cited|listed|compiled|given|claimed|published|recorded|documented|"
    r"counted|released|issued|supplied|announced|provided|quoted)\s+by\s+",
    re.IGNORECASE,
)
_NAME_AFTER_RE = re.compile(r"(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:(?:of|for)\s+(?:the\s+)?)?[A-Z][\w’'-]*)*")
_SOURCE_OF_RE = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:latest|new|official|own)\s+)?(?:figures|data|records|count|list|estimates|statistics|tally)"
    r"\s+(?:compiled\s+|published\s+|released\s+|gathered\s+|collected\s+|kept\s+)?(?:by|from|of)\s+(?P<x>.+)$",
    re.IGNORECASE,
)
_ACCORDING_RE = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
_CITING_RE = re.compile(r"\bciting\s+", re.IGNORECASE)
# Reporting with nobody named: the figure is someone's, but the text does not say whose.
_IMPERSONAL_RE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|it\s+(?:is|was|has\s+been)\s+(?:reported|said|claimed|alleged|"
    r"believed|understood|estimated)|(?:is|are|was|were)\s+(?:said|reported|believed|thought|alleged|"
    r"estimated)\s+to)\b",
    re.IGNORECASE,
)
# Between a reporting verb and a figure, these open a clause the verb does not govern.
_BLOCK_RE = re.compile(r",\s+(?:which|who|whose|while|whereas|but)\b|\bwhile\b|[;:]|—|\s–\s", re.IGNORECASE)
# A role named without a name: stands for the last named speaker of the paragraph ("the minister said").
_ROLE_RE = re.compile(
    r"(?:the|this|that)\s+(?:[a-z]+\s+)?(?:minister|spokeswoman|spokesman|spokesperson|official|president|"
    r"director|leader|chief|head|mayor|governor|commander|secretary|ambassador|envoy|researcher|lawyer)",
    re.IGNORECASE,
)
# "the Association's president" speaks for the Association.
_ROLE_OF_RE = re.compile(
    r"^(?P<x>.+?)['’]s\s+(?:[a-z]+\s+)?(?:spokeswoman|spokesman|spokesperson|president|director|head|chief|"
    r"leader|coordinator|secretary|chair|chairman|chairwoman|representative|official|officials)$"
)
_ROLE_FOR_RE = re.compile(
    r"^(?:a|an|the)\s+(?P<x>(?:[A-Z][\w-]*\s+)+)(?:spokeswoman|spokesman|spokesperson|official|officials|"
    r"representative|source|researcher|lawyer|doctor|director|president|witness)$"
)
_NAME_OF_RE = re.compile(r"^(?P<x>(?:[A-Z][\w’'-]*\s+)+?)(?:of|from|at)\s+(?:the\s+)?[A-Z]")
# "the group said": an organisation named before, whose name holds the noun or ends like an organisation's.
_GENERIC_REF_RE = re.compile(
    r"(?:the|this)\s+(?P<noun>group|organisation|organization|agency|charity|watchdog|movement|institute|"
    r"association|mission|ministry|party|front|alliance|council|committee|network|coalition|office|union)",
    re.IGNORECASE,
)
_ANY_ORGANISATION = frozenset(
    {"group", "organisation", "organization", "agency", "charity", "watchdog", "movement"}
)
_ORGANISATION_ENDS = frozenset(
    {
        "international", "watch", "institute", "association", "front", "alliance", "mission", "relief", "ministry",
        "office", "council", "committee", "network", "party", "movement", "union", "agency", "organisation",
        "organization", "group", "fund", "foundation", "commission", "centre", "center", "society", "federation",
        "coalition", "league", "initiative", "project", "trust", "service", "services", "forum", "observatory",
    }
)  # fmt: skip
_GENERIC_ORGS = frozenset(
    {
        "ministry", "association", "agency", "organisation", "organization", "group", "institute", "mission",
        "party", "office", "government", "station", "newspaper", "paper", "website", "front", "alliance",
        "council", "committee", "court", "union", "network", "coalition", "movement", "bureau", "department",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Said:
    """Who says a candidate: the speaker as written, the entity it resolves to, and how it was found."""

    speaker: str | None
    entity: str | None
    attribution: str  # "text" (named in the text), "publisher" (the document's own voice) or "unknown"
    note: str | None = None


class Attributor:
    """Finds who says what in one text: pronouns and roles followed back, speakers resolved to entities."""

    def __init__(
        self,
        text: str,
        sentences: Sentences,
        paragraphs: list[int],
        resolve: Resolver | None,
        publisher: str | None,
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.paragraphs = paragraphs
        self.publisher = publisher
        self.named = named_mentions(text, sentences)  # sorted by offset: the antecedents of pronouns
        self._ask = _resolver(resolve)
        self.quotes: list[tuple[int, int, Said]] = []  # the attributed quotes' spans, for figures inside

    # -- entities ------------------------------------------------------------------------------------------

    def entity(self, speaker: str | None) -> str | None:
        """The known entity a speaker names; a generic noun the publisher's name holds is the publisher."""
        if speaker is None:
            return None
        m = _NAME_OF_RE.match(speaker)
        if m and self._ask(m.group("x").strip()):  # "Mara Tessel of the Kestrel Institute": the person
            return self._ask(m.group("x").strip())
        found = self._ask(speaker)
        if found is not None:
            return found
        # "a Kestrel Institute spokesman", "the Association's president", "figures compiled by the Front".
        for regex in (_ROLE_FOR_RE, _ROLE_OF_RE, _SOURCE_OF_RE):
            m = regex.match(speaker)
            if m and (owner := self.entity(m.group("x").strip())) is not None:
                return owner
        words = re.sub(r"^(?:the|a|an|this)\s+", "", speaker.lower()).split()
        generic = len(words) == 1 and words[0] in _GENERIC_ORGS
        if self.publisher and generic and words[0] in self.publisher.lower().split():
            return self._ask(self.publisher) or self.publisher  # "the ministry" in a ministry's own text
        return None

    def said(self, speaker: str, at: int, note: str | None = None) -> Said:
        """A speaker found in the text at offset ``at``; a pronoun or a bare role followed back."""
        lowered = speaker.lower()
        if lowered in PRONOUNS or _ROLE_RE.fullmatch(speaker):
            paragraph = self.paragraphs[bisect_right(self.paragraphs, at) - 1]
            name = None
            for k in range(bisect_left(self.named, (at, "")) - 1, -1, -1):
                offset, candidate = self.named[k]
                if lowered not in PRONOUNS and offset < paragraph:
                    break  # "the minister" looks back only within its paragraph
                if candidate.lower() in PRONOUNS or _ROLE_RE.fullmatch(candidate):
                    continue  # another pronoun or role: look further back
                person = proper_name(candidate) and candidate.split()[-1].lower() not in _ORGANISATION_ENDS
                if lowered in PRONOUNS or person:
                    name = candidate  # "the minister" stands for a person's name, not a description
                break
            if name is not None:
                note = f"speaker {speaker!r} taken to be {name!r}, the nearest named speaker before"
                return Said(name, self.entity(name), "text", note)
            if lowered in PRONOUNS:
                return Said(
                    None, None, "unknown", f"speaker {speaker!r} not resolved: no named speaker before it"
                )
        speaker = _HANDED_TO_RE.sub("", speaker)  # "Government data disclosed to Veloria Watch"
        generic = _GENERIC_REF_RE.fullmatch(speaker)
        if generic and self.entity(speaker) is None:
            named = self._organisation_before(generic.group("noun").lower(), at)
            if named is not None:
                note = f"speaker {speaker!r} taken to be {named!r}, the organisation named before"
                return Said(named, self.entity(named), "text", note)
        for regex in (_SOURCE_OF_RE, _DATA_OF_RE):
            m = regex.match(speaker)
            if m:  # "figures compiled by the Front", "government data"
                speaker = m.group("x")
        return Said(speaker, self.entity(speaker), "text", note)

    def _organisation_before(self, noun: str, at: int) -> str | None:
        """The organisation "the group" (or "the agency", "the Institute" ...) stands for: the nearest name
        before ``at``, in its paragraph or the one before, that holds the noun or looks like an organisation's."""
        k = bisect_right(self.paragraphs, at) - 1
        floor = self.paragraphs[max(0, k - 1)]
        for offset, name in reversed(self.named[: bisect_left(self.named, (at, ""))]):
            if offset < floor:
                break
            words = name.split()
            holds = noun in (w.lower() for w in words)
            organisation = noun in _ANY_ORGANISATION and words[-1].lower() in _ORGANISATION_ENDS
            if (holds or organisation) and self.entity(name) is not None:
                return name
        return None

    def own_voice(self) -> Said:
        if self.publisher is None:
            return Said(None, None, "publisher")
        return Said(self.publisher, self.entity(self.publisher) or self.publisher, "publisher")

    # -- figures and dates ---------------------------------------------------------------------------------

    def figure(self, start: int, end: int) -> Said:
        """Who states the figure or date at ``text[start:end]`` (see the package docstring)."""
        text = self.text
        for q_open, q_close, said in self.quotes:
            if q_open < start and end <= q_close + 1:
                return Said(said.speaker, said.entity, said.attribution, "stated inside a quote")
        s_start = self.sentences.start_of(start)
        k = bisect_right(self.sentences.starts, start) - 1
        s_end = self.sentences.spans[k][1] if k >= 0 else len(text)
        # The clause: a semicolon ends one ("the government says 212; the Front says 7,000").
        c_start = max(s_start, text.rfind(";", s_start, start) + 1)
        semi = text.find(";", end, s_end)
        c_end = semi if semi >= 0 else s_end
        possessed = self._possessed(c_start, start)
        unresolved = possessed.speaker if possessed is not None and possessed.entity is None else None
        if unresolved and re.sub(r"^the\s+", "", unresolved.lower()) in _GENERIC_ORGS:
            # "the group's list": whose group the verb of the sentence may say; if it does not, the group.
            possessed = self._governing(c_start, start) or possessed
        found = (
            self._after_by(end, c_end)
            or possessed
            or self._citing(c_start, c_end, start)
            or self._governing(c_start, start)
            or self._according(c_start, c_end, start)
            or self._trailing(end, c_end)
        )
        if found is not None:
            return found
        if _IMPERSONAL_RE.search(text, c_start, c_end):
            return Said(None, None, "unknown", "reported, but the text names nobody who says it")
        return self.own_voice()

    def _speaker_in(self, start: int, end: int) -> Said | None:
        span = speaker_span(self.text, start, end)
        if span is None or span.document:
            return None
        return self.said(self.text[span.start : span.end], span.start)

    def _after_by(self, end: int, c_end: int) -> Said | None:
        """ "the 1,500 reported by Amber Voice", "the 412 deaths listed by the Institute"."""
        from .figures import counted_noun

        _, after = counted_noun(self.text, end)
        m = _BY_AFTER_RE.match(self.text, max(end, after), c_end)
        if m is None:
            return None
        name = _NAME_AFTER_RE.match(self.text, m.end(), c_end)
        if name is not None:  # "listed by the Kestrel Institute include ...": the name, not what follows
            return self.said(name.group(), name.start())
        inverted = inverted_speaker(self.text, m.end(), c_end)
        return (
            self.said(self.text[inverted[0].start : inverted[0].end], inverted[0].start) if inverted else None
        )

    def _possessed(self, c_start: int, start: int) -> Said | None:
        """ "the ministry's figure of 212", "the government figure of 212", "claims by X that ..."."""
        window = max(c_start, start - 140)
        best: tuple[int, int] | None = None
        for regex in (_POSSESSED_RE, _MODIFIED_RE, _CLAIMS_BY_RE, _COMPILED_BY_RE):
            for m in regex.finditer(self.text, window, start):
                between = self.text[m.end() : start]
                if _PAST_REPORTING_RE.search(between) or _BLOCK_RE.search(between) or len(between) > 60:
                    continue
                if best is None or m.start("x") > best[0]:
                    best = (m.start("x"), m.end("x"))
        if best is None:
            return None
        phrase = self.text[best[0] : best[1]]
        if phrase.lower() in ("it", "its", "their", "his", "her"):
            return None
        return self.said(re.sub(r"^the\s+so-called\s+", "the ", phrase), best[0])

    def quote(self, open_mark: int) -> Said | None:
        """Who says quoted words set inside reported speech: 'X said the plan was "a necessary step"'."""
        s_start = self.sentences.start_of(open_mark)
        c_start = max(s_start, self.text.rfind(";", s_start, open_mark) + 1)
        # "the minister's claim that "..."": the claim's owner; "dismissed the Institute's list as "..."": not.
        owned = _CLAIM_THAT_RE.search(self.text, max(c_start, open_mark - 40), open_mark)
        return (self._possessed(c_start, open_mark) if owned else None) or self._governing(
            c_start, open_mark, _NAMING_RE
        )

    def _governing(self, c_start: int, start: int, verbs_re: re.Pattern[str] = _REPORTING_RE) -> Said | None:
        """The nearest reporting verb before the figure whose complement holds it: "X said (that) ... 212"."""
        text = self.text
        verbs = list(verbs_re.finditer(text, c_start, start))
        for verb in reversed(verbs):
            between = text[verb.end() : start]
            if _BLOCK_RE.search(between):
                return None
            if verb.group() in ("put", "puts") and not re.search(r"\bat\s+\S*$", text[verb.end() : start]):
                continue  # "put" reports a figure only as "put the toll at"
            helped = _BEFORE_VERB_RE.search(text, c_start, verb.start())
            subject = subject_before(text, c_start, helped.start() if helped else verb.start())
            if subject is None:
                continue
            if _DOCUMENT_PART_RE.match(text, subject.start, subject.end):
                return self.own_voice()  # "Table 4 shows ...": the document itself
            if subject.document:
                # "The Amber Voice website put ...": the name in it; "a report said": nobody named.
                for inside in _NAME_AFTER_RE.finditer(text, subject.start, subject.end):
                    name = re.sub(r"^(?:[Tt]he|An?|This|Its|Their)(?:\s+|$)", "", inside.group())
                    if name:
                        return self.said(name, inside.end() - len(name))
                return Said(None, None, "unknown", "attributed to a document that names nobody")
            return self.said(text[subject.start : subject.end], subject.start)
        return None

    def _citing(self, c_start: int, c_end: int, start: int) -> Said | None:
        """ "The wire, citing the Kestrel Institute, said 304 died": the figure is the one cited, not the
        relaying outlet's. Only a name is cited this way ("citing hospital records, X said" is X's)."""
        text = self.text
        found = None
        for m in _CITING_RE.finditer(text, c_start, start):
            name = _NAME_AFTER_RE.match(text, m.end(), c_end)
            if name is not None and name.end() <= start:
                found = self.said(name.group(), name.start(), "cited by the text's speaker")
        return found

    def _according(self, c_start: int, c_end: int, start: int) -> Said | None:
        text = self.text
        best = None
        for m in _ACCORDING_RE.finditer(text, c_start, c_end):
            stop = m.end()
            for w in re.finditer(r"\S+", text[m.end() : c_end]):
                if w.group().lower().strip(",.") in SPEAKER_STOPS - {"by"}:
                    break
                stop = m.end() + w.end()
                if w.group().endswith((",", ".")):
                    break
            found = self._speaker_in(m.end(), stop)
            if found is not None and (best is None or abs(m.start() - start) < best[0]):
                best = (abs(m.start() - start), found)
        return best[1] if best else None

    def _trailing(self, end: int, c_end: int) -> Said | None:
        """ "..., the interior ministry said", "..., said Dilan Roe", after the figure."""
        text = self.text
        comma = text.find(",", end, c_end)
        while comma >= 0:
            after = text[comma + 1 : c_end]
            verb = _REPORTING_RE.search(text, comma + 1, c_end)
            if verb is not None:
                if re.fullmatch(r"\s*", text[comma + 1 : verb.start()]):
                    inverted = inverted_speaker(text, verb.end(), c_end)
                    if inverted is not None:
                        return self.said(text[inverted[0].start : inverted[0].end], inverted[0].start)
                else:
                    subject = subject_before(text, comma + 1, verb.start())
                    if subject is not None and not subject.document:
                        return self.said(text[subject.start : subject.end], subject.start)
            if not after:
                break
            comma = text.find(",", comma + 1, c_end)
        return None
