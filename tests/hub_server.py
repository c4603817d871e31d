"""A small Hub-like HTTP server on 127.0.0.1 for the download tests (no internet).

It answers what huggingface_hub asks of the real Hub for one file:
``HEAD /{repo}/resolve/{revision}/{file}`` with the file's size and LFS SHA-256
(``X-Linked-Size``, ``X-Linked-Etag``), and ``GET`` with byte ranges, so a
resumed download asks for the rest only. Faults are switched on per test:
``cut_after`` closes the connection after that many bytes of a response,
``corrupt`` serves other bytes under the true hash.
"""

from __future__ import annotations

import hashlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class HubServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        """``files``: "repo/name/resolve/main/file.gguf" paths (without the leading /)."""
        self.files = dict(files)
        self.cut_after: int | None = None
        self.cuts_left = 0
        self.corrupt = False
        self.requests: list[tuple[str, str, str]] = []  # method, path, Range header
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_HEAD(self) -> None:
                hub._answer(self, body=False)

            def do_GET(self) -> None:
                hub._answer(self, body=True)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def ranges(self) -> list[str]:
        return [r for method, _, r in self.requests if method == "GET"]

    def _answer(self, handler: BaseHTTPRequestHandler, body: bool) -> None:
        path = handler.path.lstrip("/").split("?")[0]
        self.requests.append((handler.command, path, handler.headers.get("Range", "")))
        data = self.files.get(path)
        if data is None:
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.send_header("X-Error-Code", "EntryNotFound")
            handler.end_headers()
            return
        digest = hashlib.sha256(data).hexdigest()
        served = bytes(b ^ 0xFF for b in data) if self.corrupt else data
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", handler.headers.get("Range", ""))
        if body and match:
            start = int(match.group(1))
        chunk = served[start:]
        handler.send_response(206 if start else 200)
        handler.send_header("Content-Length", str(len(chunk)))
        if start:
            handler.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("ETag", f'"{digest}"')
        handler.send_header("X-Linked-Etag", f'"{digest}"')
        handler.send_header("X-Linked-Size", str(len(data)))
        handler.send_header("X-Repo-Commit", COMMIT)
        handler.end_headers()
        if not body:
            return
        if self.cut_after is not None and self.cuts_left > 0:
            self.cuts_left -= 1
            handler.wfile.write(chunk[: self.cut_after])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(chunk)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A client that stops reading (a cancelled download) is what the tests do.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def hub_path(repo: str, file: str, revision: str = "main") -> str:
    return f"{repo}/resolve/{revision}/{file}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(path: Path) -> bytes:
    return Path(path).read_bytes()
