"""Sentence splitting on this paper's text."""

from __future__ import annotations

from pohang_watch.extract.sentences import split_enumeration, split_sentences


def texts(paragraph: str) -> list[str]:
    return [s.text for s in split_sentences(paragraph)]


def test_abbreviations_do_not_end_sentences() -> None:
    paragraph = (
        "Prof. Kim of the U.S. office met Dr. Park of Daewon Co., Ltd. in Room No. 3. "
        "The two then toured the plant."
    )
    assert texts(paragraph) == [
        "Prof. Kim of the U.S. office met Dr. Park of Daewon Co., Ltd. in Room No. 3.",
        "The two then toured the plant.",
    ]


def test_a_quoted_sentence_keeps_its_closing_quote() -> None:
    paragraph = "The mayor said, “We will open the hub next year.” The council agreed."
    assert texts(paragraph) == [
        "The mayor said, “We will open the hub next year.”",
        "The council agreed.",
    ]


def test_sentences_inside_a_quotation_carry_the_speaker() -> None:
    paragraph = "Council Chair Kim Minsu stated, “The first step is done. We will fund the second.”"
    first, second = split_sentences(paragraph)
    assert first.quoted
    assert second.quoted
    assert second.text == "We will fund the second.”"
    assert second.speaker == "Council Chair Kim Minsu"


def test_unquoted_sentences_have_no_speaker() -> None:
    (sentence,) = split_sentences("The city opened a new office downtown.")
    assert not sentence.quoted
    assert sentence.speaker is None


def test_a_lost_dash_becomes_a_dash() -> None:
    (sentence,) = split_sentences("It named three sectors?secondary batteries among them.")
    assert sentence.text == "It named three sectors — secondary batteries among them."


def test_decimals_do_not_split() -> None:
    assert len(split_sentences("Output rose 1.5 times. Exports fell.")) == 2


def test_enumeration_items_lose_the_list_glue() -> None:
    lead, items = split_enumeration(
        "The city will pursue: ▲a new port road; ▲two training centers; and ▲a youth fund."
    )
    assert lead == "The city will pursue: "
    assert items == ("a new port road", "two training centers", "a youth fund")
