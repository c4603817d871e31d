"""Names shared by the engine and its callers, importable without torch."""

DEFAULT_SPEC = "default"
DEVICES = ("auto", "cpu", "cuda", "mps")
