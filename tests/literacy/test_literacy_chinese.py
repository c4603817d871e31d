"""The Chinese measure: the official common-character list, known texts, targets, badges."""

from __future__ import annotations

import re
import tomllib

import pytest

from chatapp.literacy import Level, Readability, badge, easiest_level, meets_target, score_text
from chatapp.resources import resource_path

SIMPLE = "高血压就是血压太高。很多人没有感觉。所以要常去量血压。少吃盐，多走路。有问题就去看医生。"
PLAIN = (
    "糖尿病是一种常见的慢性病。身体不能正常利用血液里的糖，血糖就会升高。"
    "时间长了，可能会伤害眼睛、肾脏和双脚。按时吃药、合理饮食和适量运动，可以帮助控制血糖。"
)
DENSE = (
    "高血压是以体循环动脉血压增高为主要特征的临床综合征，可伴有心、脑、肾等靶器官的功能性或"
    "器质性损害，是心脑血管疾病最重要的危险因素，其发病机制涉及肾素－血管紧张素－醛固酮系统激活、"
    "交感神经系统亢进及血管内皮功能障碍等多种病理生理过程。"
)
DRUG = (
    "二甲双胍通过抑制肝糖原异生、增加外周组织对葡萄糖的摄取和利用而降低血糖，常见不良反应包括"
    "胃肠道症状，罕见乳酸性酸中毒，禁用于估算肾小球滤过率显著降低者。"
)


def lists() -> dict[str, str]:
    with resource_path("literacy", "common_chars_zh.toml").open("rb") as fh:
        data = tomllib.load(fh)["lists"]
    return {name: re.sub(r"\s", "", text) for name, text in data.items()}


def test_the_official_list_has_2500_and_1000_distinct_characters() -> None:
    common, second = lists()["common"], lists()["second"]
    assert (len(common), len(set(common))) == (2500, 2500)
    assert (len(second), len(set(second))) == (1000, 1000)
    assert not set(common) & set(second)
    assert all("\u4e00" <= c <= "\u9fff" for c in common + second)
    # The list's own order (by stroke count) begins and ends as published.
    assert common.startswith("一乙二十丁厂七卜人入") and common.endswith("霸露囊罐")
    assert second.startswith("匕刁丐歹戈") and second.endswith("镶瓤矗")


@pytest.mark.parametrize("char, part", [
    ("的", "common"), ("病", "common"), ("血", "common"), ("药", "common"), ("医", "common"),
    ("癌", "second"), ("胰", "second"), ("疹", "second"),
    ("靶", "second"), ("综", "second"), ("胍", None), ("醛", None), ("酮", None),
])
def test_characters_are_where_the_list_puts_them(char, part) -> None:
    found = [name for name, text in lists().items() if char in text]
    assert found == ([part] if part else [])


@pytest.mark.parametrize("text, han, sentences, uncommon", [
    (SIMPLE, 38, 5, ""),
    (PLAIN, 68, 4, ""),
    (DENSE, 107, 1, "综靶醛酮亢"),
    (DRUG, 71, 1, "胍抑罕"),
    ("多喝水，多休息！发烧了吗？", 10, 2, ""),
    ("- 第一步：量血压\n- 第二步：记下来", 12, 2, ""),
    ("一行没有句号\n接着写完。", 10, 1, ""),  # a wrapped line is one paragraph
])
def test_chinese_measure_of_known_texts(text, han, sentences, uncommon) -> None:
    r = score_text(text, "zh")
    assert (r.words, r.sentences) == (han, sentences)
    assert r.sentence_length == pytest.approx(han / sentences)
    assert r.common_share == pytest.approx((han - len(uncommon)) / han)
    assert r.grade is None and r.fk_grade is None and r.smog is None


def test_plain_chinese_scores_easier_than_clinical_chinese() -> None:
    simple, dense = score_text(SIMPLE, "zh"), score_text(DENSE, "zh")
    assert simple.sentence_length < dense.sentence_length
    assert simple.common_share > dense.common_share


@pytest.mark.parametrize("text, level", [
    (SIMPLE, Level.BASIC),
    (PLAIN, Level.STANDARD),  # 17 characters a sentence
    (DENSE, None),
    (DRUG, None),
])
def test_easiest_level_of_known_texts(text, level) -> None:
    assert easiest_level(score_text(text, "zh")) == level


@pytest.mark.parametrize("length, share, level, meets", [
    (15.0, 0.97, "basic", True),
    (15.1, 0.97, "basic", False),
    (15.0, 0.969, "basic", False),
    (20.0, 0.95, "standard", True),
    (20.5, 1.0, "standard", False),
    (25.0, 0.93, "advanced", True),
    (25.0, 0.92, "advanced", False),
])
def test_chinese_targets(length, share, level, meets) -> None:
    r = Readability("zh", 4, int(length * 4), length, common_share=share)
    assert meets_target(r, level) is meets


@pytest.mark.parametrize("text, shown", [
    (SIMPLE, "容易读"),
    (PLAIN, "比较容易读"),
    (DENSE, "难读"),
    ("", ""),
])
def test_chinese_badge_names_a_level_not_a_grade(text, shown) -> None:
    assert badge(score_text(text, "zh")) == shown


@pytest.mark.parametrize("text, han, sentences", [
    ("我得了COVID-19，怎么办？要吃Paracetamol吗？", 9, 2),
    ("血压 (blood pressure) 太高。Eat less salt. 少吃盐。", 7, 2),
    ("体温38.5度。", 3, 1),  # a decimal point does not end the sentence
    ("Only English here.", 0, 0),
])
def test_mixed_text_counts_only_han_characters(text, han, sentences) -> None:
    r = score_text(text, "zh")
    assert (r.words, r.sentences) == (han, sentences)
    assert r.measurable is (han > 0)


def test_traditional_and_rare_characters_count_as_uncommon() -> None:
    r = score_text("高血壓很常見。", "zh")  # 壓 and 見 are traditional forms
    assert r.words == 6 and r.common_share == pytest.approx(4 / 6)
