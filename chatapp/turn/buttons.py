"""Turns about an earlier answer, from the buttons under it: "Explain it simpler",
"Check my understanding", and the feedback on the patient's own-words reply."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..literacy import feedback_prompt, score_text, simpler, teach_back
from ..vocabulary import ORDER, Level, StopReason, TurnKind
from .filters import LIST_MARK
from .prompts import passage_text, rewrite_echoes
from .questions import QuestionError, turn_language
from .results import TurnResult
from .run import TurnRun

TEACH_BACK_TOKENS = 96  # a generated teach-back is one or two short questions


def require_target(kind: TurnKind, target: str, checks: tuple[dict, ...]) -> None:
    """A button turn needs the answer (or the question) it is about."""
    if kind in (TurnKind.SIMPLER, TurnKind.TEACH_BACK) and not target:
        raise QuestionError("There is no answer to go over yet. Please ask a question first.")
    if kind == TurnKind.FEEDBACK and not (target or checks):
        raise QuestionError("There is no question to answer yet. "
                            "Please press \u201cCheck my understanding\u201d first.")


def answer(run: TurnRun, kind: TurnKind, target: str, checks: tuple[dict, ...],
           sources: tuple[dict, ...]) -> TurnResult:
    """``target`` is the earlier answer (for FEEDBACK: the teach-back question),
    ``sources`` its sources, ``checks`` the teach-back questions it came with."""
    if kind == TurnKind.SIMPLER:
        return explain_simpler(run, target, sources)
    if kind == TurnKind.TEACH_BACK:
        return check_understanding(run, target, checks, sources)
    return feedback(run, target, checks, sources)


def explain_simpler(run: TurnRun, target: str, sources: tuple[dict, ...]) -> TurnResult:
    """``target`` again, one reading level down (``literacy.simpler``); its sources stay."""
    language = turn_language(target, run.language)
    down = simpler(run.level)
    original = {"original": score_text(target, language).to_dict()}
    from_library = library_simpler(run, target, sources, down)
    if from_library:
        return run.fixed_answer(from_library, StopReason.LIBRARY, language,
                                kind=TurnKind.SIMPLER, level=down, sources=sources,
                                scores=original)
    messages = run.prompts.rewrite(target, down, run.answer_style, language, run.max_new_tokens)
    out = run.generate(messages, language, echoes=rewrite_echoes(down, language), plain=down)
    read = run.read(out.text, language, level=down)
    read = replace(read, record={**read.record, **original})
    return run.finish(TurnKind.SIMPLER, out, read, sources, level=down)


def library_simpler(run: TurnRun, target: str, sources: tuple[dict, ...], down: Level) -> str:
    """``target`` with each library passage in it swapped for the library's own text
    at ``down``; "" when it holds no passage written at a harder level.

    Most answers of the built-in model are a passage's own words (the fallback,
    measured with benchmarks/eval_readability.py); the library has them at every
    level, reviewed, which beats asking the model to rewrite them.
    """
    if run.library is None:
        return ""
    text = target
    for source in sources:
        article = run.library.article(str(source.get("id", "")), str(source.get("language", "")))
        if article is None:
            continue
        for section in article.sections:
            easier = passage_text(section, down, article.language)
            for level in ORDER[ORDER.index(down) + 1:]:
                harder = passage_text(section, level, article.language)
                if harder != easier and harder in text:
                    text = text.replace(harder, easier)
    return text if text != target else ""


def check_understanding(run: TurnRun, target: str, checks: tuple[dict, ...],
                        sources: tuple[dict, ...]) -> TurnResult:
    """1-2 questions about ``target``: the library article's own check questions when
    ``checks`` are given or ``sources`` name an article that has them, else written
    by the model. ``TurnResult.checks`` carries them, for the patient's reply."""
    language = turn_language(target, run.language)
    plan = teach_back(target, language, run.level, checks=checks or library_checks(run, sources))
    if plan.questions:
        # The article's own, reviewed questions: no model needed.
        found = tuple({"question": c.question, "answer": c.answer} for c in plan.questions)
        return run.fixed_answer(numbered(plan.intro, [c.question for c in plan.questions]),
                                StopReason.LIBRARY, language, kind=TurnKind.TEACH_BACK,
                                sources=sources, checks=found, scored=False)
    run.show(f"{plan.intro}\n\n")
    most = min(run.max_new_tokens, TEACH_BACK_TOKENS)
    messages = run.prompts.task(plan.prompt, run.level, run.answer_style, language, most)
    out = run.generate(messages, language, max_new_tokens=most)
    asked = question_lines(out.text)
    out = replace(out, text=f"{plan.intro}\n\n{out.text}".strip())
    return run.finish(TurnKind.TEACH_BACK, out, run.read(out.text, language), sources,
                      checks=tuple({"question": q, "answer": ""} for q in asked))


def feedback(run: TurnRun, target: str, checks: tuple[dict, ...],
             sources: tuple[dict, ...]) -> TurnResult:
    """A gentle reply to the patient's own-words answer (the turn's question) to the
    teach-back question ``target``; ``checks`` may carry its expected "answer"."""
    asked = target or "\n".join(c["question"] for c in checks)
    language = turn_language(run.question, turn_language(asked, run.language))
    expected = " ".join(c["answer"] for c in checks if c["answer"])
    prompt = feedback_prompt(asked, run.question, language, run.level, expected)
    messages = run.prompts.task(prompt, run.level, run.answer_style, language,
                                run.max_new_tokens)
    out = run.generate(messages, language)
    return run.finish(TurnKind.FEEDBACK, out, run.read(out.text, language), sources,
                      checks=checks)


def library_checks(run: TurnRun, sources: tuple[dict, ...]) -> list[dict]:
    """The check questions of the articles in ``sources``."""
    if run.library is None:
        return []
    return [check.to_dict()
            for source in sources
            for check in run.library.check_questions(str(source.get("id", "")),
                                                     str(source.get("language", "en")))]


def check_dict(check: Mapping[str, str]) -> dict:
    return {"question": str(check.get("question", "")).strip(),
            "answer": str(check.get("answer", "") or "").strip()}


def numbered(intro: str, questions: Sequence[str]) -> str:
    return "\n\n".join([intro, "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1))])


def question_lines(text: str, most: int = 2) -> list[str]:
    """The questions a model wrote, one per line, without list marks."""
    lines = [LIST_MARK.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    asked = [line for line in lines if line.endswith(("?", "？"))]
    return (asked or lines)[:most]
