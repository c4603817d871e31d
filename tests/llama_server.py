"""llama.cpp's OpenAI-compatible server (llama-cpp-python[server]) for the tests,
and a proxy in front of it that can misbehave the way real servers do.

The server is real: the built-in GGUF, loaded by llama.cpp, on a free loopback
port. The proxy forwards its real answers and adds one fault at a time (a 500, a
429, silence, a stream cut or garbled after a few events), since a healthy
llama.cpp cannot be asked to fail on cue.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API_KEY = "test-key-7f3a"
MODEL_NAME = "smollm2-test"
START_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    """``python -m llama_cpp.server`` on a free loopback port; ``url`` once ready."""

    def __init__(self, gguf: Path, log: Path, api_key: str = API_KEY,
                 interrupt: bool = False) -> None:
        """``interrupt``: llama_cpp.server's own default (True) ends the answer in
        progress whenever another request arrives; kiosks sharing a server need
        False, so requests wait their turn instead (benchmarks/RESULTS.md)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_key = api_key
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
             "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "4096",
             "--model_alias", MODEL_NAME, "--api_key", api_key, "--verbose", "False",
             "--seed", "0", "--interrupt_requests", str(interrupt)],
            stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready(log)

    def _wait_ready(self, log: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        request = urllib.request.Request(f"{self.url}/v1/models",
                                         headers={"Authorization": f"Bearer {self.api_key}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-2000:]}")

    def kill(self) -> None:
        """As a crash would: no goodbye to the clients."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


class FaultProxy:
    """A loopback HTTP proxy to ``upstream`` that can add one fault.

    ``fault``: "" (pass everything through), "status" (answer ``status`` with an
    OpenAI-style error body), "silent" (accept, then say nothing), "slow"
    (``delay_s`` before each event after the first ``after``), "drop" (close the
    connection after ``after`` events), "garbled" (after ``after`` events, a line
    that is not JSON). Only chat completions get the fault; the model list is
    always passed through.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.fault = ""
        self.status = 500
        self.after = 3
        self.delay_s = 0.0
        self.requests = 0
        self.release = threading.Event()  # ends a "silent" fault's wait
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # a body ends when the connection closes

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                proxy._forward(self, None)

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy.requests += 1
                proxy._chat(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _upstream(self, handler, method: str, body: bytes | None):
        host = self.upstream.split("//", 1)[1]
        connection = http.client.HTTPConnection(host, timeout=120)
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() in ("authorization", "content-type")}
        connection.request(method, handler.path, body=body, headers=headers)
        return connection.getresponse()

    def _forward(self, handler, body: bytes | None) -> None:
        response = self._upstream(handler, "GET" if body is None else "POST", body)
        data = response.read()
        handler.send_response(response.status)
        handler.send_header("Content-Type", response.getheader("Content-Type", ""))
        handler.end_headers()
        handler.wfile.write(data)

    def _chat(self, handler, body: bytes) -> None:
        fault = self.fault
        if fault == "status":
            payload = json.dumps({"error": {"message": f"injected {self.status}",
                                            "type": "server_error"}}).encode()
            handler.send_response(self.status)
            handler.send_header("Content-Type", "application/json")
            handler.end_headers()
            handler.wfile.write(payload)
            return
        if fault == "silent":
            self.release.wait(300)
            return
        response = self._upstream(handler, "POST", body)
        handler.send_response(response.status)
        handler.send_header("Content-Type", response.getheader("Content-Type", ""))
        handler.end_headers()
        events = 0
        try:
            while line := response.readline():
                if line.startswith(b"data:"):
                    events += 1
                    if events > self.after:
                        if fault == "drop":
                            handler.wfile.flush()
                            handler.connection.shutdown(socket.SHUT_RDWR)
                            return
                        if fault == "garbled":
                            handler.wfile.write(b"data: {this is not json\n\n")
                            handler.wfile.flush()
                            return
                        if fault == "slow":
                            time.sleep(self.delay_s)
                handler.wfile.write(line)
                handler.wfile.flush()
        except OSError:
            pass  # the client went away (Stop): nothing more to send
        finally:
            response.close()
