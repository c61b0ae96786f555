"""Entity normalisation: every spelling of a body is one canonical name."""

from __future__ import annotations

import pytest

from pohang_watch.config import ExtractSettings
from pohang_watch.extract.entities import canonicalise, entity_index, find_mentions


@pytest.mark.parametrize(
    "spelling",
    ["Lee Kang-deok", "Lee Gangdeok", "LEE KANGDEOK", "Kangdeok Lee", "Mayor Lee"],
)
def test_romanisations_of_the_mayor_are_one_person(
    extract_settings: ExtractSettings, spelling: str
) -> None:
    index = entity_index(extract_settings)
    (mention,) = find_mentions(index, f"Yesterday {spelling} toured the port.")
    assert mention.canonical == "Lee Kang-deok"
    assert not mention.is_org


@pytest.mark.parametrize(
    "text",
    [
        "the new Pohang International Exhibition & Convention Center (POEX), it opens",
        "the new Pohang International Convention Center POEX, it opens",
        "the new Pohang International Exhibition and Convention Center, it opens",
    ],
)
def test_long_names_of_poex_become_poex(extract_settings: ExtractSettings, text: str) -> None:
    assert canonicalise(entity_index(extract_settings), text) == "the new POEX, it opens"


def test_longest_name_wins(extract_settings: ExtractSettings) -> None:
    index = entity_index(extract_settings)
    names = [m.canonical for m in find_mentions(index, "Pohang City Council and Pohang City")]
    assert names == ["Pohang City Council", "Pohang City"]


def test_short_forms_inside_compounds_stay(extract_settings: ExtractSettings) -> None:
    index = entity_index(extract_settings)
    assert canonicalise(index, "a Pohang-UCL studio with UCL") == (
        "a Pohang-UCL studio with University College London"
    )


def test_bare_city_name_is_a_place(extract_settings: ExtractSettings) -> None:
    index = entity_index(extract_settings)
    (mention,) = find_mentions(index, "events held in Pohang")
    assert mention.canonical == "Pohang City"
    assert mention.is_place
    assert canonicalise(index, "events held in Pohang") == "events held in Pohang"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "a deal with the Korea Institute of Energy Research",
            "Korea Institute of Energy Research",
        ),
        ("talks with KAIST on robotics", "KAIST"),
        ("EcoPro will expand its plant", "EcoPro"),
        ("LitePro Materials Corporation said", "LitePro Materials Corporation"),
        ("the Daegu Gyeongbuk Development Agency joined", "Daegu Gyeongbuk Development Agency"),
    ],
)
def test_unknown_organisations_are_found_by_shape(
    extract_settings: ExtractSettings, text: str, name: str
) -> None:
    mentions = find_mentions(entity_index(extract_settings), text)
    assert [m.canonical for m in mentions if m.is_org] == [name]


def test_common_acronyms_are_not_organisations(extract_settings: ExtractSettings) -> None:
    index = entity_index(extract_settings)
    assert find_mentions(index, "AI and R&D spending in the UK rose") == ()
