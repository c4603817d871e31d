"""Text for a voice: what ``speakable`` keeps, drops and rewords, in both languages."""

from __future__ import annotations

import pytest

from chatapp.speech_text import speakable

ARTICLE = """# Chest pain

**When to worry**: chest pain that lasts ≥ 15 minutes. See [the NHS page](https://www.nhs.uk/x)
or www.cdc.gov/heart.
More text on a
second line

- Call *911*
- Rest and `wait`

| Test | Result |
|---|---|
| BP | 120 |

---

## Sources
- MedlinePlus: Chest pain: https://medlineplus.gov/chestpain.html
- NHS: <https://www.nhs.uk/conditions/chest-pain/>

## Check your understanding
**1. What should you do?**
"""


def test_markdown_marks_links_and_addresses_are_not_read_out():
    said = speakable(ARTICLE)
    for symbol in ("#", "*", "`", "|", "[", "](", "http", "www", ".gov", "---"):
        assert symbol not in said
    assert "See the NHS page or." in said  # the link's words stay, its address goes


def test_headings_and_list_items_end_with_a_pause_and_lines_of_a_paragraph_join():
    said = speakable(ARTICLE)
    assert said.startswith("Chest pain. When to worry: chest pain that lasts at least 15")
    assert "More text on a second line." in said
    assert "Call 911. Rest and wait." in said
    assert "Test, Result. BP, 120." in said


def test_the_sources_list_is_skipped_and_reading_goes_on_after_it():
    said = speakable(ARTICLE)
    assert "MedlinePlus" not in said and "NHS:" not in said
    assert said.endswith("Check your understanding. 1. What should you do?")
    # An answer's "Sources:" line with the list under it.
    answer = "Rest and drink water.\n\nSources:\n- Flu: https://example.org/flu\n"
    assert speakable(answer) == "Rest and drink water."


def test_chinese_gets_chinese_pauses_and_words_and_no_spaces_inside_words():
    text = ("# 胸痛\n**什么时候 要担心**：胸痛 超过 15 分钟，血压 ≥ 140。\n- 拨打 120\n"
            "## 来源\n- 美国: https://x.org\n")
    said = speakable(text, "zh")
    assert said == "胸痛。什么时候要担心：胸痛超过 15 分钟，血压大于或等于 140。拨打 120。"


@pytest.mark.parametrize("text", ["", "   \n\n", "## Sources\n- A: https://a.org\n",
                                  "https://only.example.org"])
def test_nothing_to_say_gives_an_empty_text(text):
    assert speakable(text) == ""


def test_symbols_become_words_of_the_texts_language():
    assert speakable("Take it 2 × a day & rest.") == "Take it 2 times a day and rest."
    assert speakable("每天 2 × 次") == "每天 2 times 次."  # read as English: its words
    assert speakable("每天 2 × 次", "zh") == "每天 2 乘以次。"
