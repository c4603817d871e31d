"""The turn pipeline on a scripted engine: knowledge → literacy → model → storage."""

from __future__ import annotations

import dataclasses

import pytest
from english_only import english_only_index
from fake_engine import ScriptedEngine

from chatapp.knowledge import LibraryIndex
from chatapp.literacy import Level, score_text, simplify
from chatapp.storage import StoreLocation, TurnLog, open_store
from chatapp.turn import (
    Assistant,
    QuestionError,
    Turn,
    clip,
    is_small_talk,
    passage_text,
    turn_language,
    turn_texts,
)
from chatapp.turn.filters import RepeatGuard
from chatapp.turn.grounding import keeps_to_passages
from chatapp.turn.prompts import PASSAGE_CHARS

# Far over grade 6: long sentences of long words.
DENSE = ("Hypertension, characterised by persistently elevated arterial pressure, "
         "substantially increases cardiovascular morbidity and necessitates comprehensive "
         "pharmacological management alongside considerable dietary modification.")
DENSER = ("Hypertension, characterised by persistently elevated systemic arterial pressure "
          "measurements, substantially and progressively increases cardiovascular and "
          "cerebrovascular morbidity, consequently necessitating comprehensive, individualised "
          "pharmacological management alongside considerable, sustained dietary modification.")
# DENSE as a basic-level patient sees it stream: with the level's plain-language edits.
PLAIN_DENSE = simplify(DENSE, "basic", "en")
SIMPLE = ("High blood pressure means your blood pushes too hard. It can hurt your heart. "
          "Eat less salt. Walk each day. Ask your doctor to check it.")


@pytest.fixture(scope="module")
def library() -> LibraryIndex:
    return LibraryIndex.load()


@pytest.fixture
def store(tmp_path):
    s = open_store(StoreLocation.in_data_dir(tmp_path))
    yield s
    s.close()


@pytest.fixture
def conversation(store):
    return store.create_conversation(store.create_profile("Ana").id)


def system_of(call: list[dict]) -> str:
    return call[0]["content"]


# --- knowledge ---------------------------------------------------------------------


def test_passages_reach_the_prompt_before_the_question(library) -> None:
    engine = ScriptedEngine([SIMPLE])
    result = Assistant(engine, library=library).answer("What is asthma?")
    (call,) = engine.calls
    asked = call[-1]
    assert asked["role"] == "user"
    # The question, then the passages, each under its article and section.
    assert asked["content"].startswith(f"What is asthma?\n\n{turn_texts('en').passages}\n\n"
                                       "Asthma and inhalers - What is asthma?:\n")
    assert turn_texts("en").grounding in system_of(call)
    assert result.sources[0]["id"] == "asthma-and-inhalers"


def test_passages_are_clipped_at_a_sentence_end(library) -> None:
    engine = ScriptedEngine([SIMPLE])
    assistant = Assistant(engine, library=library)
    found = assistant.retrieve("my sugar is high", "en")
    assistant.answer("my sugar is high")
    asked = engine.calls[0][-1]["content"]
    for passage in found:
        shown = clip(passage.text, PASSAGE_CHARS["en"])
        assert shown in asked
        assert len(shown) <= PASSAGE_CHARS["en"]
        assert shown.endswith((".", "…", ":", "?", "!")) or shown == passage.text.strip()


def test_sources_are_returned_and_stored(library, store, conversation) -> None:
    engine = ScriptedEngine([SIMPLE])
    result = Assistant(engine, library=library).answer(
        "What is high blood pressure?", log=TurnLog(store, conversation.id))
    article = library.article("high-blood-pressure", "en")
    first = result.sources[0]
    assert first == {"id": "high-blood-pressure", "title": article.title, "language": "en",
                     "url": article.sources[0].url, "urls": [s.url for s in article.sources]}
    assert len({s["id"] for s in result.sources}) == len(result.sources)  # one per article
    _, saved = store.messages(conversation.id)
    assert saved.sources == result.sources
    assert saved.content == result.answer


def test_a_prompt_without_passages_says_the_library_has_none(library) -> None:
    prompts = Assistant(ScriptedEngine(), library=library).prompts
    messages = prompts.for_question("What is asthma?", passages=()).messages
    assert turn_texts("en").no_passages in system_of(messages)
    assert turn_texts("en").grounding not in system_of(messages)
    assert messages[-1] == {"role": "user", "content": "What is asthma?"}


