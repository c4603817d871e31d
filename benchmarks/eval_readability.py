"""Do answers meet the patient's reading level? Prints one JSON object.

    .venv/bin/python benchmarks/eval_readability.py [--language en|zh] [--questions N]
        [--max-tokens N] [--data-dir DIR] [--device auto|cpu|cuda|mps] [--no-library]
        [--details] [--progress FILE] [--from-progress FILE]

Each fixed patient question is answered by the default model once per reading
level (basic, standard, advanced: the app's whole turn, with the level's writing
rules, the library passages written for that level (knowledge.level_texts) and
the one rewrite when an answer scores too hard), and twice with a plain prompt:
``plain`` has the same rules and the library's basic text without any level's
writing rules or rewrite; ``plain_without_library`` is the model on its own,
without the library too. All in the same run, greedy, so the figures compare
like with like.

For each level: the median Flesch-Kincaid grade of the answers kept, the same
for the first answers (before any rewrite), the share of kept answers at or
under the level's target grade (the whole grade the badge shows, as
``literacy.meets_target``), and how often a rewrite was tried and kept. For each
plain prompt: its median grade and its share at or under each level's target.
The goal (issue 5): basic median at or under grade 6, clearly below plain, and
the levels' medians rising basic < standard < advanced (``levels_rise``).
``library_words`` counts answers that are the library's own words because the
model's answer was not usable (see ``keeps_to_passages`` in chatapp/turn/grounding.py).

``--language zh`` asks 20 Chinese questions instead, measured on Han characters
per sentence (the level's longest average: 15, 20, 25) and the share of common
characters, as the app measures Chinese answers.

Slow on a small CPU (each answer takes seconds): --questions and --max-tokens
make a quick run; the report says what was run. The questions are taken one at
a time, every variant in turn, so --progress FILE (every answer so far) of a run
cut short still compares like with like: --from-progress FILE reports on the
questions that every variant finished, without the model. ``same_text_as_plain``
counts a level's answers that are word for word the plain prompt's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from chatapp.config import load_settings  # noqa: E402
from chatapp.literacy import (  # noqa: E402
    Level,
    chinese_sentence_target,
    meets_target,
    score_text,
)
from chatapp.session import open_library  # noqa: E402
from chatapp.turn import Assistant, warm_up  # noqa: E402

# Written the way patients ask in primary care; fixed, so runs compare.
QUESTIONS = (
    "What is high blood pressure?",
    "How do I use my asthma inhaler?",
    "What should I eat if I have type 2 diabetes?",
    "Is it a cold or the flu?",
    "Why won't my doctor give me antibiotics for a cold?",
    "How can I quit smoking?",
    "How much exercise do I need each week?",
    "What can I do to sleep better?",
    "What are the signs of depression?",
    "What helps with lower back pain?",
    "What is a urinary tract infection?",
    "Which vaccines do adults need?",
    "My child has a fever. When should I worry?",
    "How do I get ready for a colonoscopy?",
    "How do I take my medicines safely?",
    "What can trigger a migraine?",
    "How can I stop heartburn?",
    "How do I know if I am dehydrated?",
    "How do I protect my skin from the sun?",
    "How can I help a parent with dementia?",
    "How can older people prevent falls?",
    "What is high cholesterol?",
    "How do I keep my kidneys healthy?",
    "What are the signs of an underactive thyroid?",
)


NO_LIBRARY = "plain_without_library"
BASELINES = ("plain", NO_LIBRARY)


# The Chinese run (--language zh): the questions the built-in model's Chinese
# answers were first read on (GROUNDING in chatapp/turn/grounding.py), then 8 more.
QUESTIONS_ZH = (
    "什么是高血压？", "感冒和流感有什么不同？", "怎样才能睡得更好？", "孩子发烧什么时候要看医生？",
    "哮喘吸入器怎么用？", "为什么感冒不用抗生素？", "怎么戒烟？", "2型糖尿病应该吃什么？",
    "腰疼怎么办？", "抑郁症有哪些表现？", "胆固醇高是什么意思？", "中风有哪些信号？",
    "新冠有哪些症状？", "布洛芬和对乙酰氨基酚有什么区别？", "怎样知道自己是不是过敏？",
    "血压高要注意什么？", "吃药要注意什么？", "心梗有什么症状？", "哮喘发作怎么办？",
    "怎样让胆固醇降下来？",
)
# What a level's answers are measured on: the Flesch-Kincaid grade in English,
# Han characters per sentence in Chinese (resources/literacy/readability.toml).
MEASURE = {"en": "fk_grade", "zh": "sentence_length"}


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def run_one(assistant: Assistant, question: str, max_tokens: int, level: Level) -> dict:
    """One answer of one variant, with its scores."""
    started = time.perf_counter()
    result = assistant.answer(question, max_new_tokens=max_tokens, level=level)
    record = result.readability
    first = record.get("original", record)
    row = {
        "question": question,
        "answer": result.answer,
        "language": record.get("language", "en"),
        # The model's answer was replaced by the library's own words (a loop, an
        # echo, nothing usable or not from the passages).
        "library_words": result.edits.fallback,
        "sentence_length": record.get("sentence_length"),
        "common_share": record.get("common_share"),
        "fk_grade": record.get("fk_grade"),
        "grade": record.get("grade"),
        "first_fk_grade": first.get("fk_grade"),
        "smog": record.get("smog"),
        "words": record.get("words"),
        "rewrite_tried": "original" in record,
        "simplified": result.edits.simplified,
        "stop_reason": result.stop_reason,
        "prompt_tokens": result.generation.prompt_tokens,
        "ttft_ms": result.generation.ttft_ms,
        "seconds": round(time.perf_counter() - started, 1),
        "sources": [s["id"] for s in result.sources],
    }
    name = level.value if assistant.literacy else (
        "plain" if assistant.library is not None else NO_LIBRARY)
    measure = MEASURE.get(row["language"], "fk_grade")
    print(f"  {name}: {question} -> {measure} {row[measure]} ({row['seconds']} s)",
          file=sys.stderr)
    return row


def measured(rows: list[dict], language: str) -> list[dict]:
    """The answers scored in the run's language (an English article's words in a
    Chinese run are not characters a sentence)."""
    return [r for r in rows if r.get("language", "en") == language
            and r.get(MEASURE[language]) is not None]


def summary(rows: list[dict], level: Level, language: str) -> dict:
    kept = measured(rows, language)
    figures = {"target_grade": level.grade, "answers": len(rows)}
    if language == "en":
        figures |= {
            "median_fk_grade": median([r["fk_grade"] for r in kept]),
            "median_fk_grade_first_answer": median([r["first_fk_grade"] for r in kept
                                                    if r["first_fk_grade"] is not None]),
        }
    else:
        figures |= {
            "median_sentence_length": median([r["sentence_length"] for r in kept]),
            "median_common_share": median([r["common_share"] for r in kept]),
        }
    return figures | {
        "share_at_or_under_target": share([_meets(r, level) for r in kept]),
        "rewrites_tried": sum(r["rewrite_tried"] for r in rows),
        "rewrites_kept": sum(r["simplified"] for r in rows),
        **answer_figures(rows, kept),
    }


def answer_figures(rows: list[dict], kept: list[dict]) -> dict:
    """What every variant reports alike: length, speed, loops, library words."""
    return {
        "library_words": sum(r.get("library_words", False) for r in rows),
        "median_words": median([r["words"] for r in kept]),
        "median_prompt_tokens": median([r["prompt_tokens"] for r in rows]),
        "median_ttft_ms": median([r["ttft_ms"] for r in rows]),
        "median_seconds_per_answer": median([r["seconds"] for r in rows]),
        "cut_off_repeating": sum(r["stop_reason"] == "repeating" for r in rows),
    }


def _meets(row: dict, level: Level) -> bool:
    return meets_target(score_text(row["answer"], row.get("language", "en")), level)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=None, metavar="N",
                        help="the first N questions (default: all of the language's)")
    parser.add_argument("--max-tokens", type=int, default=160, metavar="N",
                        help="longest answer, in tokens (default: %(default)s)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="CareChat data dir whose model cache to use (default: yours)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--language", choices=sorted(MEASURE), default="en",
                        help="ask the English questions or the Chinese ones (default: en)")
    parser.add_argument("--no-library", action="store_true",
                        help="answer without the library passages (all variants)")
    parser.add_argument("--details", action="store_true",
                        help="include every answer and its scores in the JSON")
    parser.add_argument("--progress", type=Path, default=None, metavar="FILE",
                        help="write every answer so far to FILE (JSON) as the run goes")
    parser.add_argument("--from-progress", type=Path, default=None, metavar="FILE",
                        help="report on a --progress FILE (a run cut short) without the model")
    args = parser.parse_args()
    asked = QUESTIONS_ZH if args.language == "zh" else QUESTIONS
    args.questions = args.questions or len(asked)
    if not 1 <= args.questions <= len(asked):
        parser.error(f"--questions must be between 1 and {len(asked)}")
    if args.from_progress is not None:
        saved = json.loads(args.from_progress.read_text(encoding="utf-8"))
        rows = saved["answers"]
        # Only the questions every variant finished.
        done = min(len(v) for v in rows.values())
        rows = {name: v[:done] for name, v in rows.items()}
        print(json.dumps(report(rows, {**saved["run"], "questions": done}, args.details,
                                minutes=None), ensure_ascii=False, indent=2))
        return

    import model

    settings = load_settings(args.data_dir, device=args.device)
    engine = model.load(settings.model, settings.device, settings.model_cache_dir)
    library = None if args.no_library else open_library(settings)
    warm_up()
    questions = asked[: args.questions]
    started = time.perf_counter()

    # Question by question, every variant in turn: a run cut short still compares
    # like with like on the questions it finished (see --progress).
    language = args.language
    variants = {level.value: (Assistant(engine, library=library, level=level,
                                        language=language), level)
                for level in Level}
    variants["plain"] = (Assistant(engine, library=library, literacy=False,
                                   language=language), Level.BASIC)
    if library is not None:
        # The model's own writing: no level, no library (each level's answers
        # copy library text written for that level; see knowledge.level_texts).
        variants[NO_LIBRARY] = (Assistant(engine, library=None, literacy=False,
                                          language=language), Level.BASIC)
    run = {"model": engine.info.name, "device": engine.info.device,
           "questions": len(questions), "max_new_tokens": args.max_tokens,
           "library": library is not None, "language": language}
    rows: dict[str, list[dict]] = {name: [] for name in variants}
    for question in questions:
        for name, (assistant, level) in variants.items():
            rows[name].append(run_one(assistant, question, args.max_tokens, level))
        if args.progress is not None:
            args.progress.write_text(json.dumps({"run": run, "answers": rows},
                                                ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    minutes = round((time.perf_counter() - started) / 60, 1)
    print(json.dumps(report(rows, run, args.details, minutes), ensure_ascii=False, indent=2))


def report(rows: dict[str, list[dict]], run: dict, details: bool,
           minutes: float | None) -> dict:
    """The JSON report: per level, the plain prompts, and the goal of issue 5."""
    results = {name: v for name, v in rows.items() if name not in BASELINES}
    plain_rows = rows["plain"]
    language = run.get("language", "en")
    measure = MEASURE[language]
    key = f"median_{measure}"
    levels = {name: summary(rows, Level(name), language) for name, rows in results.items()}
    for name, level_rows in results.items():
        # Word for word the plain prompt's answer: the level changed nothing there.
        levels[name]["same_text_as_plain"] = sum(
            r["answer"].strip() == p["answer"].strip() for r, p in zip(level_rows, plain_rows,
                                                                         strict=True))
    baselines = {name: baseline_summary(rows[name], language)
                 for name in BASELINES if name in rows}
    basic = levels["basic"][key]
    order = [levels[lv.value][key] for lv in Level]
    if measure == "fk_grade":
        at_target = {"basic_median_at_or_under_6": basic is not None
                     and basic <= Level.BASIC.grade}
    else:  # the basic level's longest average sentence (readability.toml)
        at_target = {"basic_median_meets_its_sentence_length": basic is not None
                     and basic <= chinese_sentence_target(Level.BASIC)}
    out = {
        "benchmark": "readability",
        "model": run["model"],
        "device": run["device"],
        "settings": {"questions": run["questions"], "max_new_tokens": run["max_new_tokens"],
                     "library": run["library"], "greedy": True,
                     "language": language},
        "levels": levels,
        **baselines,
        "goal": {
            **at_target,
            **{f"basic_below_{name}_by": below(basic, b[key])
               for name, b in baselines.items()},
            "levels_in_order": order,
            "levels_rise": None not in order and order[0] < order[1] < order[2],
        },
        "minutes": minutes,
    }
    if details:
        out["answers"] = {**results, **{name: rows[name] for name in baselines}}
    return out


def below(basic: float | None, baseline: float | None) -> float | None:
    return None if basic is None or baseline is None else round(baseline - basic, 2)


def baseline_summary(rows: list[dict], language: str) -> dict:
    """A plain prompt's figures, with its share at or under each level's target."""
    kept = measured(rows, language)
    measure = MEASURE[language]
    return {
        "answers": len(rows),
        f"median_{measure}": median([r[measure] for r in kept]),
        "share_at_or_under": {level.value: share([_meets(r, level) for r in kept])
                              for level in Level},
        **answer_figures(rows, kept),
    }


if __name__ == "__main__":
    main()
