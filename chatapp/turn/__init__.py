"""One turn of a conversation, Qt-free: safety → knowledge → literacy → model → storage.

Start with ``pipeline.py``, which reads top to bottom and calls the rest:

- ``questions``  is the text a question we can take, and in which language
- ``rules``      the safety step: emergencies and out-of-scope requests, no model
- ``prompts``    what the model reads, fitted to its context
- ``generate``   the model step, through the stream ``filters``
- ``grounding``  is the answer written from its passages
- ``run``        one turn in progress: the literacy step after the model, saving
- ``buttons``    turns about an earlier answer (simpler, teach-back, feedback)
- ``results``    what a turn produces; ``texts`` what CareChat itself says
"""

from .pipeline import PASSAGES, Assistant, warm_up
from .prompts import DEFAULT_MAX_NEW_TOKENS, Prompt, Prompts, clip, passage_text
from .questions import MAX_QUESTION_CHARS, QuestionError, clean_question, turn_language
from .results import Edits, Emergency, Generation, Turn, TurnResult
from .rules import SAFETY_RULES, SafetyCheck, answer_by_rules, check_safety
from .texts import is_small_talk, system_prompt, turn_texts

__all__ = [
    "DEFAULT_MAX_NEW_TOKENS",
    "MAX_QUESTION_CHARS",
    "PASSAGES",
    "SAFETY_RULES",
    "Assistant",
    "Edits",
    "Emergency",
    "Generation",
    "Prompt",
    "Prompts",
    "QuestionError",
    "SafetyCheck",
    "Turn",
    "TurnResult",
    "answer_by_rules",
    "check_safety",
    "clean_question",
    "clip",
    "is_small_talk",
    "passage_text",
    "system_prompt",
    "turn_language",
    "turn_texts",
    "warm_up",
]
