"""The server engine: answers streamed from a clinic's OpenAI-compatible server.

vLLM, llama.cpp's server, Ollama and SGLang all serve ``/v1/chat/completions``
with server-sent events. ``ServerEngine`` has the local ``Engine``'s interface
(``info``, ``count_tokens``, ``stream``), so the turn pipeline cannot tell the two
apart: triage, retrieval, reading levels and storage stay on this computer, and
only the composed chat messages go to the server.

The official ``openai`` client speaks the protocol (requests, SSE, error types);
this module adds what a patient's window needs from it:

- Stop closes the stream at once, even while the server is silent: the response
  is read on a helper thread and the answer's own thread only waits on a queue.
- Each fault (nothing listening, too slow, busy, a 5xx, a refused key, an unknown
  model, a stream that is cut or unreadable) becomes a ``ServerError`` with a
  plain message, a hint and a ``kind``.
- Nothing is retried behind the patient's back, and nothing is sent to a server
  nobody configured: there is no default URL.
"""

from __future__ import annotations

import contextlib
import ipaddress
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from .errors import ServerError
from .streams import GenerationStats, ModelInfo, TextStream

DEFAULT_CONTEXT = 4096  # tokens; what the README asks a clinic's server to allow
CONNECT_TIMEOUT_S = 5.0
# Longest silence before the first piece and between two pieces. A CPU server
# that answers kiosks one at a time may keep the next one waiting for a while.
TOKEN_TIMEOUT_S = 60.0
POLL_S = 0.05  # how often a waiting answer looks at Stop
# Role markers of common chat templates. The server applies the template, and
# llama.cpp's reads such text in a message as the real marker; typed by a
# patient, it could open a "system" turn of their own.
MARKERS = re.compile(r"<\|[^|<>\s]{1,40}\|>|</?s>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>")


@dataclass(frozen=True)
class ServerConfig:
    """Where the clinic's server is and how to talk to it.

    ``api_key`` never appears in ``repr`` (logs, tracebacks); it is read from a
    file of its own, never from the database (``chatapp.server_settings``).
    """

    url: str
    model: str = ""  # "" = the one the server lists first
    api_key: str = field(default="", repr=False)
    verify_tls: bool = True
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    token_timeout_s: float = TOKEN_TIMEOUT_S
    context_length: int = 0  # 0 = what the server says (vLLM), else DEFAULT_CONTEXT

    @property
    def base_url(self) -> str:
        return api_base(self.url)


def api_base(url: str) -> str:
    """The API root of ``url``: "http://host:8000" becomes "http://host:8000/v1".

    Raises ``ValueError`` for anything but an http(s) URL with a host.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not a server address; it looks like "
                         "http://192.168.1.20:8000 or https://ai.clinic.example")
    path = parts.path.rstrip("/")
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def url_warning(url: str) -> str:
    """Why ``url`` is risky for patients' questions, or "" when it is not.

    https is encrypted; plain http is acceptable only inside the clinic: this
    computer, a private network address, or a local name ("aiserver",
    "box.local"). Anything else would carry questions unencrypted across the
    internet.
    """
    parts = urlsplit(url.strip())
    if parts.scheme == "https":
        return ""
    host = (parts.hostname or "").lower()
    if _inside_clinic(host):
        return ""
    return (f"{url} is not encrypted (http) and is not on this computer or a private "
            "network: patients' questions would cross the internet readable by anyone "
            "on the way. Use an https address, or a server inside the clinic.")


def _inside_clinic(host: str) -> bool:
    if host == "localhost" or "." not in host or host.endswith((".local", ".lan",
                                                                  ".internal", ".home.arpa")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def plain_markers(text: str) -> str:
    """``text`` with chat-template role markers broken by a space ("< |im_start|>")."""
    return MARKERS.sub(lambda m: m.group(0)[0] + " " + m.group(0)[1:], text)


def connect(config: ServerConfig,
            progress: Callable[[str], None] | None = None) -> ServerEngine:
    """Reach the server, choose its model, and return an engine that streams from it.

    Raises ``ServerError`` when the server cannot be reached, refuses the key, or
    does not serve ``config.model``.
    """
    started = time.perf_counter()
    base = config.base_url
    if progress is not None:
        progress("Connecting to the clinic's server…")
    client = _client(config)
    served = _served_models(client, config)
    names = [m["id"] for m in served]
    name = config.model or (names[0] if names else "")
    if not name:
        raise ServerError(f"The server at {base} lists no model.",
                          "Give the model's name (--server-model, or Settings).", "model")
    if names and name not in names:
        raise ServerError(
            f"The server at {base} does not serve a model called {name!r}; "
            f"it serves: {', '.join(names)}.",
            "Correct the model name in Settings, kiosk.toml or --server-model.", "model")
    listed = next((m for m in served if m["id"] == name), {})
    context = config.context_length or int(listed.get("max_model_len") or DEFAULT_CONTEXT)
    info = ModelInfo(name=name, device="server", dtype="-", source=base,
                     context_length=context, loaded_from="server",
                     load_ms=round((time.perf_counter() - started) * 1000, 1),
                     weights="server")
    return ServerEngine(client, info, config)


def _client(config: ServerConfig):
    import httpx2
    import openai

    timeout = httpx2.Timeout(config.token_timeout_s, connect=config.connect_timeout_s)
    # trust_env: a clinic's proxy settings apply, as for any other program.
    http = httpx2.Client(verify=config.verify_tls, timeout=timeout)
    # Servers without keys (llama.cpp, Ollama) still need some string here.
    return openai.OpenAI(base_url=config.base_url, api_key=config.api_key or "none",
                         timeout=timeout, max_retries=0, http_client=http)


def _served_models(client, config: ServerConfig) -> list[dict]:
    """The server's models (``/v1/models``); [] from a server that lists none."""
    import openai

    try:
        return [m.model_dump() for m in client.models.list()]
    except openai.NotFoundError:
        return []  # some servers have no model list: the configured name is used
    except openai.APIError as exc:
        raise server_error(exc, config.base_url) from exc