def test_a_question_the_library_does_not_cover_is_not_put_to_the_model(
        library, store, conversation) -> None:
    engine = ScriptedEngine()
    shown: list[str] = []
    result = Assistant(engine, library=library).answer(
        "What is lupus?", on_token=shown.append, log=TurnLog(store, conversation.id))
    assert engine.calls == []  # asked anyway, the built-in model made an answer up
    assert result.stop_reason == "not_covered" and result.answer == turn_texts("en").not_covered
    assert result.sources == () and result.related == ()
    assert result.generation.model == turn_texts("en").library_model
    assert "".join(shown) == result.answer
    assert result.readability["fk_grade"] <= result.target_grade
    _, saved = store.messages(conversation.id)
    assert (saved.content, saved.status, saved.sources) == (result.answer, "complete", ())


def test_not_covered_names_the_closest_topics_but_cites_none(library) -> None:
    engine = ScriptedEngine()
    result = Assistant(engine, library=library).answer("how is glaucoma treated")
    assert engine.calls == [] and result.stop_reason == "not_covered"
    texts = turn_texts("en")
    assert result.answer.startswith(f"{texts.not_covered}\n\n{texts.closest_topics}\n- ")
    assert result.related and result.sources == ()  # not drawn from them: not sources
    for topic in result.related:
        assert f"- {topic['title']}" in result.answer
        assert library.article(topic["id"], topic["language"]) is not None


def test_not_covered_in_chinese(library) -> None:
    engine = ScriptedEngine()
    result = Assistant(engine, library=library).answer("红斑狼疮是什么")
    assert engine.calls == [] and result.answer.startswith(turn_texts("zh").not_covered)


@pytest.mark.parametrize(("message", "language"), [
    ("Hello!", "en"), ("hi there", "en"), ("Thank you very much.", "en"), ("OK, thanks", "en"),
    ("你好", "zh"), ("谢谢！", "zh")])
def test_a_greeting_or_thanks_gets_a_friendly_prompt_not_the_not_covered_answer(
        library, store, conversation, message, language) -> None:
    engine = ScriptedEngine()
    result = Assistant(engine, library=library).answer(
        message, log=TurnLog(store, conversation.id))
    assert engine.calls == [] and result.stop_reason == "small_talk"
    assert result.answer == turn_texts(language).small_talk
    assert result.sources == () and result.related == ()
    _, saved = store.messages(conversation.id)
    assert (saved.content, saved.status) == (result.answer, "complete")


def test_a_greeting_with_a_question_in_it_is_a_question(library) -> None:
    engine = ScriptedEngine([SIMPLE])
    result = Assistant(engine, library=library).answer("Hello, what is asthma?")
    assert len(engine.calls) == 1 and result.stop_reason not in ("small_talk", "not_covered")
    assert not is_small_talk("Hello, what is asthma?") and is_small_talk("  HELLO!!  ")
    assert is_small_talk("ＨＥＬＬＯ！")  # typed in full width, as some input methods do


def test_a_follow_up_is_covered_by_the_question_before_it(library) -> None:
    follow_up = "how do I know if I have it?"
    assert not library.covers(follow_up, "en")  # on its own it names no topic
    history = [Turn("user", "what is the flu?"), Turn("assistant", "The flu is an illness.")]
    engine = ScriptedEngine([SIMPLE], [SIMPLE])
    result = Assistant(engine, library=library).answer(follow_up, history)
    assert engine.calls and result.stop_reason != "not_covered"
    # A follow-up on a topic the library lacks is still not covered.
    engine = ScriptedEngine()
    result = Assistant(engine, library=library).answer("and what about lupus?", history)
    assert engine.calls == [] and result.stop_reason == "not_covered"


@pytest.mark.parametrize("answer", [
    "You've already written a great summary of the information. I'll just add a few more "
    "tips to make it even more helpful.",
    "You are a doctor.",
    "Here is the answer: The answer is:"])
def test_an_answer_not_from_its_passages_is_replaced_by_the_librarys_words(
        library, store, conversation, answer) -> None:
    # Answers the built-in model gave (benchmarks/eval_grounding.py and the
    # readability questions): the passages read as the patient's own text.
    engine = ScriptedEngine([answer])
    shown: list[str] = []
    result = Assistant(engine, library=library).answer(
        "What is high blood pressure?", on_token=shown.append,
        log=TurnLog(store, conversation.id))
    assert result.edits.off_passages and result.edits.fallback and result.replaces_stream
    assert result.answer.startswith(turn_texts("en").fallback_library)
    assert "Blood pressure is the push of your blood" in result.answer
    assert [s["id"] for s in result.sources] == ["high-blood-pressure"]
    assert "".join(shown).strip() == answer.strip()  # what streamed, now replaced
    _, saved = store.messages(conversation.id)
    assert saved.content == result.answer


