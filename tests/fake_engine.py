"""A scripted stand-in for model.Engine, for tests about the app rather than the model."""

from __future__ import annotations

from model.engine import GenerationStats, ModelInfo, TextStream


class ScriptedEngine:
    """Streams the enqueued answers, piece by piece, and records what it was asked."""

    def __init__(self, *answers: list[str]) -> None:
        self.info = ModelInfo(name="scripted", device="cpu", dtype="float32", source="-",
                              context_length=4096, loaded_from="folder", load_ms=0.0)
        self.answers = list(answers)
        self.calls: list[list[dict]] = []

    def enqueue(self, *pieces: str) -> None:
        self.answers.append(list(pieces))

    def count_tokens(self, messages) -> int:
        return sum(len(m["content"].split()) for m in messages)

    def stream(self, messages, max_new_tokens=256, temperature=0.0, stop_event=None, **_):
        self.calls.append(list(messages))
        pieces = self.answers.pop(0)

        def run(done):
            yield from pieces
            done(GenerationStats(prompt_tokens=self.count_tokens(messages), tokens=len(pieces),
                                 ttft_ms=1.0, total_ms=2.0, tokens_per_s=100.0,
                                 stop_reason="eos"))

        return TextStream(run)