def server_error(exc: BaseException, base: str) -> ServerError:
    """A plain-language ``ServerError`` for what the openai client raised."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return ServerError(f"The clinic's server at {base} did not answer in time.",
                           "It may be overloaded or stopped. Try again, or ask the "
                           "clinic's IT staff.", "timeout")
    if isinstance(exc, openai.APIConnectionError):
        return ServerError(f"CareChat could not reach the clinic's server at {base}.",
                           "Check that the server is running and this computer is on the "
                           "clinic's network.", "unreachable")
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return ServerError(f"The clinic's server at {base} refused CareChat's API key.",
                           "Check the key in the server key file (see the README).", "auth")
    if isinstance(exc, openai.RateLimitError):
        return ServerError("The clinic's server is busy with other questions right now.",
                           "Please try again in a minute.", "busy")
    if isinstance(exc, openai.NotFoundError):
        return ServerError(f"The clinic's server at {base} does not have the model "
                           "CareChat asked for.",
                           "Correct the model name in Settings, kiosk.toml or "
                           "--server-model.", "model")
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return ServerError(f"The clinic's server had an internal error ({exc.status_code}).",
                           "Try again; if it keeps happening, tell the clinic's IT staff.",
                           "server")
    if isinstance(exc, openai.APIStatusError):
        return ServerError(f"The clinic's server turned the question down "
                           f"({exc.status_code}: {_detail(exc)}).",
                           "Start a new conversation or ask a shorter question.", "refused")
    return ServerError("The clinic's server sent an answer CareChat could not read "
                       f"({type(exc).__name__}).",
                       "Check that the address points at an OpenAI-compatible server.",
                       "malformed")


def _detail(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:200]
    return str(getattr(exc, "message", "") or exc)[:200]


def dropped(base: str) -> ServerError:
    return ServerError(f"The clinic's server at {base} stopped in the middle of the answer.",
                       "What it wrote so far is kept. Try again in a moment.", "dropped")


class ServerEngine:
    """Streams answers from an OpenAI-compatible server; one stream at a time."""

    def __init__(self, client, info: ModelInfo, config: ServerConfig) -> None:
        self.client = client
        self.info = info
        self.config = config

    def count_tokens(self, messages: Sequence[dict]) -> int:
        """An upper estimate of the prompt's tokens, without the server's tokenizer.

        One token per three bytes of UTF-8 overcounts English (about four
        characters a token) and counts one token per Chinese character, so a
        prompt fitted to the context never overflows it; plus each message's
        role markers.
        """
        return sum(len(m["content"].encode()) // 3 + 8 for m in messages) + 4

    def answer_logprobs(self, messages: Sequence[dict],
                        token_ids: Sequence[int]) -> list[float] | None:
        """None: a chat server scores no answer it is given (and reports no token ids),
        so the turn judges the server's answers by their words alone."""
        return None

    def forget(self) -> None:
        """Nothing to drop: the server is sent each prompt whole and keeps none here."""

    def close(self) -> None:
        self.client.close()

    def stream(
        self,
        messages: Sequence[dict],
        max_new_tokens: int = 256,
        temperature: float = 0.0,
        stop_event: threading.Event | None = None,
        top_p: float = 0.9,
        seed: int | None = None,
    ) -> TextStream:
        clean = [{"role": m["role"], "content": plain_markers(m["content"])} for m in messages]
        request = {"model": self.info.name, "messages": clean, "stream": True,
                   "max_tokens": max_new_tokens, "temperature": temperature}
        if temperature > 0:
            request["top_p"] = top_p
        if seed is not None:
            request["seed"] = seed
        stop = stop_event or threading.Event()
        return TextStream(lambda done: self._generate(done, request, stop))

    def _generate(self, done, request: dict, stop: threading.Event) -> Iterator[str]:
        reader = _Reader(self.client, request, self.info.source)
        start = time.perf_counter()
        first_at = None
        pieces = 0
        reason = "length"
        try:
            for kind, value in reader.items(stop):
                if kind == "piece":
                    first_at = first_at or time.perf_counter()
                    pieces += 1
                    yield value
                elif kind == "end":
                    reason = {"stop": "eos", "length": "length"}.get(value, "eos")
            if stop.is_set():
                reason = "stopped"
        finally:
            reader.close()
        end = time.perf_counter()
        tokens = reader.usage_tokens or pieces
        first = first_at or end
        done(GenerationStats(
            prompt_tokens=reader.prompt_tokens, tokens=tokens,
            ttft_ms=round((first - start) * 1000, 1),
            total_ms=round((end - start) * 1000, 1),
            # As the local engine counts it: decode steps after the first token.
            tokens_per_s=round((tokens - 1) / (end - first), 2)
            if tokens > 1 and end > first else 0.0,
            stop_reason=reason))


