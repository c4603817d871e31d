"""The kiosk keyboard's pinyin engine: splitting, candidates from the real data, ranking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from chatapp.pinyin_input import (
    SYLLABLES,
    Candidate,
    build_index,
    candidates,
    remaining,
    split_syllables,
)


def texts(typed: str, top: int = 30) -> list[str]:
    return [c.text for c in candidates(typed)[:top]]


def in_gb2312(char: str) -> bool:
    # Levels 1 and 2: the first byte of a GB2312 hanzi is 0xB0..0xF7.
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xF7


# --- Candidates from the real data, ranked by the library ---------------------------------


def test_nihao_offers_nihao_first() -> None:
    assert texts("nihao")[0] == "你好"


def test_uppercase_is_the_same_and_letters_keep_the_case_typed() -> None:
    first = candidates("NiHao")[0]
    assert first == Candidate("你好", "NiHao")
    assert texts("NiHao") == texts("nihao")


def test_touteng_offers_a_headache_word_in_the_top_three() -> None:
    assert {"头疼", "头痛"} & set(texts("touteng", 3))


def test_xiongtong_offers_chest_pain_in_the_top_three() -> None:
    # 胸痛 is not in pypinyin's phrase list: it comes from the library's own text.
    assert "胸痛" in texts("xiongtong", 3)


def test_tangniaobing_offers_diabetes_first() -> None:
    assert texts("tangniaobing")[0] == "糖尿病"


def test_gaoxueya_offers_high_blood_pressure_first() -> None:
    assert texts("gaoxueya")[0] == "高血压"


def test_fashao_offers_fever_in_the_top_three() -> None:
    assert "发烧" in texts("fashao", 3)


def test_yisheng_offers_doctor_in_the_top_three() -> None:
    assert "医生" in texts("yisheng", 3)


def test_wo_offers_wo_in_the_top_three() -> None:
    assert "我" in texts("wo", 3)


def test_v_types_u_umlaut() -> None:
    assert "绿" in texts("lv")
    assert "女" in texts("nv")
    assert {"lv", "nv", "lve", "nve"} <= SYLLABLES


def test_an_unfinished_last_syllable_is_matched_as_a_prefix() -> None:
    found = candidates("tangn")
    assert {"糖尿", "糖尿病"} & {c.text for c in found[:3]}
    assert found[0].letters == "tangn"


def test_a_lone_initial_offers_only_characters_that_start_with_it() -> None:
    found = texts("zh")
    assert len(found) == 30
    for text in found:
        assert len(text) == 1
        readings = pinyin(text, style=Style.NORMAL, heteronym=True)[0]
        assert any(r.startswith("zh") for r in readings), (text, readings)


def test_groups_come_whole_input_then_shorter_words_then_characters() -> None:
    found = candidates("tangniaobing")
    consumed = [len(split_syllables(c.letters)) for c in found]
    assert consumed == sorted(consumed, reverse=True)
    assert consumed[0] == 3 and consumed[-1] == 1
    assert found[1] == Candidate("糖尿", "tangniao")
    assert found[2] == Candidate("糖", "tang")


def test_no_duplicates_and_the_limit_is_kept() -> None:
    found = texts("shi")
    assert len(found) == 30 == len(set(found))
    assert len(candidates("shi", limit=5)) == 5
    assert candidates("shi", limit=0) == []


def test_input_without_pinyin_gives_nothing() -> None:
    for typed in ("", "123", "'", " ", "啊", "iii", "v"):
        assert candidates(typed) == [], typed
    assert split_syllables("") == []
    assert split_syllables("123") == []


def test_every_candidate_character_is_in_gb2312() -> None:
    inputs = [*"abcdefghjklmnopqrstwxyz", "zh", "ch", "sh", "lv", "nv", "xiongtong", "tangn"]
    for typed in inputs:
        for text in texts(typed):
            assert all(in_gb2312(ch) for ch in text), (typed, text)


# --- Apostrophes, splitting --------------------------------------------------------------


def test_an_apostrophe_forces_a_split() -> None:
    assert split_syllables("xi'an") == ["xi", "an"]
    assert split_syllables("xian") == ["xian"]
    assert "先" in texts("xian", 5)
    assert "先" not in texts("xi'an")
    assert all(c.letters in ("xi", "xi'an") for c in candidates("xi'an"))


def test_xi_an_is_typed_as_xi_then_an() -> None:
    xi = next(c for c in candidates("xi'an") if c.text == "西")
    assert remaining("xi'an", xi) == "an"
    assert "安" in texts("an", 3)


def test_the_split_uses_the_fewest_syllables() -> None:
    assert split_syllables("nihao") == ["ni", "hao"]
    assert split_syllables("nih") == ["ni", "h"]
    assert split_syllables("zh") == ["zh"]
    assert split_syllables("tangniaobing") == ["tang", "niao", "bing"]
    assert split_syllables("fangan") == ["fang", "an"]  # the longest first, as keyboards do
    assert split_syllables("fan'gan") == ["fan", "gan"]
    assert split_syllables("Ni Hao!") == ["ni", "hao"]  # other characters separate


@pytest.mark.parametrize(
    "typed",
    [
        "nihao",
        "NiHao",
        "touteng",
        "xiongtong",
        "tangniaobing",
        "gaoxueya",
        "fashao",
        "xi'an",
        "xian",
        "lv",
        "nv",
        "wo",
        "yisheng",
        "tangn",
        "zh",
        "zhuangshuang",
        "ni'hao ma",
    ],
)
def test_a_split_rejoins_to_the_letters_typed(typed: str) -> None:
    pieces = split_syllables(typed)
    assert "".join(pieces) == re.sub("[^a-z]", "", typed.lower())
    assert all(piece in SYLLABLES for piece in pieces[:-1])
    assert any(s.startswith(pieces[-1]) for s in SYLLABLES)


syllable_lists = st.lists(st.sampled_from(sorted(SYLLABLES)), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(syllable_lists, st.booleans())
def test_any_run_of_syllables_splits_back_into_no_more_syllables(
    syllables: list[str], apostrophes: bool
) -> None:
    typed = ("'" if apostrophes else "").join(syllables)
    pieces = split_syllables(typed)
    assert "".join(pieces) == "".join(syllables)
    # The last may be read as a syllable still being typed: "xi" "o" "n" -> "xion" (xiong).
    assert all(piece in SYLLABLES for piece in pieces[:-1])
    if apostrophes:
        assert pieces == syllables
    else:
        assert len(pieces) <= len(syllables)


# --- remaining ---------------------------------------------------------------------------


def test_remaining_after_a_character() -> None:
    assert remaining("touteng", Candidate("头", "tou")) == "teng"
    assert remaining("xi'an", Candidate("西", "xi")) == "an"


def test_remaining_after_the_whole_word_is_empty() -> None:
    for typed in ("touteng", "xiongtong", "tangn", "NiHao"):
        whole = candidates(typed)[0]
        assert whole.letters == typed
        assert remaining(typed, whole) == ""


def test_the_keyboard_can_convert_an_input_pick_by_pick() -> None:
    typed, picked = "tou'teng", ""
    while typed:
        choice = next(c for c in candidates(typed) if len(c.text) == 1)
        picked += choice.text
        typed = remaining(typed, choice)
    assert picked == "头疼"


def test_remaining_refuses_a_candidate_for_other_letters() -> None:
    with pytest.raises(ValueError):
        remaining("touteng", Candidate("你", "ni"))


# --- The corpus decides the ranking -----------------------------------------------------


def test_a_corpus_where_a_character_is_frequent_puts_it_first() -> None:
    assert texts("shi")[0] != "侍"
    index = build_index(["侍卫在侍奉。" * 20])
    assert [c.text for c in candidates("shi", index=index)][0] == "侍"


def test_a_library_directory_counts_the_body_and_questions_only(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(
        "+++\n"
        'title = "侍侍侍侍侍侍侍侍"\n'
        'keywords = ["侍侍侍侍侍侍侍侍"]\n'
        'questions = ["视力怎么样？", "视力"]\n'
        "+++\n"
        "失眠。\n",
        encoding="utf-8",
    )
    index = build_index(tmp_path)
    assert [c.text for c in candidates("shi", index=index)][:2] == ["视", "失"]


def test_a_word_frequent_in_the_corpus_becomes_a_candidate() -> None:
    # 西安 is not in pypinyin's phrase list; a corpus that uses it makes it a word.
    index = build_index(["我去西安。", "西安很大。", "到了西安。"])
    assert [c.text for c in candidates("xi'an", index=index)][0] == "西安"
    assert "西安" not in [c.text for c in candidates("xi'an", index=build_index(["我去西安。"]))]


def test_a_corpus_must_be_a_path_or_texts() -> None:
    with pytest.raises(TypeError):
        build_index("侍")  # type: ignore[arg-type]