def test_an_answer_copied_from_its_passages_is_kept(library) -> None:
    copied = ("Blood pressure is the push of your blood on the walls of your blood vessels. "
              "High blood pressure means the push stays too high for a long time.")
    result = Assistant(ScriptedEngine([copied]), library=library).answer(
        "What is high blood pressure?")
    assert not result.edits.off_passages and not result.edits.fallback
    assert result.answer == copied


COPIED = ("Blood pressure is the push of your blood on the walls of your blood vessels. "
          "High blood pressure means the push stays too high for a long time.")


def test_an_answer_the_passages_account_for_is_kept(library) -> None:
    engine = ScriptedEngine([COPIED], scores=(-0.3, -2.3))
    result = Assistant(engine, library=library).answer("What is high blood pressure?")
    assert not result.edits.off_passages and not result.edits.fallback
    assert result.answer == COPIED
    assert result.edits.passage_gain == pytest.approx(2.0)
    # Scored against the same prompt with the bare question in place of the passages.
    (scored, tokens), = engine.scored
    asked = engine.calls[0]
    assert scored[:-1] == asked[:-1] and len(tokens) == 1
    assert scored[-1] == {"role": "user", "content": "What is high blood pressure?"}
    assert "Blood pressure is the push" in asked[-1]["content"]


def test_words_the_model_would_have_written_without_the_passages_are_replaced(
        library) -> None:
    engine = ScriptedEngine([COPIED], scores=(-1.0, -1.2))
    result = Assistant(engine, library=library).answer("What is high blood pressure?")
    assert result.edits.off_passages and result.edits.fallback
    assert result.edits.passage_gain == pytest.approx(0.2)


def test_an_answer_the_word_checks_replace_is_not_read_again(library) -> None:
    engine = ScriptedEngine(["You are a doctor."], scores=(-0.3, -2.3))
    result = Assistant(engine, library=library).answer("What is high blood pressure?")
    assert result.edits.off_passages and result.edits.passage_gain is None
    assert engine.scored == []


def test_an_engine_that_cannot_score_is_judged_without_a_gain(library) -> None:
    result = Assistant(ScriptedEngine([COPIED]), library=library).answer(
        "What is high blood pressure?")
    assert not result.edits.off_passages and result.edits.passage_gain is None


def test_keeps_to_passages_counts_the_passages_words(library) -> None:
    passages = library.search("What is high blood pressure?", "en", limit=3)
    copied = "Your heart makes this push each time it beats, and the push can stay high."
    assert keeps_to_passages(copied, passages, "What is high blood pressure?")
    assert not keeps_to_passages("Lupus affects joints, skin, kidneys and the immune system.",
                                 passages, "What is high blood pressure?")
    assert not keeps_to_passages("High blood pressure.", passages, "What is it?")  # too short
    assert not keeps_to_passages("Blood blood blood pressure pressure pressure push push "
                                 "push blood pressure push blood pressure push", passages,
                                 "What is it?")  # a loop of the passages' own words
    assert keeps_to_passages("anything at all", (), "q")  # nothing to keep to


# The built-in model's own Chinese answers (the issue 5 probe), and a copy.
ZH_LOOP = "病" * 60
ZH_LABEL_LOOP = "感冒和流感 - " * 12
ZH_MIXTURE = ("你可以请医生为您检查血糖。\n\n"
              "糖糖高血压的风险只是一个可以改变的，但是不可以改变血管。\n\n"
              "血管是指血液在血管里流动时，对血管壁产生的压力。")


def test_keeps_to_passages_in_chinese_wants_the_passages_own_runs(library) -> None:
    question = "什么是高血压？"
    passages = library.search(question, "zh", limit=3)
    assert passages[0].language == "zh"
    copied = passage_text(passages[0], Level.BASIC)
    assert keeps_to_passages(copied, passages, question, "zh")
    for junk in (ZH_LOOP, ZH_LABEL_LOOP, ZH_MIXTURE, "戒烟 - 怎样帮忙？"):
        assert not keeps_to_passages(junk, passages, question, "zh"), junk
    # A topic the library has only in English: nothing to compare a Chinese answer
    # with word for word, but a loop is still a loop.
    english = [p for p in english_only_index().search("肾脏", "zh", limit=3)
               if p.language == "en"]
    assert english and english[0].article_id == "kidney-health"
    own_words = "多喝水，少吃盐，按时复查，有不舒服要及时去看医生。"
    assert keeps_to_passages(own_words, english, "肾脏", "zh")
    assert not keeps_to_passages(ZH_LOOP, english, "肾脏", "zh")