class _Reader:
    """Reads one streamed response on its own thread, into a queue.

    The answer's thread waits on the queue in short steps and so sees Stop at
    once, whatever the server is doing; closing the response then ends the
    helper's read.
    """

    def __init__(self, client, request: dict, base: str) -> None:
        self._client = client
        self._request = request
        self._base = base
        self._queue: queue.Queue = queue.Queue()
        self._response = None
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self.prompt_tokens = 0
        self.usage_tokens = 0
        self._thread = threading.Thread(target=self._run, name="carechat-server-stream",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        ended = False
        try:
            response = self._client.chat.completions.create(**self._request)
            with self._lock:
                self._response = response
                if self._closed.is_set():  # Stop came while the server was silent
                    response.close()
                    return
            for chunk in response:
                if getattr(chunk, "usage", None):
                    self.prompt_tokens = chunk.usage.prompt_tokens or 0
                    self.usage_tokens = chunk.usage.completion_tokens or 0
                for choice in chunk.choices or ():
                    text = getattr(choice.delta, "content", None) if choice.delta else None
                    if text:
                        self._queue.put(("piece", text))
                    if choice.finish_reason:
                        ended = True
                        self._queue.put(("end", choice.finish_reason))
            if not ended and not self._closed.is_set():
                self._queue.put(("error", dropped(self._base)))
        except Exception as exc:  # a refusal, a cut connection, a stream that is not JSON
            if not self._closed.is_set():
                self._queue.put(("error", _mid_stream(exc, self._base)))
        finally:
            self._queue.put(("done", None))

    def items(self, stop: threading.Event) -> Iterator[tuple[str, object]]:
        """("piece", text) and ("end", finish reason) until the response ends or
        ``stop`` is set; raises the ``ServerError`` of a fault."""
        while not stop.is_set():
            try:
                kind, value = self._queue.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield kind, value

    def close(self) -> None:
        """End the request now; the helper thread finishes on its own."""
        with self._lock:
            self._closed.set()
            if self._response is not None:
                # Closing a broken connection can fail; it is gone anyway.
                with contextlib.suppress(Exception):
                    self._response.close()


def _mid_stream(exc: BaseException, base: str) -> ServerError:
    """The ``ServerError`` for what went wrong after the request was sent."""
    import httpx2
    import openai

    if isinstance(exc, openai.APIStatusError | openai.APIConnectionError):
        return server_error(exc, base)
    if isinstance(exc, httpx2.TimeoutException):
        return server_error(openai.APITimeoutError(request=httpx2.Request("POST", base)), base)
    if isinstance(exc, httpx2.TransportError | ConnectionError):
        return dropped(base)
    if isinstance(exc, openai.APIError):  # an "error" event inside the stream
        return ServerError(f"The clinic's server reported an error in the middle of the "
                           f"answer ({_detail(exc)}).",
                           "What it wrote so far is kept. Try again in a moment.", "server")
    return server_error(exc, base)  # not the protocol at all: "malformed"
