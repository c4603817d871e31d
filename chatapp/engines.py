"""The engine that writes answers: the local model, or a clinic's server.

One function for the window's worker and for ``carechat ask``, so both choose,
fall back and warn the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .config import Settings


def open_engine(settings: Settings, progress: Callable[[str], None] | None = None):
    """The local model (``model.load``), or ``settings.server``'s engine.

    A server that cannot be reached raises ``model.ServerError``, unless
    ``settings.server_fallback``: then the local model answers and
    ``info.notice`` says so. A server address that would carry questions across
    the internet unencrypted is used (someone configured it) but ``info.notice``
    warns about it.
    """
    import model
    from model.server import connect, url_warning

    if settings.server is None:
        return model.load(settings.model, settings.device, settings.model_cache_dir, progress)
    try:
        engine = connect(settings.server, progress)
    except model.ServerError as exc:
        if not (settings.server_fallback and exc.unreachable):
            raise
        engine = model.load(settings.model, settings.device, settings.model_cache_dir,
                            progress)
        notice = (f"{exc.message} Until CareChat is started again, answers are written "
                  "by the model on this computer.")
        engine.info = replace(engine.info, notice=" ".join(filter(None, (notice,
                                                                           engine.info.notice))))
        return engine
    warning = url_warning(settings.server.url)
    if warning:
        engine.info = replace(engine.info, notice=warning)
    return engine