def test_a_chinese_loop_is_replaced_by_the_librarys_chinese_text(library) -> None:
    result = Assistant(ScriptedEngine([ZH_LOOP]), library=library, language="zh").answer(
        "孩子发烧什么时候要看医生？", level="standard")
    assert result.edits.off_passages and result.edits.fallback
    assert result.answer.startswith(turn_texts("zh").fallback_library)
    best = library.search("孩子发烧什么时候要看医生？", "zh", limit=1)[0]
    assert passage_text(best, Level.STANDARD) in result.answer


@pytest.mark.parametrize("level", list(Level))
def test_each_level_reads_the_librarys_text_for_that_level(library, level) -> None:
    # The small model copies its passages: they are given at the patient's level
    # (knowledge.level_texts), the plain prompt gets the article's own (basic) text.
    question = "What is high blood pressure?"
    engine = ScriptedEngine([SIMPLE], [SIMPLE])
    found = Assistant(engine, library=library).retrieve(question, "en")
    Assistant(engine, library=library).answer(question, level=level)
    Assistant(engine, library=library, literacy=False).answer(question)
    leveled, plain = (call[-1]["content"] for call in engine.calls)
    for passage in found:
        assert passage_text(passage, level) in leveled
        assert clip(passage.text, PASSAGE_CHARS["en"]) in plain
        if level != Level.BASIC:
            assert passage.has_level(level.value)
            assert passage_text(passage, level) not in plain


def test_the_librarys_own_words_come_at_the_patients_level(library) -> None:
    question = "What is high blood pressure?"
    result = Assistant(ScriptedEngine(["You are a doctor."]), library=library).answer(
        question, level=Level.ADVANCED)
    best = library.search(question, "en", limit=1)[0]
    assert result.edits.off_passages
    assert passage_text(best, Level.ADVANCED) in result.answer
    assert result.readability["level"] == "advanced"
    # A copy of the advanced passage is an answer from the passages at that level.
    copied = passage_text(best, Level.ADVANCED)
    assert keeps_to_passages(copied, [best], question, "en", Level.ADVANCED)


def test_without_a_library_the_model_answers_every_question() -> None:
    engine = ScriptedEngine(["Ask your doctor."])
    result = Assistant(engine).answer("What is lupus?")
    assert len(engine.calls) == 1 and result.stop_reason != "not_covered"


def test_without_a_library_the_prompt_has_no_library_part() -> None:
    engine = ScriptedEngine([SIMPLE])
    result = Assistant(engine).answer("What is asthma?")
    system = system_of(engine.calls[0])
    assert "library" not in system.lower()
    assert engine.calls[0][-1] == {"role": "user", "content": "What is asthma?"}
    assert result.sources == ()


def test_a_chinese_question_is_searched_and_scored_in_chinese(library) -> None:
    engine = ScriptedEngine(["血压高的时候要少吃盐。多走路。请问医生。"])
    result = Assistant(engine, library=library).answer("我的血压高怎么办")
    assert (result.sources[0]["id"], result.sources[0]["language"]) == (
        "high-blood-pressure", "zh")
    assert turn_texts("zh").grounding in system_of(engine.calls[0])
    assert "用简体中文回答" in system_of(engine.calls[0])  # the Chinese writing rules
    assert result.readability["language"] == "zh"
    assert result.readability["common_share"] > 0.9
    assert result.readability["fk_grade"] is None


def test_writing_rules_then_passages_give_way_when_the_context_is_short(library) -> None:
    engine = ScriptedEngine([SIMPLE], [SIMPLE], [SIMPLE])
    Assistant(engine, library=library).answer("What is asthma?")
    full = engine.count_tokens(engine.calls[0])
    assert engine.calls[0][-1]["content"].count(" - ") == 3  # three passages

    def answer_within(context: int):
        engine.info = dataclasses.replace(engine.info, context_length=context)
        result = Assistant(engine, library=library, max_new_tokens=100).answer(
            "What is asthma?")
        call = engine.calls[-1]
        assert engine.count_tokens(call) <= context - 100
        assert call[0]["content"].startswith("You are CareChat")  # the rules always stay
        return call, result

    # One token short: the writing rules go first, every passage stays.
    call, result = answer_within(full + 100 - 1)
    assert "How to write" not in call[0]["content"]
    assert call[-1]["content"].count(" - ") == 3
    # Much shorter: passages go too, the weakest first.
    call, result = answer_within(full + 100 - 250)
    assert call[-1]["content"].count(" - ") < 3
    assert "Asthma and inhalers - What is asthma?:" in call[-1]["content"]
    assert result.sources[0]["id"] == "asthma-and-inhalers"


