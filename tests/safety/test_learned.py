"""The learned second opinion: loading, thresholds, both languages, and how it
combines with the rules (on a small fixture model, and on the shipped one)."""

from __future__ import annotations

import importlib
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from fake_engine import ScriptedEngine

from chatapp.safety import triage
from chatapp.safety.features import FeaturesUnavailableError, NgramFeatures, features
from chatapp.safety.learned import (
    LearnedScope,
    LearnedScreen,
    LinearModel,
    Thresholds,
    learned_scope,
    learned_screen,
    pieces,
)
from chatapp.safety.scope import scope_check, scope_request
from chatapp.turn import Assistant

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import train_safety  # noqa: E402

# The module, not the function of the same name that chatapp.safety exports.
triage_module = importlib.import_module("chatapp.safety.triage")


class CueFeatures:
    """A fixture encoder: one feature per cue word, and a constant."""

    name = "cues"
    dimensions = 3

    def vectors(self, texts: list[str]) -> np.ndarray:
        return np.array([[1.0, "droop" in t, "scald" in t] for t in texts], dtype=np.float32)


# P(none) for: a droop ~0.02 (score ~0.98), a scald ~0.27 (~0.73), anything else ~0.79.
CUE_MODEL = LinearModel(("none", "stroke", "burn"), "cues",
                        np.array([[2.0, 0, 0], [0, 6.0, 0], [0, 0, 3.0]], dtype=np.float32),
                        np.zeros(3, dtype=np.float32))


def cue_screen(overrule: float = 0.1) -> LearnedScreen:
    return LearnedScreen(CUE_MODEL, Thresholds(0.9, 0.5, overrule), CueFeatures())


# --- the combination, on the fixture model ----------------------------------------

def test_the_learned_screen_alone_finds_an_emergency_with_the_reviewed_banner() -> None:
    result = triage("my face feels funny, like a droop", "en", "GB", screen=cue_screen())
    assert result.emergency and result.decided_by == "learned"
    assert result.category == "stroke" and result.title == "Possible stroke"
    assert "999" in result.message  # the banner is the rules' reviewed text
    assert result.score == pytest.approx(0.98, abs=0.01)


def test_rules_and_learned_together_say_both() -> None:
    result = triage("my chest is crushing and my arm is numb, a droop", "en", "US",
                    screen=cue_screen())
    assert result.emergency and result.decided_by == "both"
    assert result.category == "heart_attack"  # the rules' category stands


def test_the_rules_alone_still_decide() -> None:
    result = triage("my chest is crushing and my arm is numb", "en", "US", screen=cue_screen())
    assert result.emergency and result.decided_by == "rules"
    assert result.score == pytest.approx(0.21, abs=0.01)


def test_a_very_low_score_overrules_a_rule() -> None:
    result = triage("my chest is crushing and my arm is numb", "en", "US",
                    screen=cue_screen(overrule=0.3))
    assert not result.emergency and result.overruled == "heart_attack"
    assert result.to_dict()["overruled_rule"] == "heart_attack"


@pytest.mark.parametrize("language, heading, number", [
    ("en", "Get help now if", "911"),
    ("zh", "请立即求助", "911"),
])
def test_a_borderline_score_gets_the_get_help_now_signs(language, heading, number) -> None:
    result = triage("I got a scald from the kettle", language, "US", screen=cue_screen())
    assert not result.emergency and result.borderline
    assert result.learned_category == "burn"
    assert heading in result.guidance and number in result.guidance
    assert result.guidance.count("\n- ") >= 3


def test_below_both_thresholds_is_no_emergency() -> None:
    result = triage("how do I keep my skin healthy", "en", "US", screen=cue_screen())
    assert not result.emergency and not result.borderline and result.guidance == ""


def test_without_a_learned_screen_the_rules_run_alone(monkeypatch) -> None:
    monkeypatch.setattr(triage_module, "learned_screen", lambda: None)
    result = triage("my chest is crushing and my arm is numb", "en", "US")
    assert result.emergency and result.decided_by == "rules" and result.score is None
    assert result.to_dict()["learned"] is None


def test_triage_json_says_who_decided() -> None:
    data = triage("my face feels funny, like a droop", "en", "US", screen=cue_screen()).to_dict()
    assert data["decided_by"] == "learned"
    assert data["learned"] == {"score": pytest.approx(0.98, abs=0.01), "category": "stroke",
                               "model": "cues"}


def test_a_model_reads_only_its_own_features() -> None:
    with pytest.raises(ValueError):
        LearnedScreen(CUE_MODEL, Thresholds(0.9, 0.5), NgramFeatures())


# --- pieces and the model file ----------------------------------------------------

