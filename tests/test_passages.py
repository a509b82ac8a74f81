"""Anchoring passages into a document's stored text, and re-finding them after the text changes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.errors import InvalidInput
from claimtrack.text.passages import (
    Anchor,
    AnchorMethod,
    anchor_passage,
    normalise_for_matching,
    relocate,
)

ARTICLE = (
    "Tehran, January 8. The spokesman said on Wednesday that \u201cthe so\u2011called report is a fabrication\u201d "
    "and that officials would respond \u2014 firmly \u2014 to the group\u2019s claims.\n\n"
    "According to the organisation, 30,000 political prisoners were massacred in 1988. "
    "Its leader said the movement has about 3,000 members in Albania."
)


def spans_to(anchor: Anchor, text: str) -> str:
    assert anchor.start is not None and anchor.end is not None
    return text[anchor.start : anchor.end]


# --- found verbatim ----------------------------------------------------------------------------------------


def test_exact_match_gives_offsets_and_context() -> None:
    passage = "30,000 political prisoners were massacred in 1988."
    anchor = anchor_passage(ARTICLE, passage)
    assert anchor.found
    assert anchor.method is AnchorMethod.exact
    assert anchor.start == ARTICLE.index(passage)
    assert anchor.exact == spans_to(anchor, ARTICLE) == passage
    assert anchor.score == 100
    assert anchor.occurrences == 1
    assert anchor.closest is None


def test_prefix_and_suffix_are_the_surrounding_characters() -> None:
    anchor = anchor_passage(ARTICLE, "political prisoners", context=12)
    assert anchor.prefix == "ation, 30,000 "[-12:]
    assert anchor.suffix == " were massac"
    assert anchor.prefix + "political prisoners" + anchor.suffix in ARTICLE


def test_context_is_clipped_at_the_ends_of_the_text() -> None:
    text = "Short text here."
    first = anchor_passage(text, "Short", context=32)
    assert first.prefix == ""
    assert first.suffix == " text here."
    last = anchor_passage(text, "here.", context=32)
    assert last.prefix == "Short text "
    assert last.suffix == ""


def test_whitespace_around_the_passage_is_ignored() -> None:
    anchor = anchor_passage(ARTICLE, "\n  about 3,000 members \t")
    assert anchor.method is AnchorMethod.exact
    assert anchor.exact == "about 3,000 members"


def test_several_occurrences_are_counted_and_the_first_anchored() -> None:
    text = "He denied it. Later, he denied it again. In March he denied it once more."
    anchor = anchor_passage(text, "he denied it")
    assert anchor.method is AnchorMethod.exact
    assert anchor.occurrences == 2  # "He denied it" differs in case, so only the verbatim ones count
    assert anchor.start == text.index("he denied it")
    folded = anchor_passage(text, "HE DENIED IT")
    assert folded.method is AnchorMethod.normalised
    assert folded.occurrences == 3
    assert folded.start == 0


# --- found once normalised ---------------------------------------------------------------------------------


def test_straight_quotes_find_curly_quotes() -> None:
    anchor = anchor_passage(ARTICLE, '"the so-called report is a fabrication"')
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "\u201cthe so\u2011called report is a fabrication\u201d"
    assert anchor.prefix is not None and anchor.prefix.endswith("on Wednesday that ")


def test_curly_apostrophe_in_passage_finds_straight_one() -> None:
    anchor = anchor_passage("It's the group's claim.", "the group\u2019s claim")
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "the group's claim"


def test_hyphen_finds_en_and_em_dashes() -> None:
    anchor = anchor_passage(ARTICLE, "would respond - firmly - to the group's claims")
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "would respond \u2014 firmly \u2014 to the group\u2019s claims"
    ranges = anchor_passage("pages 10\u201312 and \u221240 degrees", "pages 10-12 and -40 degrees")
    assert ranges.exact == "pages 10\u201312 and \u221240 degrees"


def test_ellipsis_character_and_three_dots_match() -> None:
    text = "She said \u201cwe will wait\u2026 and see\u201d."
    assert anchor_passage(text, "we will wait... and see").exact == "we will wait\u2026 and see"
    assert anchor_passage("wait... and see", "wait\u2026 and see").exact == "wait... and see"


def test_whitespace_runs_and_newlines_inside_the_passage() -> None:
    text = "The leader said the movement\n   has about\u00a03,000\tmembers in Albania."
    collapsed = anchor_passage(text, "the movement has about 3,000 members")
    assert collapsed.method is AnchorMethod.normalised
    # The whole run of whitespace inside the match belongs to the span; nothing outside it does.
    assert collapsed.exact == "the movement\n   has about\u00a03,000\tmembers"
    extra = anchor_passage("political prisoners were massacred", "political \n\n prisoners   were\nmassacred")
    assert extra.method is AnchorMethod.normalised
    assert extra.exact == "political prisoners were massacred"


def test_letter_case_is_ignored() -> None:
    anchor = anchor_passage(ARTICLE, "ACCORDING TO THE ORGANISATION")
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "According to the organisation"


def test_normalised_offsets_map_back_to_the_original_span() -> None:
    text = "  Intro.\u00a0\u00a0He called it \u2018a lie\u2019 \u2014  twice\u2026  Then left.  "
    anchor = anchor_passage(text, "he called it 'a lie' - twice...")
    assert anchor.method is AnchorMethod.normalised
    assert (anchor.start, anchor.end) == (10, 10 + len("He called it \u2018a lie\u2019 \u2014  twice\u2026"))
    assert spans_to(anchor, text) == anchor.exact
    assert anchor.prefix == text[: anchor.start]
    assert anchor.suffix == text[anchor.end :]


def test_invisible_characters_are_ignored() -> None:
    text = "a co\u00adoperative\u200b effort"
    anchor = anchor_passage(text, "cooperative effort")
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "co\u00adoperative\u200b effort"


def test_normalise_for_matching_reports_where_each_character_came_from() -> None:
    normalised, mapping = normalise_for_matching("A\u00a0 B\u2019\u2026\u200bc")
    assert normalised == "a b'...c"
    assert mapping == [0, 1, 3, 4, 5, 5, 5, 7]


# --- non-ASCII text ----------------------------------------------------------------------------------------


def test_accented_text() -> None:
    # French typography: non-breaking spaces inside the guillemets and before the colon.
    text = "Le porte-parole a déclaré\u00a0: «\u00a0c’est une fabrication\u00a0» mercredi."
    anchor = anchor_passage(text, 'DÉCLARÉ : " C\'EST UNE FABRICATION "')
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "déclaré\u00a0: «\u00a0c’est une fabrication\u00a0»"
    assert anchor.start == text.index("déclaré")
    assert spans_to(anchor, text) == anchor.exact


def test_persian_text_with_bidi_marks_and_letter_variants() -> None:
    # The document uses Persian yeh and kaf and a right-to-left mark; the passage was typed on an Arabic
    # keyboard without the mark.
    text = "گزارش: \u200fسخنگوی دولت گفت که این ادعا ساختگی است. پایان"
    passage = "سخنگوي دولت گفت كه اين ادعا ساختگي است."
    anchor = anchor_passage(text, passage)
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "سخنگوی دولت گفت که این ادعا ساختگی است."
    assert anchor.prefix == "گزارش: \u200f"
    exact = anchor_passage(text, "دولت گفت")
    assert exact.method is AnchorMethod.exact
    assert exact.start == text.index("دولت گفت")


def test_arabic_text_and_emoji_keep_offsets_right() -> None:
    text = "\U0001f4e2 \U0001f1ee\U0001f1f7 قال المتحدث إن التقرير «ملفق» \U0001f525 — نهاية"
    anchor = anchor_passage(text, 'إن التقرير "ملفق" \U0001f525 -')
    assert anchor.method is AnchorMethod.normalised
    assert anchor.exact == "إن التقرير «ملفق» \U0001f525 —"
    assert anchor.start == text.index("إن")
    assert anchor.prefix == "\U0001f4e2 \U0001f1ee\U0001f1f7 قال المتحدث "


# --- not found ---------------------------------------------------------------------------------------------


def test_one_changed_word_points_at_the_changed_sentence() -> None:
    anchor = anchor_passage(
        ARTICLE, "According to the organisation, 30,000 political prisoners were executed in 1988."
    )
    assert not anchor.found
    assert anchor.method is AnchorMethod.not_found
    assert anchor.start is anchor.end is anchor.exact is anchor.prefix is anchor.suffix is None
    assert (
        anchor.closest == "According to the organisation, 30,000 political prisoners were massacred in 1988."
    )
    assert anchor.closest_start is not None and anchor.closest_end is not None
    assert ARTICLE[anchor.closest_start : anchor.closest_end] == anchor.closest
    assert 85 < anchor.score < 100
    assert anchor.occurrences == 0


def test_closest_span_covers_whole_words() -> None:
    text = "First sentence here. The budget would rise sharply by five percent next year. Last one."
    anchor = anchor_passage(text, "budget would fall by five percent")
    assert anchor.closest is not None
    assert anchor.closest.startswith("budget") and anchor.closest.endswith("percent")


def test_unrelated_passage_scores_low() -> None:
    anchor = anchor_passage(ARTICLE, "Quantum chromodynamics explains most of the proton's mass.")
    assert not anchor.found
    assert anchor.score < 60


def test_empty_text_is_not_found_with_nothing_close() -> None:
    for text in ("", "  \n "):
        anchor = anchor_passage(text, "anything")
        assert anchor.method is AnchorMethod.not_found
        assert anchor.closest is None
        assert anchor.score == 0


@pytest.mark.parametrize("passage", ["", "   ", "\n\t", "\u200f\u200b"])
def test_empty_passage_is_rejected(passage: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        anchor_passage(ARTICLE, passage)
    assert "\n" not in str(raised.value)
    with pytest.raises(InvalidInput):
        relocate(ARTICLE, passage, 0, 5, "", "")


# --- relocating --------------------------------------------------------------------------------------------


def test_relocate_keeps_an_anchor_that_still_holds() -> None:
    old = anchor_passage(ARTICLE, "about 3,000 members")
    again = relocate(ARTICLE, "about 3,000 members", old.start, old.end, old.prefix, old.suffix)
    assert again == old


def test_relocate_keeps_a_normalised_anchor_that_still_holds() -> None:
    old = anchor_passage(ARTICLE, '"the so-called report is a fabrication"')
    again = relocate(ARTICLE, '"the so-called report is a fabrication"', old.start, old.end, None, None)
    assert again == old


def test_relocate_after_text_was_inserted_before_the_passage() -> None:
    passage = "30,000 political prisoners were massacred in 1988."
    old = anchor_passage(ARTICLE, passage)
    edited = "Editor's note: this article was updated on January 9.\n\n" + ARTICLE
    moved = relocate(edited, passage, old.start, old.end, old.prefix, old.suffix)
    assert moved.method is AnchorMethod.exact
    assert old.start is not None and moved.start is not None
    assert moved.start == old.start + len("Editor's note: this article was updated on January 9.\n\n")
    assert spans_to(moved, edited) == passage
    assert moved.prefix == old.prefix and moved.suffix == old.suffix


def test_relocate_chooses_between_occurrences_by_prefix_and_suffix() -> None:
    text = (
        "The government said: \u201cthe report is false\u201d. "
        "The opposition replied that \u201cthe report is false\u201d is itself false."
    )
    second = text.rindex("the report is false")
    end = second + len("the report is false")
    prefix, suffix = text[second - 20 : second], text[end : end + 20]
    # The text is edited before both occurrences, so the old offsets point at neither.
    edited = "UPDATED. " + text.replace("The government said", "The government said on Monday")
    moved = relocate(edited, "the report is false", second, end, prefix, suffix)
    assert moved.occurrences == 2
    assert moved.start == edited.rindex("the report is false")
    # With the first occurrence's context, the first is chosen.
    first = text.index("the report is false")
    first_end = first + len("the report is false")
    chosen = relocate(
        edited, "the report is false", None, None, text[first - 20 : first], text[first_end : first_end + 20]
    )
    assert chosen.start == edited.index("the report is false")


def test_relocate_with_no_context_prefers_the_occurrence_nearest_the_old_offset() -> None:
    text = "yes. no. yes. no. yes."
    assert relocate(text, "yes", 10, 13, None, None).start == 9
    assert relocate(text, "yes", None, None, None, None).start == 0


def test_relocate_a_passage_that_no_longer_matches_reports_the_closest() -> None:
    passage = "officials would respond firmly"
    old = anchor_passage(ARTICLE, "would respond")
    edited = ARTICLE.replace("would respond", "might respond")
    moved = relocate(edited, passage, old.start, old.end, old.prefix, old.suffix)
    assert not moved.found
    assert moved.closest is not None and "might respond" in moved.closest


def test_relocate_finds_a_normalised_match_when_the_quotes_were_changed() -> None:
    passage = "\u201cthe so\u2011called report is a fabrication\u201d"
    old = anchor_passage(ARTICLE, passage)
    edited = "New intro. " + ARTICLE.replace("\u201c", '"').replace("\u201d", '"')
    moved = relocate(edited, passage, old.start, old.end, old.prefix, old.suffix)
    assert moved.method is AnchorMethod.normalised
    assert moved.exact == '"the so\u2011called report is a fabrication"'


# --- properties --------------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80), st.data())
def test_any_slice_of_a_text_is_found_verbatim(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    passage = text[i:j]
    if not passage.strip() or not normalise_for_matching(passage.strip())[0].strip():
        return
    anchor = anchor_passage(text, passage)
    assert anchor.method is AnchorMethod.exact
    # The first occurrence may come before the slice, so only the words are compared, not the position.
    assert spans_to(anchor, text) == passage.strip()
    assert anchor.occurrences >= 1


# Straight characters and what a typesetter might have turned them into.
VARIANTS = {
    "'": ["'", "\u2019", "\u2018"],
    '"': ['"', "\u201c", "\u201d", "\u00ab", "\u00bb", "\u201e"],
    "-": ["-", "\u2013", "\u2014", "\u2212"],
    " ": [" ", "  ", "\n", "\u00a0", " \n\t "],
    "a": ["a", "A"],
    "é": ["é", "É"],
    "σ": ["σ", "Σ"],
}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*VARIANTS, "b", "ß", "1", "."]), min_size=1, max_size=60), st.data())
def test_slices_survive_typesetting(chars: list[str], data: st.DataObject) -> None:
    original = "".join(chars)
    # Build the typeset document and remember where each original character went.
    pieces: list[str] = []
    where: list[tuple[int, int]] = []
    at = 0
    for c in chars:
        piece = data.draw(st.sampled_from(VARIANTS.get(c, [c])))
        pieces.append(piece)
        where.append((at, at + len(piece)))
        at += len(piece)
    document = "".join(pieces)

    i = data.draw(st.integers(0, len(original) - 1))
    j = data.draw(st.integers(i + 1, len(original)))
    passage = original[i:j]
    stripped = passage.strip()
    if not stripped:
        return
    anchor = anchor_passage(document, passage)
    assert anchor.method in (AnchorMethod.exact, AnchorMethod.normalised)
    span = spans_to(anchor, document)
    # The span is the document's own rendering of the passage, with no whitespace outside it.
    assert span == span.strip()
    assert normalise_for_matching(span)[0] == normalise_for_matching(stripped)[0]
    # When the passage can only be in one place (overlaps included), that place is where the slice went.
    normalised_document, normalised_passage = (
        normalise_for_matching(document)[0],
        normalise_for_matching(stripped)[0],
    )
    if normalised_document.find(normalised_passage) == normalised_document.rfind(normalised_passage):
        lead = len(passage) - len(passage.lstrip())
        trail = len(passage) - len(passage.rstrip())
        assert (anchor.start, anchor.end) == (where[i + lead][0], where[j - 1 - trail][1])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_normalisation_mapping_is_consistent(text: str) -> None:
    normalised, mapping = normalise_for_matching(text)
    assert len(mapping) == len(normalised)
    assert mapping == sorted(mapping)
    assert all(0 <= m < len(text) for m in mapping)
    assert normalise_for_matching(normalised)[0] == normalised
