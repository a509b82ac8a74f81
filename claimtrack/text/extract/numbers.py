"""Numbers written with digits or in words, before they are judged to be figures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import ClaimtrackError
from ..quantities import parse_number

# ---------------------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------------------

_DIGITS_RE = re.compile(
    r"(?<![\w.,/:#])(?<![A-Za-z]-)(?<![A-Za-z]\u2011)"
    r"(?P<cur>US\$|\$|€|£)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?![\d,.]\d)|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:thousand|million|billion|bn|mn)|m|k)?"
    r"(?!\w|[.,]\d)"
)
_CURRENCY = {"$": "dollars", "US$": "US dollars", "€": "euros", "£": "pounds"}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_SCALE_WORDS = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD_RE = re.compile(r"[A-Za-z]+(?:[-‐‑][A-Za-z]+)*")


def _small_number_word(word: str) -> bool:
    """one..nineteen, twenty..ninety, and "twenty-five" written with a hyphen."""
    parts = re.split(r"[-‐‑]", word)
    if len(parts) == 1:
        return word in _UNITS or word in _TENS
    return len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS and 1 <= _UNITS[parts[1]] <= 9


@dataclass
class Number:
    start: int
    end: int
    value: float
    scale: float | None = None  # the scale word or suffix written with it ("million", "bn")
    spelled: bool = False
    currency: str | None = None
    plain: bool = False  # digits only, no separator, decimal or scale: could be a year
    dash_end: bool = False  # written straight after "<digit>-": only the end of a range
    code: bool = False  # a leading zero ("0199"): part of a code, never a count


def _spelled_value(words: list[str]) -> float | None:
    """The value of a run of number words, through text2num for what it reads."""
    from text_to_num import text2num  # imported here: the command line must start fast

    if words[0] == "half" and len(words) == 3:  # "half a million"
        return 0.5 * _SCALE_WORDS[words[2]]
    if words[-1] == "dozen":  # "a dozen", "two dozen"; text2num reads neither
        if len(words) == 1 or words[:-1] == ["a"]:
            return 12.0
        base = _spelled_value(words[:-1])
        return None if base is None else base * 12
    if words[0] == "a":  # "a hundred", "a million": text2num wants "one"
        words = ["one", *words[1:]]
    if "half" in words:  # "two and a half million"
        i = words.index("half")
        if i >= 3 and words[i - 2 : i] == ["and", "a"] and i == len(words) - 2:
            base = _spelled_value(words[: i - 2])
            return None if base is None else (base + 0.5) * _SCALE_WORDS[words[-1]]
        return None
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:  # "twenty twenty", "one two": not one number
        return None


def _token(text: str, tokens: list[tuple[int, int, str]], i: int, k: int) -> str:
    """The (lower-cased) word k tokens after tokens[i], if only spaces lead to it; "" otherwise."""
    if i + k >= len(tokens) or not text[tokens[i + k - 1][1] : tokens[i + k][0]].isspace():
        return ""
    return tokens[i + k][2]


def spelled_numbers(text: str) -> list[Number]:
    """Runs of number words ("three thousand", "two hundred and fifty", "half a million")."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD_RE.finditer(text)]
    found: list[Number] = []
    i = 0
    while i < len(tokens):
        w = tokens[i][2]

        def word(k: int, i: int = i) -> str:
            return _token(text, tokens, i, k)

        run: list[str]
        hyphenated = re.fullmatch(r"half[-‐‑]a[-‐‑](hundred|thousand|million|billion)", w)
        if hyphenated:  # "half-a-million"
            found.append(Number(tokens[i][0], tokens[i][1], 0.5 * _SCALE_WORDS[hyphenated.group(1)],
                                 _SCALE_WORDS[hyphenated.group(1)], spelled=True))  # fmt: skip
            i += 1
            continue
        if w == "half" and word(1) == "a" and word(2) in _SCALE_WORDS:
            run = ["half", "a", word(2)]
        elif w == "a" and (word(1) in _SCALE_WORDS or word(1) == "dozen"):
            run = ["a", word(1)]
        elif _small_number_word(w):  # a bare "hundred" or "thousand" starts no number
            run = [w]
        else:
            i += 1
            continue
        k = len(run)
        while True:
            nxt = word(k)
            if nxt in _SCALE_WORDS or nxt == "dozen" or (_small_number_word(nxt) and run[-1] in _SCALE_WORDS):
                run.append(nxt)  # "three thousand", "two dozen", "one hundred twenty"
                k += 1
            elif nxt == "and" and run[-1] in _SCALE_WORDS and _small_number_word(word(k + 1)):
                run += ["and", word(k + 1)]  # "two hundred and fifty"
                k += 2
            elif (
                nxt == "and" and word(k + 1) == "a" and word(k + 2) == "half" and word(k + 3) in _SCALE_WORDS
            ):
                run += ["and", "a", "half", word(k + 3)]  # "two and a half million"
                k += 4
                break
            else:
                break
        value = _spelled_value(run)
        if value is not None:
            scales = [_SCALE_WORDS[x] for x in run if x in _SCALE_WORDS]
            found.append(
                Number(
                    tokens[i][0], tokens[i + k - 1][1], value, scales[-1] if scales else None, spelled=True
                )
            )
        i += k
    return found


_SCALE_SUFFIXES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}


def digit_numbers(text: str) -> list[Number]:
    """Numbers written with digits: "30,000", "30 000", "1.5 million", "2.3bn", "$4m"."""
    found = []
    for m in _DIGITS_RE.finditer(text):
        scale_word = (m.group("scale") or "").strip().lower()
        try:
            value = parse_number(m.group("num") + scale_word)
        except ClaimtrackError:
            continue
        currency = _CURRENCY.get(m.group("cur") or "")
        plain = m.group("num").isdigit() and not scale_word and currency is None
        number = Number(m.start(), m.end(), value, _SCALE_SUFFIXES.get(scale_word), currency=currency,
                         plain=plain)  # fmt: skip
        # The end of "2,800-3,800" only counts as the end of a range; alone it is part of a code
        # ("555-0199"), as is any number with a leading zero.
        number.dash_end = m.start() >= 2 and text[m.start() - 1] in "-–—" and text[m.start() - 2].isdigit()
        number.code = bool(re.match(r"0\d", m.group("num")))
        found.append(number)
    return found