@pytest.mark.parametrize("text, expected", [
    ("What is asthma?", "en"),
    ("我的血压高怎么办", "zh"),
    ("我的BP很高", "zh"),
    ("What does 高血压 mean for me?", "en"),
    ("120/80?", "en"),  # nothing to tell: the default
])
def test_turn_language(text: str, expected: str) -> None:
    assert turn_language(text, "en") == expected


def test_turn_language_keeps_the_default_for_digits_only() -> None:
    assert turn_language("120/80", "zh") == "zh"


# --- literacy ----------------------------------------------------------------------


def test_the_level_becomes_writing_rules_in_the_prompt() -> None:
    engine = ScriptedEngine([SIMPLE], [SIMPLE], [SIMPLE])
    assistant = Assistant(engine)
    basic = assistant.answer("What is asthma?")
    advanced = assistant.answer("What is asthma?", level="advanced")
    assistant.answer("What is asthma?", answer_style="more_detail")
    assert "grade 6 or lower" in system_of(engine.calls[0])
    assert "grade 10" in system_of(engine.calls[1])
    assert "asked for more detail" in system_of(engine.calls[2])
    assert (basic.level, basic.target_grade) == ("basic", 6)
    assert (advanced.level, advanced.target_grade) == ("advanced", 10)


def test_an_easy_answer_is_kept_without_a_rewrite() -> None:
    engine = ScriptedEngine([SIMPLE])
    result = Assistant(engine).answer("What is high blood pressure?")
    assert len(engine.calls) == 1
    assert not result.edits.simplified and not result.replaces_stream
    assert result.readability["grade"] <= 6
    assert "original" not in result.readability
    assert result.readability["simplified"] is False


def test_a_dense_answer_is_rewritten_and_the_simpler_one_kept(store, conversation) -> None:
    engine = ScriptedEngine([DENSE], [SIMPLE])
    shown: list[str] = []
    statuses: list[str] = []
    result = Assistant(engine).answer("What is high blood pressure?", on_token=shown.append,
                                      log=TurnLog(store, conversation.id),
                                      on_status=statuses.append)
    assert "".join(shown).strip() == PLAIN_DENSE  # the patient saw the first answer stream
    rewrite = engine.calls[1]
    assert "too hard to read" in rewrite[-1]["content"]
    assert PLAIN_DENSE in rewrite[-1]["content"]
    assert statuses == [turn_texts("en").rewriting]
    assert result.edits.simplified and result.replaces_stream
    assert result.answer == SIMPLE
    scores = result.readability
    assert scores["fk_grade"] == pytest.approx(score_text(SIMPLE, "en").fk_grade, abs=1e-3)
    assert scores["original"]["fk_grade"] > scores["fk_grade"]
    assert scores["simplified"] is True
    _, saved = store.messages(conversation.id)
    assert saved.content == SIMPLE  # the kept text, not the streamed one
    assert saved.readability == scores
    assert saved.status == "complete"


def test_a_rewrite_that_claims_more_than_the_passages_is_dropped(library,
                                                                 monkeypatch) -> None:
    from dataclasses import replace as changed

    from chatapp.turn.grounding import GROUNDING

    # DENSE is the library's topic in hard words: no topic floor for this test.
    monkeypatch.setitem(GROUNDING, "en", changed(GROUNDING["en"], min_share=0.0))
    engine = ScriptedEngine([DENSE], [SIMPLE + " A reading of 140/90 or more is high."])
    result = Assistant(engine, library=library).answer("What is high blood pressure?")
    assert len(engine.calls) == 2 and not result.edits.fallback
    assert result.answer == PLAIN_DENSE and not result.edits.simplified
    assert result.readability["rewrite_not_grounded"] is True


def test_a_worse_rewrite_is_dropped() -> None:
    engine = ScriptedEngine([DENSE], [DENSER])
    result = Assistant(engine).answer("What is high blood pressure?")
    assert len(engine.calls) == 2
    assert result.answer == PLAIN_DENSE and not result.edits.simplified
    scores = result.readability
    assert scores["rewrite"]["fk_grade"] >= scores["original"]["fk_grade"]
    assert scores["fk_grade"] == scores["original"]["fk_grade"]


