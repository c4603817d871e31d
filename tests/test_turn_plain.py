"""The level's plain-language edits in the turn pipeline, on a scripted engine."""

from __future__ import annotations

from fake_engine import ScriptedEngine

from chatapp.literacy import simplify
from chatapp.turn import Assistant

# Streamed in small pieces that cut words and sentences, as a model does.
ANSWER = ("Hypertension is common, and it often has no signs. Sig", "ns include head",
          "ache, tiredness and blurred vision. Take your medi", "cation every day.")
WHOLE = "".join(ANSWER)


def test_a_basic_answer_streams_with_plain_words_and_lists() -> None:
    shown: list[str] = []
    result = Assistant(ScriptedEngine(list(ANSWER))).answer(
        "What is high blood pressure?", on_token=shown.append)
    assert "".join(shown) == result.answer == simplify(WHOLE, "basic", "en").strip()
    assert result.answer.startswith("High blood pressure is common. It often has no signs.")
    assert "- blurred vision" in result.answer and "medicine" in result.answer
    assert not result.replaces_stream  # the patient read these words as they came


def test_each_level_gets_its_own_edits() -> None:
    standard = Assistant(ScriptedEngine(list(ANSWER))).answer("Q?", level="standard")
    advanced = Assistant(ScriptedEngine(list(ANSWER))).answer("Q?", level="advanced")
    assert standard.answer == simplify(WHOLE, "standard", "en").strip()
    assert "High blood pressure is common, and" in standard.answer  # words only
    assert advanced.answer == WHOLE  # advanced readers get the text as written


def test_the_plain_baseline_gets_no_edits() -> None:
    result = Assistant(ScriptedEngine(list(ANSWER)), literacy=False).answer("Q?")
    assert result.answer == WHOLE


def test_a_sentence_held_when_a_loop_is_cut_off_is_still_shown() -> None:
    engine = ScriptedEngine(["Eat well every day, and you will feel better. ", "Sleep well. ",
                             "Eat well every day, and you will feel better. ", "Sleep well. "] * 2)
    result = Assistant(engine).answer("How do I stay healthy?")
    assert result.stop_reason == "repeating"
    assert result.answer == "Eat well every day. You will feel better. Sleep well."


def test_a_chinese_answer_is_not_edited() -> None:
    text = "高血压很常见，要少吃盐。"
    assert Assistant(ScriptedEngine([text])).answer("什么是高血压？").answer == text


def test_a_sentence_is_shown_as_soon_as_it_ends() -> None:
    # The dose filter, the repeat guard and the plain words split the text once:
    # each as a filter of its own held every sentence one sentence longer.
    pieces = ["Drink water.", " Rest", " well.", " See", " a doctor", " soon."]
    taken: list[str] = []

    class Recorded(ScriptedEngine):
        def stream(self, messages, **kwargs):
            inner = super().stream(messages, **kwargs)

            def run(done):
                for piece in inner:
                    taken.append(piece)
                    yield piece
                done(inner.stats)

            return type(inner)(run)

    seen_after: list[int] = []
    Assistant(Recorded(pieces)).answer(
        "Q?", on_token=lambda _: seen_after.append(len(taken)))
    # "Drink water." ends when " Rest" brings the space after it.
    assert seen_after[0] == 2
