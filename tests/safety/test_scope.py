from __future__ import annotations

import pytest

from chatapp.safety.scope import DoseFilter, expand_parts, scope_request, states_a_dose


def filtered(text: str, language: str = "en", step: int = 3) -> tuple[str, int]:
    f = DoseFilter(language)
    out = "".join(f.feed(text[i:i + step]) for i in range(0, len(text), step)) + f.flush()
    return out, f.removed


@pytest.mark.parametrize("sentence", [
    "Adults usually take 200 to 400 mg every 4 to 6 hours.",
    "Take 2 tablets with water.",
    "Give 5 mL of the syrup.",
    "Use two puffs of the inhaler.",
    "Inject 10 units before meals.",
    "Take half a tablet at night.",
    "You can take it every 6 hours.",
    "Take 1.5g of it.",
    "成人一次吃2片。",
    "每次服用500毫克。",
    "每6小时一次。",
])
def test_doses_are_recognised(sentence) -> None:
    assert states_a_dose(sentence)


# Issue 21, case 9: doses written in words, which the filter let through.
@pytest.mark.parametrize("sentence", [
    "Give two hundred milligrams every six hours.",
    "take ten milligrams",
    "Adults can take two hundred and fifty mg.",
    "Take one and a half tablets.",
    "Give a quarter of a tablet.",
    "Twenty-five micrograms is enough.",
    "Give a teaspoon of the syrup.",
    "Take a tablet at night.",
    "A hundred milligrams at night.",
    "Take twelve units.",
    "Use it every four to six hours.",
    "Every twenty-four hours.",
    "Take it three times a day.",
    "Three times a day with food.",
    "Two sprays in each nostril.",
    "Use 1 patch a day.",
    "Take 5 µg daily.",  # the micro sign: NFKC makes it a Greek mu
    "两百毫克。",
    "十毫克。",
    "每次两百五十毫克。",
    "每次2百毫克。",
    "一次一点五克。",
    "每隔四到六个小时一次。",
    "每六小时。",
    "一天三次。",
    "一天吃两次。",
    "每日二次。",
    "注射十个单位。",
    "一天一次饭后。",
    "每次1克服用。",
])
def test_doses_in_words_are_recognised(sentence) -> None:
    assert states_a_dose(sentence)


@pytest.mark.parametrize("sentence", [
    "Drink plenty of water.",
    "Ask your pharmacist which painkiller suits you.",
    "High blood pressure affects many adults over 40 years old.",
    "Walk for 30 minutes most days.",
    "多喝水，多休息。",
    # Numbers with other words, and units that are not a dose.
    "There are 5 good ways to sleep better.",
    "Drink 2 glasses of water.",
    "It takes about 2 GB of disk.",
    "Try to lose five kilograms.",
    "Two doses of the vaccine protect you.",
    "Brush your teeth twice a day.",
    "One in three adults has it.",
    "Check your feet every day.",
    "She missed a pill.",
    "A drop in blood pressure can make you dizzy.",
    "Even a puff on a cigarette harms you.",
    "减掉五千克体重。",
    "偶尔吸了一支烟并不代表失败。",
    "第二片叶子。",
    "一次就够了。",
    "两个人一起散步。",
    "困难要一一克服。",
    "每天吃三次饭。",
])
def test_ordinary_sentences_pass(sentence) -> None:
    assert not states_a_dose(sentence)


def test_dose_sentences_are_replaced_once_by_a_referral() -> None:
    text = ("Ibuprofen can ease pain. Adults take 400 mg every 6 hours. "
            "Do not take it on an empty stomach. Never take more than 6 tablets a day.")
    out, removed = filtered(text)
    assert removed == 2
    assert "mg" not in out and "6 tablets" not in out
    assert out.count("ask your pharmacist or doctor") == 1
    assert out.startswith("Ibuprofen can ease pain. For the right dose")
    assert "Do not take it on an empty stomach." in out


def test_no_dose_is_shown_even_briefly() -> None:
    f = DoseFilter()
    shown = ""
    for piece in ["Take ", "2 ", "tab", "lets ", "now."]:
        shown += f.feed(piece)
        assert "2 tab" not in shown
    shown += f.flush()
    assert "2 tab" not in shown


def test_chinese_doses_are_filtered() -> None:
    out, removed = filtered("布洛芬可以止痛。成人一次吃2片。请咨询医生。", "zh", step=2)
    assert removed == 1 and "2片" not in out
    assert "药剂师" in out


@pytest.mark.parametrize("text, kind", [
    ("How much paracetamol can I take?", "dose"),
    ("what's the dose of ibuprofen for a child", "dose"),
    ("Do I have diabetes?", "diagnosis"),
    ("what is wrong with me", "diagnosis"),
    ("Can I stop taking my blood pressure pills?", "medication_change"),
    ("should i double my metformin", "medication_change"),
    ("布洛芬一次吃几片？", "dose"),
    ("我是不是得了糖尿病", "diagnosis"),
    ("降压药可以停药吗", "medication_change"),
    ("What is high blood pressure?", None),
    # Lowering a health measure is a lifestyle question, not a medicine change.
    ("What is high blood pressure and how can I lower it?", None),
    ("How can I lower my cholesterol?", None),
    ("Can I lower my blood sugar with food?", None),
    ("Should I reduce my insulin?", "medication_change"),
    ("can i stop it", "medication_change"),
    # "How much" about a health habit is a lifestyle question, not a dose...
    ("How much should I exercise each week?", None),
    ("How much should I walk every day?", None),
    ("How much water should I drink?", None),
    ("how many hours of sleep should I have", None),
    # ...unless a medicine is named too; real dose questions keep the referral.
    ("how much ibuprofen can I take", "dose"),
    ("How much should I take?", "dose"),
    ("how much water should i drink with my pills", "dose"),
    ("how many hours apart can i take ibuprofen", "dose"),
    ("how much vitamin d should I have", "dose"),
    ("每天喝多少水", None),
    ("每周运动多少才够", None),
    ("每天喝多少水吃药", "dose"),
])
def test_scope_requests(text, kind) -> None:
    request = scope_request(text, "en")
    assert (request.kind if request else None) == kind
    if request:
        assert "doctor" in request.referral or "pharmacist" in request.referral


def test_dose_parts_are_expanded_and_regex_repeats_are_kept() -> None:
    parts = {"unit": "(?:mg|ml)", "dose": r"\d+\s*{unit}"}
    assert expand_parts(r"{dose}.{0,40}{other}", parts) == r"\d+\s*(?:mg|ml).{0,40}{other}"
    with pytest.raises(ValueError, match="refers to itself"):
        expand_parts("{a}", {"a": "x{b}", "b": "{a}"})