class StoppedEngine(ScriptedEngine):
    """Streams its script, then reports what the engine reports after Stop."""

    def stream(self, messages, **options):
        return _Stopped(super().stream(messages, **options))


class _Stopped:
    def __init__(self, stream) -> None:
        self._stream = stream
        self.stats = None

    def __iter__(self):
        yield from self._stream
        self.stats = dataclasses.replace(self._stream.stats, stop_reason="stopped")


def test_a_stopped_answer_is_not_rewritten(store, conversation) -> None:
    engine = StoppedEngine([DENSE])
    result = Assistant(engine).answer("What is high blood pressure?",
                                      log=TurnLog(store, conversation.id))
    assert result.stopped and result.answer == PLAIN_DENSE
    assert len(engine.calls) == 1  # no rewrite of an answer the patient stopped
    assert store.messages(conversation.id)[1].status == "cancelled"


def test_the_plain_baseline_has_no_writing_rules_and_no_rewrite() -> None:
    engine = ScriptedEngine([DENSE])
    result = Assistant(engine, literacy=False).answer("What is high blood pressure?")
    assert "How to write" not in system_of(engine.calls[0])
    assert len(engine.calls) == 1 and result.answer == DENSE
    assert result.readability["fk_grade"] > 8  # still measured


def test_a_rewrite_that_fails_keeps_the_first_answer() -> None:
    engine = ScriptedEngine([DENSE])  # nothing scripted for the rewrite: it raises
    result = Assistant(engine).answer("What is high blood pressure?")
    assert result.answer == PLAIN_DENSE and not result.edits.simplified
    assert "rewrite_error" in result.readability


# --- the model's output ------------------------------------------------------------


def test_repeated_sentences_are_dropped() -> None:
    guard = RepeatGuard()
    text = "".join(guard.feed(p) for p in ["Drink water. ", "Rest well. ", "Drink water. ",
                                           "- Drink water.\n", "See a doctor."])
    text += guard.flush()
    # Layout (the list item's line break) stays; the repeated words go.
    assert text == "Drink water. Rest well.\nSee a doctor."
    assert guard.removed == 2 and not guard.looping


def test_the_passages_labels_are_not_said_back(library) -> None:
    engine = ScriptedEngine(["Asthma and inhalers - What is asthma?:\n",
                             "Asthma makes your airways narrow.\n",
                             "Use only this information from the CareChat library:\n",
                             "See a nurse if it gets worse."])
    shown: list[str] = []
    result = Assistant(engine, library=library).answer("What is asthma?",
                                                       on_token=shown.append)
    assert result.answer == "Asthma makes your airways narrow.\nSee a nurse if it gets worse."
    assert "".join(shown).strip() == result.answer
    assert result.edits.repeats_removed == 0  # an echo is not a loop


@pytest.mark.parametrize("echo", [
    "You're CareChat, a patient-education assistant.",
    "You are CareChat, a patient who is caring for a patient.",
    "你是 CareChat，一个健康教育助手。"])
def test_the_model_addressing_itself_by_name_is_an_echo_however_garbled(echo) -> None:
    guard = RepeatGuard()
    text = guard.feed(echo + " ") + guard.feed("Drink water. ") + guard.flush()
    assert text.strip() == "Drink water." and guard.echoed == 1
    assert RepeatGuard().feed("I use CareChat every day. ") != ""  # naming it is fine


def test_the_instructions_are_never_said_back() -> None:
    engine = ScriptedEngine(["You are CareChat, a patient-education assistant. ",
                             "Drink water when you are thirsty.\n",
                             "- Use short sentences of 12 words or fewer.\n",
                             "Rest if you feel weak."])
    result = Assistant(engine).answer("How do I stay well in hot weather?")
    assert result.answer == "Drink water when you are thirsty.\n\nRest if you feel weak."
    assert "CareChat" not in result.answer and "12 words" not in result.answer


def test_an_answer_that_only_says_the_prompt_back_gives_the_librarys_words(library) -> None:
    engine = ScriptedEngine(["You are CareChat, a patient-education assistant. ",
                             "You explain health topics to patients in plain, friendly words. ",
                             "One idea per sentence. ", "Give only the two or three most "
                             "important points. ", "End with one thing the patient can do "
                             "next. ", "More text the patient never sees."])
    shown: list[str] = []
    assistant = Assistant(engine, library=library)
    best = assistant.retrieve("What is asthma?", "en")[0]
    result = assistant.answer("What is asthma?", on_token=shown.append)
    assert result.edits.fallback and result.stop_reason == "repeating"
    assert result.answer.startswith(turn_texts("en").fallback_library)
    assert clip(best.text, PASSAGE_CHARS["en"]) in result.answer
    assert result.sources == ({**result.sources[0], "id": best.article_id},)
    assert "".join(shown).strip() == result.answer  # streamed: nothing to replace