def test_a_long_message_is_read_two_sentences_at_a_time() -> None:
    text = "First thing. Second thing. Third thing."
    assert pieces(text) == [text, "First thing. Second thing.", "Second thing. Third thing."]
    assert pieces("我头疼。我想睡觉。") == ["我头疼。我想睡觉。"]
    assert pieces("") == []
    long = "word " * 200 + ". The end."
    assert all(len(p) <= 600 for p in pieces(long)) and pieces(long)


def test_an_emergency_inside_a_long_message_still_counts() -> None:
    filler = "I wanted to ask about my repeat prescription and the new opening hours. " * 6
    text = filler + "Also my face started to droop. " + filler
    assert triage(text, "en", "US", screen=cue_screen()).emergency


def test_a_model_file_round_trips(tmp_path) -> None:
    path = tmp_path / "m.npz"
    CUE_MODEL.save(path)
    loaded = LinearModel.load(path)
    assert loaded.labels == CUE_MODEL.labels and loaded.features == "cues"
    vectors = CueFeatures().vectors(["a droop", "nothing"])
    assert np.allclose(loaded.probabilities(vectors), CUE_MODEL.probabilities(vectors),
                       atol=1e-3)


def test_ngram_features_are_normalised_and_language_blind() -> None:
    vectors = NgramFeatures().vectors(["Chest PAIN", "chest pain", "胸口疼", ""])
    assert np.allclose(vectors[0], vectors[1])
    assert np.linalg.norm(vectors[2]) == pytest.approx(1.0)
    assert not vectors[3].any()


# --- the shipped models -------------------------------------------------------------

def test_the_shipped_weights_were_fitted_on_the_data_in_the_tree() -> None:
    assert train_safety.check() == 0, "run benchmarks/train_safety.py"


def test_the_shipped_screen_loads_with_ordered_thresholds() -> None:
    screen = learned_screen()
    assert screen is not None and screen.name == "e5+ngram"
    t = screen.thresholds
    assert 0 < t.borderline <= t.emergency < 1 and 0 <= t.overrule <= t.emergency
    card = tomllib.loads((REPO / "resources/safety/learned/card.toml").read_text("utf-8"))
    for kind in card["preference"]:
        assert (REPO / "resources/safety/learned" / card["triage"][kind]["file"]).is_file()
        assert (REPO / "resources/safety/learned" / card["scope"][kind]["file"]).is_file()


def test_every_category_has_a_banner_signs_and_training_cases() -> None:
    from chatapp.safety.triage import rules

    cases = train_safety.load(train_safety.triage_files())
    for language in ("en", "zh"):
        ids = {c.id for c in rules(language).categories}
        assert ids == set(learned_screen().model.labels) - {"none"}
        trained = {c["category"] for c in cases if c["emergency"] and c["language"] == language}
        assert trained == ids, language
        guidance = tomllib.loads((REPO / f"resources/safety/guidance_{language}.toml")
                                 .read_text("utf-8"))
        assert set(guidance["signs"]) == ids, language


def test_without_the_sentence_encoder_the_ngram_screen_loads(monkeypatch) -> None:
    import chatapp.safety.learned as learned

    def no_e5(name: str):
        if "e5" in name:
            raise FeaturesUnavailableError("not built for this platform")
        return features(name)

    monkeypatch.setattr(learned, "features", no_e5)
    learned_screen.cache_clear()
    try:
        screen = learned_screen()
        assert screen is not None and screen.name == "ngram"
        assert screen.score("my face is drooping and I can't lift my arm").score > 0.5
    finally:
        learned_screen.cache_clear()


@pytest.mark.parametrize("text, language, category", [
    # Worded so that no rule matches (checked below): only the model can find them.
    ("my little boy put one of those flat round remote control batteries in his mouth "
     "and now I cant find it", "en", "overdose"),
    ("gran has gone very muddled and sweaty, she does her insulin jabs and hasnt eaten",
     "en", "low_blood_sugar"),
    ("孩子把遥控器里的纽扣电池放进嘴里，现在找不到了", "zh", "overdose"),
    ("我爸打胰岛素的，今天没怎么吃饭，现在满头大汗，说话颠三倒四", "zh", "low_blood_sugar"),
])
def test_the_shipped_screen_catches_what_no_rule_does(text, language, category) -> None:
    from chatapp.safety.triage import rules_triage

    assert not rules_triage(text, language).emergency
    result = triage(text, language, "US")
    assert result.emergency and result.decided_by == "learned"
    assert result.category == category


@pytest.mark.parametrize("text, language", [
    ("I was just told I have type 2 diabetes. What should I eat?", "en"),
    ("刚查出来2型糖尿病，主食还能吃哪些？", "zh"),
    ("How does metformin work?", "en"),
])
def test_ordinary_questions_are_not_referred(text, language) -> None:
    assert scope_check(text, language) is None


