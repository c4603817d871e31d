"""Properties of the dose filter, on generated sentences (issue 21, case 9).

No number with a unit survives it, written in digits or in words, in English
or Chinese, whatever plain words stand around it; and a sentence with neither a
unit nor a frequency passes unchanged, whatever numbers it has.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chatapp.safety.scope import DoseFilter, states_a_dose

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ZH_DIGITS = "零一二三四五六七八九"

# The units of the issue and the forms they are written in.
EN_UNITS = ["mg", "milligram", "milligrams", "microgram", "micrograms", "mcg", "g", "gram",
            "grams", "ml", "mL", "millilitre", "millilitres", "milliliters", "teaspoon",
            "teaspoons", "tablespoons", "tablet", "tablets", "pill", "pills", "capsule",
            "capsules", "puff", "puffs", "drop", "drops", "unit", "units", "sprays",
            "lozenges", "sachets", "patches"]
EN_MEASURES = ["milligram", "microgram", "gram", "millilitre", "teaspoon", "tablespoon"]
ZH_UNITS = ["毫克", "微克", "克", "毫升", "片", "粒", "颗", "丸", "滴", "喷", "单位", "袋", "贴",
            "勺", "mg", "ml"]
EN_TAKING = ["take it", "give it", "use them", "take the tablets", "give the medicine"]

# Plain words: none is a unit, a frequency or a number.
EN_WORDS = ["the", "a", "you", "your", "doctor", "child", "can", "should", "with", "after",
            "water", "food", "morning", "night", "adults", "please", "medicine", "syrup",
            "it", "and", "then", "ask", "take", "give", "usually", "of", "for", "each",
            "people", "about", "when", "pain", "fever", "before", "bed", "is", "safe"]
ZH_WORDS = ["我们", "医生", "孩子", "成人", "可以", "需要", "早上", "晚上", "饭后", "喝水", "药物",
            "服用", "注意", "如果", "身体", "发烧", "疼痛", "记得", "然后", "大人", "糖浆"]
# Things counted that are not a dose.
EN_NOUNS = ["people", "years", "weeks", "minutes", "steps", "glasses", "cups", "kilograms",
            "pounds", "miles", "children", "days", "meals", "nights", "adults", "servings"]
ZH_NOUNS = ["个人", "年", "天", "周", "分钟", "岁", "公斤", "步", "杯水", "个孩子", "顿饭", "斤"]


def en_words(n: int, rnd: st.DataObject) -> str:
    """``n`` (1-999999) in English words, in one of the ways people write it."""
    if n >= 1000:
        rest = n % 1000
        head = f"{en_words(n // 1000, rnd)} thousand"
        return head if not rest else f"{head}{rnd.draw(st.sampled_from([' ', ' and ']))}" \
            f"{en_words(rest, rnd)}"
    if n >= 100:
        rest = n % 100
        lead = "a" if n // 100 == 1 and rnd.draw(st.booleans()) else ONES[n // 100]
        head = f"{lead} hundred"
        return head if not rest else f"{head}{rnd.draw(st.sampled_from([' ', ' and ']))}" \
            f"{en_words(rest, rnd)}"
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] if not ones else \
        f"{TENS[tens]}{rnd.draw(st.sampled_from(['-', ' ']))}{ONES[ones]}"


def zh_words(n: int, rnd: st.DataObject) -> str:
    """``n`` (1-9999) in Chinese numerals; 两 for a leading 2 of 百 and 千, as said."""
    if n < 10:
        return ZH_DIGITS[n]
    if n < 20 and rnd.draw(st.booleans()):
        return "十" + (ZH_DIGITS[n % 10] if n % 10 else "")
    out, gap = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        word = "两" if digit == 2 and name in "百千" and name and rnd.draw(st.booleans()) \
            else ZH_DIGITS[digit]
        out += word + name
    return out


@st.composite
def en_number(draw) -> str:
    rnd = draw(st.data())
    kind = draw(st.sampled_from(["digits", "decimal", "words", "fraction"]))
    n = draw(st.integers(1, 5000))
    if kind == "digits":
        return str(n)
    if kind == "decimal":
        return f"{draw(st.integers(0, 99))}.{draw(st.integers(1, 9))}"
    if kind == "words":
        return en_words(n, rnd)
    return draw(st.sampled_from(["half a", "a half", "one and a half", "a quarter of a",
                                 "two and a half", "a couple of", "half of a"]))


@st.composite
def zh_number(draw) -> str:
    rnd = draw(st.data())
    kind = draw(st.sampled_from(["digits", "decimal", "words", "mixed", "half"]))
    n = draw(st.integers(1, 9999))
    if kind == "digits":
        return str(n)
    if kind == "decimal":
        whole = n % 100 or 1
        return draw(st.sampled_from([f"{whole}.{n % 7 + 1}", f"{zh_words(whole, rnd)}点五"]))
    if kind == "words":
        return zh_words(n, rnd)
    if kind == "mixed":  # 2百, 5千
        return f"{draw(st.integers(1, 9))}{draw(st.sampled_from(['百', '千']))}"
    return "半"


@st.composite
def en_dose(draw) -> tuple[str, str]:
    """(sentence, the dose in it) with plain words around it."""
    kind = draw(st.sampled_from(["amount", "amount", "measure", "every", "times"]))
    if kind == "amount":
        number = draw(en_number())
        unit = draw(st.sampled_from(EN_UNITS))
        joint = draw(st.sampled_from(["", " ", "-"])) if number[-1].isdigit() else " "
        dose = f"{number}{joint}{unit}"
    elif kind == "measure":
        unit = draw(st.sampled_from(EN_MEASURES))
        dose = f"{'an' if unit[0] in 'aeiou' else 'a'} {unit}"
    elif kind == "every":
        count = draw(st.integers(1, 72))
        said = str(count) if draw(st.booleans()) else en_words(count, draw(st.data()))
        dose = f"every {said} hours"
    else:
        count = draw(st.integers(1, 6))
        said = {1: "once", 2: "twice"}.get(count) if draw(st.booleans()) else None
        said = said or f"{en_words(count, draw(st.data()))} times"
        dose = f"{draw(st.sampled_from(EN_TAKING))} {said} a day"
    before = draw(st.lists(st.sampled_from(EN_WORDS), max_size=6))
    after = draw(st.lists(st.sampled_from(EN_WORDS), max_size=6))
    sentence = " ".join([*before, dose, *after])
    return sentence[0].upper() + sentence[1:] + ".", dose


@st.composite
def zh_dose(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(["amount", "amount", "every", "times"]))
    rnd = draw(st.data())
    if kind == "amount":
        number, unit = draw(zh_number()), draw(st.sampled_from(ZH_UNITS))
        assume(not (unit == "克" and number.endswith("千")))  # 千克 is a kilogram
        dose = f"{number}{unit}"
    elif kind == "every":
        said = zh_words(draw(st.integers(1, 72)), rnd) if draw(st.booleans()) \
            else str(draw(st.integers(1, 72)))
        dose = f"每{draw(st.sampled_from(['', '隔']))}{said}{draw(st.sampled_from(['', '个']))}小时"
    else:
        said = zh_words(draw(st.integers(1, 6)), rnd).replace("二", "两")
        dose = f"{draw(st.sampled_from(['一天', '每天', '每日']))}" \
            f"{draw(st.sampled_from(['', '吃', '服']))}{said}次"
    before = "".join(draw(st.lists(st.sampled_from(ZH_WORDS), max_size=4)))
    after = "".join(draw(st.lists(st.sampled_from(ZH_WORDS), max_size=4)))
    return f"{before}{dose}{after}。", dose


def filtered(text: str, step: int, language: str) -> tuple[str, int]:
    f = DoseFilter(language)
    out = "".join(f.feed(text[i:i + step]) for i in range(0, len(text), step)) + f.flush()
    return out, f.removed


@SETTINGS
@given(st.one_of(en_dose().map(lambda d: (*d, "en")), zh_dose().map(lambda d: (*d, "zh"))),
       st.integers(1, 7))
def test_no_dose_survives_the_filter(case, step) -> None:
    sentence, dose, language = case
    out, removed = filtered(sentence, step, language)
    assert removed == 1, sentence
    assert dose not in out and out == DoseFilter(language).referral


@SETTINGS
@given(st.data())
def test_sentences_without_a_unit_or_frequency_pass_unchanged(data) -> None:
    if data.draw(st.booleans()):
        parts = data.draw(st.lists(st.one_of(
            st.sampled_from(EN_WORDS),
            st.tuples(en_number().filter(lambda n: not n.endswith((" a", " of"))),
                      st.sampled_from(EN_NOUNS)).map(" ".join)), min_size=1, max_size=10))
        sentence, language = " ".join(parts) + ".", "en"
    else:
        parts = data.draw(st.lists(st.one_of(
            st.sampled_from(ZH_WORDS),
            st.tuples(zh_number(), st.sampled_from(ZH_NOUNS)).map("".join)),
            min_size=1, max_size=8))
        sentence, language = "".join(parts) + "。", "zh"
    assert not states_a_dose(sentence), sentence
    assert filtered(sentence, data.draw(st.integers(1, 7)), language) == (sentence, 0)