def test_an_empty_answer_without_passages_refers_to_a_clinician() -> None:
    engine = ScriptedEngine(["\n", "\n", "\n"])
    result = Assistant(engine).answer("What is lupus?")
    assert result.edits.fallback and result.answer == turn_texts("en").fallback_none
    assert result.sources == ()


def test_a_looping_answer_is_cut_off() -> None:
    engine = ScriptedEngine(["Eat well. ", "Sleep well. ", "Eat well. ", "Sleep well. ",
                             "Eat well. ", "Sleep well. ", "Eat"])
    result = Assistant(engine).answer("How do I stay healthy?")
    assert result.answer == "Eat well. Sleep well."
    assert result.stop_reason == "repeating" and not result.stopped
    assert result.edits.repeats_removed >= 3


# --- kinds of turn -----------------------------------------------------------------


def test_explain_it_simpler_rewrites_one_level_down_as_a_new_exchange(store,
                                                                    conversation) -> None:
    engine = ScriptedEngine([SIMPLE])
    sources = ({"id": "high-blood-pressure", "title": "High blood pressure",
                "language": "en", "url": "https://example.org", "urls": []},)
    shown: list[str] = []
    result = Assistant(engine).answer(
        "Explain it simpler", kind="simpler", target_text=DENSE, level="standard",
        sources=sources, on_token=shown.append, log=TurnLog(store, conversation.id))
    (call,) = engine.calls
    assert "grade 6" in call[-1]["content"] and DENSE in call[-1]["content"]
    assert "grade 6 or lower" in system_of(call)  # basic: one level under standard
    assert (result.kind, result.level, result.target_grade) == ("simpler", "basic", 6)
    assert result.sources == sources
    assert "".join(shown).strip() == result.answer == SIMPLE
    assert result.readability["original"]["fk_grade"] > result.readability["fk_grade"]
    question, answer = store.messages(conversation.id)
    assert (question.role, question.content) == ("user", "Explain it simpler")
    assert answer.content == SIMPLE and answer.sources == sources


def test_simpler_gives_the_librarys_own_easier_text_when_the_answer_is_a_passage(
        library, store, conversation) -> None:
    # An advanced answer that is the library's words (the fallback here): "simpler"
    # swaps each passage for the library's standard text, without the model.
    question = "What is high blood pressure?"
    first = Assistant(ScriptedEngine(["You are a doctor."]), library=library).answer(
        question, level="advanced")
    best = library.search(question, "en", limit=1)[0]
    assert passage_text(best, Level.ADVANCED) in first.answer
    engine = ScriptedEngine()  # no answer scripted: the model must not be asked
    shown: list[str] = []
    result = Assistant(engine, library=library).answer(
        "Explain it simpler", kind="simpler", target_text=first.answer, level="advanced",
        sources=first.sources, on_token=shown.append, log=TurnLog(store, conversation.id))
    assert engine.calls == []
    assert (result.kind, result.level, result.stop_reason) == ("simpler", "standard", "library")
    assert passage_text(best, Level.STANDARD) in result.answer
    assert passage_text(best, Level.ADVANCED) not in result.answer
    assert result.answer.startswith(turn_texts("en").fallback_library)  # the rest is kept
    assert "".join(shown) == result.answer and result.sources == first.sources
    assert result.readability["original"]["fk_grade"] > result.readability["fk_grade"]
    _, answer = store.messages(conversation.id)
    assert answer.content == result.answer and answer.sources == first.sources
    # And again: the basic text.
    again = Assistant(engine, library=library).answer(
        "Explain it simpler", kind="simpler", target_text=result.answer, level="standard",
        sources=first.sources)
    assert (again.level, again.stop_reason, engine.calls) == ("basic", "library", [])
    assert passage_text(best, Level.BASIC) in again.answer
    # At basic there is no easier library text: the model rewrites, as before.
    engine = ScriptedEngine([SIMPLE])
    last = Assistant(engine, library=library).answer(
        "Explain it simpler", kind="simpler", target_text=again.answer, level="basic",
        sources=first.sources)
    assert len(engine.calls) == 1 and last.answer == SIMPLE and last.level == "basic"


def test_simpler_needs_an_answer() -> None:
    with pytest.raises(QuestionError):
        Assistant(ScriptedEngine()).answer("Explain it simpler", kind="simpler")


