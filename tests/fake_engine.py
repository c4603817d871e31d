"""A scripted stand-in for model.Engine, for tests about the app rather than the model."""

from __future__ import annotations

from model.engine import GenerationStats, ModelInfo, TextStream


class ScriptedEngine:
    """Streams the enqueued answers, piece by piece, and records what it was asked."""

    def __init__(self, *answers: list[str], scores: tuple[float, float] | None = None) -> None:
        """``scores``: (with the passages, alone) makes it score its answers as the
        local engine does: each piece is one token, written at the first
        log-probability and scored at the second by ``answer_logprobs`` (the
        grounding check's passage gain is the difference). Without, it cannot
        score them, as a clinic's server cannot."""
        self.info = ModelInfo(name="scripted", device="cpu", dtype="float32", source="-",
                              context_length=4096, loaded_from="folder", load_ms=0.0)
        self.answers = list(answers)
        self.calls: list[list[dict]] = []
        self.scores = scores
        self.scored: list[tuple[list[dict], tuple[int, ...]]] = []

    def enqueue(self, *pieces: str) -> None:
        self.answers.append(list(pieces))

    def count_tokens(self, messages) -> int:
        return sum(len(m["content"].split()) for m in messages)

    def stream(self, messages, max_new_tokens=256, temperature=0.0, stop_event=None, **_):
        self.calls.append(list(messages))
        pieces = self.answers.pop(0)

        written = {} if self.scores is None else {
            "token_ids": tuple(range(len(pieces))),
            "logprobs": (self.scores[0],) * len(pieces)}

        def run(done):
            yield from pieces
            done(GenerationStats(prompt_tokens=self.count_tokens(messages), tokens=len(pieces),
                                 ttft_ms=1.0, total_ms=2.0, tokens_per_s=100.0,
                                 stop_reason="eos", **written))

        return TextStream(run)

    def answer_logprobs(self, messages, token_ids):
        if self.scores is None:
            return None
        self.scored.append((list(messages), tuple(token_ids)))
        return [self.scores[1]] * len(token_ids)