@pytest.mark.parametrize("text, language, kind", [
    ("How much paracetamol can I take?", "en", "dose"),
    ("can I stop my blood pressure tablets?", "en", "medication_change"),
    ("我是不是得了糖尿病", "zh", "diagnosis"),
])
def test_real_requests_are_referred(text, language, kind) -> None:
    found = scope_check(text, language)
    assert found is not None and found.kind == kind


def test_the_scope_model_vetoes_and_refers_by_its_thresholds() -> None:
    model = learned_scope()
    assert isinstance(model, LearnedScope) and 0.5 <= model.refer < 1 and 0.5 < model.veto <= 1
    sure_none = LearnedScope(model.model, veto=0.0, refer=1.1, encoder=model.encoder)
    assert scope_request("How much paracetamol can I take?") is not None
    assert scope_check("How much paracetamol can I take?", model=sure_none) is None
    eager = LearnedScope(model.model, veto=1.1, refer=0.0, encoder=model.encoder)
    assert scope_check("what is a kidney", model=eager, model_alone=True) is not None


# --- in the turn --------------------------------------------------------------------

def test_a_borderline_answer_starts_with_the_signs(monkeypatch) -> None:
    monkeypatch.setattr(triage_module, "learned_screen", cue_screen)
    engine = ScriptedEngine(["Cool a small burn under running water."])
    shown: list[str] = []
    result = Assistant(engine, country="US").answer("I got a scald from the kettle",
                                                    on_token=shown.append)
    assert len(engine.calls) == 1 and not result.emergency
    assert result.answer.startswith("Get help now if")
    assert result.answer.endswith("Cool a small burn under running water.")
    assert "".join(shown).startswith("Get help now if")


def test_in_a_teach_back_reply_the_learned_screen_counts_one_step_less() -> None:
    from chatapp.safety.triage import for_reply

    learned = triage("it makes my face droop", "en", "US", screen=cue_screen())
    assert learned.emergency
    reply = for_reply(learned, "en", "US")
    assert not reply.emergency and reply.borderline and reply.learned_category == "stroke"
    assert "Get help now if" in reply.guidance
    borderline = triage("a scald", "en", "US", screen=cue_screen())
    assert borderline.borderline
    assert not for_reply(borderline, "en", "US").borderline
    assert for_reply(borderline, "en", "US").guidance == ""
    ruled = triage("my chest is crushing and my arm is numb", "en", "US", screen=cue_screen())
    assert for_reply(ruled, "en", "US") is ruled  # a rule's match stands


def test_the_scope_model_refers_alone_only_when_asked_to() -> None:
    model = learned_scope()
    eager = LearnedScope(model.model, veto=1.1, refer=0.0, encoder=model.encoder)
    assert scope_check("what is a kidney", model=eager) is None
    assert scope_check("what is a kidney", model=eager, model_alone=True) is not None


def test_a_first_aid_question_is_not_referred() -> None:
    # Seen in the window: the model alone took it for a request for a diagnosis.
    text = "I burned my hand on the oven and it has a blister, what should I put on it?"
    assert scope_check(text, "en") is None


def test_a_borderline_referral_starts_with_the_signs(monkeypatch) -> None:
    monkeypatch.setattr(triage_module, "learned_screen", cue_screen)
    engine = ScriptedEngine()
    result = Assistant(engine, country="US").answer(
        "How much paracetamol can I take for a scald?")
    assert engine.calls == [] and result.scope == "dose"
    assert result.answer.startswith("Get help now if")
    assert "pharmacist or doctor" in result.answer


def test_a_teach_back_reply_goes_to_the_model_with_the_signs_first(monkeypatch) -> None:
    monkeypatch.setattr(triage_module, "learned_screen", cue_screen)
    engine = ScriptedEngine(["Well done: a drooping face is a sign to act on."])
    result = Assistant(engine, country="US").answer(
        "one side of the face can droop", kind="feedback",
        target_text="Name one sign of a stroke.")
    assert not result.emergency and len(engine.calls) == 1
    assert result.answer.startswith("Get help now if")


def test_a_turn_reuses_the_windows_safety_check_for_the_same_question(monkeypatch) -> None:
    from chatapp.turn import check_safety

    monkeypatch.setattr(triage_module, "learned_screen", cue_screen)
    checked = check_safety("I got a scald from the kettle", "en", "US")
    assert checked.triage.borderline
    calls = []
    monkeypatch.setattr(triage_module, "learned_screen", lambda: calls.append(1))
    result = Assistant(ScriptedEngine(["Cool it under running water."]), country="US").answer(
        "I got a scald from the kettle", safety=checked)
    assert calls == [] and result.answer.startswith("Get help now if")
    # A check of another text is not used: the screens run for this one.
    Assistant(ScriptedEngine(["Asthma affects the airways."]), country="US").answer(
        "What is asthma?", safety=checked)
    assert calls == [1]