def test_teach_back_uses_the_articles_own_questions(library, store, conversation) -> None:
    engine = ScriptedEngine()
    answer = ("High blood pressure often has no signs. Get it checked. Eat less salt and move "
              "more to help lower it.")
    result = Assistant(engine, library=library).answer(
        "Check my understanding", kind="teach_back", target_text=answer,
        sources=[{"id": "high-blood-pressure", "language": "en"}],
        log=TurnLog(store, conversation.id))
    assert engine.calls == []  # reviewed questions: no model needed
    own = {c.question: c.answer for c in library.check_questions("high-blood-pressure", "en")}
    assert 1 <= len(result.checks) <= 2
    for check in result.checks:
        assert own[check["question"]] == check["answer"]
        assert check["question"] in result.answer
    assert result.kind == "teach_back" and result.generation.model == turn_texts("en").library_model
    _, saved = store.messages(conversation.id)
    assert saved.content == result.answer and saved.status == "complete"


def test_teach_back_asks_the_model_when_there_are_no_checks() -> None:
    engine = ScriptedEngine(["1. What will you do if you feel dizzy?\n",
                             "2. How will you check your blood pressure?"])
    shown: list[str] = []
    result = Assistant(engine).answer("Check my understanding", kind="teach_back",
                                      target_text=SIMPLE, on_token=shown.append)
    (call,) = engine.calls
    assert SIMPLE in call[-1]["content"] and "teach-back" in call[-1]["content"]
    assert result.checks == ({"question": "What will you do if you feel dizzy?", "answer": ""},
                             {"question": "How will you check your blood pressure?",
                              "answer": ""})
    assert result.answer.startswith("To check that I explained this well")
    assert "".join(shown).strip() == result.answer


def test_given_checks_come_before_the_library() -> None:
    engine = ScriptedEngine()
    checks = [{"question": "What will you do first?", "answer": "Call the nurse."}]
    result = Assistant(engine).answer("Check my understanding", kind="teach_back",
                                      target_text=SIMPLE, checks=checks)
    assert engine.calls == []
    assert result.checks == tuple(checks)


def test_feedback_is_gentle_and_knows_the_expected_answer() -> None:
    engine = ScriptedEngine(["Thank you! You are right: most people feel nothing."])
    checks = ({"question": "Can you feel high blood pressure?",
               "answer": "Usually not. Most people have no signs."},)
    result = Assistant(engine).answer(
        "I don't think you can feel it", kind="feedback",
        target_text="Can you feel high blood pressure?", checks=checks)
    prompt = engine.calls[0][-1]["content"]
    assert "Can you feel high blood pressure?" in prompt
    assert "I don't think you can feel it" in prompt
    assert "Usually not. Most people have no signs." in prompt
    assert "kindly" in prompt
    assert result.kind == "feedback" and result.checks == checks
    assert result.answer.startswith("Thank you!")


def test_an_emergency_in_a_reply_still_goes_to_the_safety_rules() -> None:
    engine = ScriptedEngine()
    result = Assistant(engine, country="US").answer(
        "I can't breathe", kind="feedback", target_text="What will you do next?")
    assert engine.calls == [] and result.emergency
    assert result.kind == "feedback"


@pytest.mark.parametrize("window, question, expected", [
    ("en", "我胸口很痛，喘不过气", "急救电话"),  # chest pain, cannot breathe
    ("zh", "I have crushing chest pain and cannot breathe", "emergency number"),
    ("en", "布洛芬一次吃几片？", "我不能告诉你剂量"),  # how many ibuprofen at a time?
])
def test_the_safety_rules_answer_in_the_messages_language(window, question, expected) -> None:
    engine = ScriptedEngine()
    result = Assistant(engine, language=window).answer(question)
    assert engine.calls == [] and result.generation.model == "CareChat safety rules"
    assert expected in result.answer


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown kind"):
        Assistant(ScriptedEngine()).answer("Hi", kind="chat")


@pytest.mark.parametrize("text, limit, expected", [
    ("Short.", 50, "Short."),
    ("One two. Three four five. Six seven eight nine.", 30, "One two. Three four five."),
    ("- Eat less salt.\n- Move more every day.\n- Stop smoking.", 40,
     "- Eat less salt.\n- Move more every day."),
    ("Words, no stop, and more words here", 20, "Words, no stop, and…"),
    ("averyveryverylongword and more", 10, "averyveryv…"),  # one word over the limit
    ("少吃盐。多走路。不要抽烟。", 9, "少吃盐。多走路。"),
])
def test_clip(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit + 1
