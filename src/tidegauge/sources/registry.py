"""The source registry: source name → factory, built-ins registered here, explicitly.

Built-in sources do not register themselves on import (which made :mod:`.base` import its own
sources, an import cycle); this module imports the contract and each built-in and registers
their factories, the same way a plug-in does::

    from tidegauge.sources.registry import register_source

    @register_source("mysource")
    def make_mysource(settings: Settings) -> Source:
        return MySource(settings)

The FRED source (and with it the HTTP stack, about 0.4 s of imports) is imported when a FRED
source is made, not with this module: an update from a mirror never imports it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import Settings
from ..errors import ConfigError
from .base import Source
from .datahub import make_datahub_source
from .mirror import make_mirror_source

__all__ = ["SourceFactory", "make_source", "register_source", "source_names"]

SourceFactory = Callable[[Settings], Source]
"""Builds a source from the resolved settings."""

_REGISTRY: dict[str, SourceFactory] = {}


def register_source(name: str) -> Callable[[SourceFactory], SourceFactory]:
    """Register a source factory under ``name`` (built-ins use the same path as plug-ins).

    Parameters
    ----------
    name
        The source's name (``make_source(settings, name)``, a catalog entry's ``source``).

    Returns
    -------
    callable
        A decorator that registers the factory and returns it unchanged.
    """

    def deco(factory: SourceFactory) -> SourceFactory:
        _REGISTRY[name] = factory
        return factory

    return deco


def source_names() -> list[str]:
    """Names of the registered sources, sorted."""
    return sorted(_REGISTRY)


def make_source(settings: Settings, name: str | None = None, *, family: str = "fred") -> Source:
    """The source for a family of series (``fred``, ``datahub``, ``dts``).

    Parameters
    ----------
    settings
        Resolved settings.
    name
        A registered source name; default: chosen by ``family``.
    family
        For ``fred``: the mirror when one is set, else FRED. Other families are looked up by
        name (each handles its own offline folder).

    Raises
    ------
    ConfigError
        No source is registered under the chosen name.
    """
    if name is None and family != "fred":
        name = family
    chosen = name or ("mirror" if settings.mirror is not None else "fred")
    try:
        factory = _REGISTRY[chosen]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError.t("errors.config.unknown_source", chosen=chosen, known=known) from None
    return factory(settings)


def make_fred_source(settings: Settings) -> Source:
    """:func:`tidegauge.sources.fred.make_fred_source`, imported on first use."""
    from .fred import make_fred_source as make

    return make(settings)


def make_dts_source(settings: Settings) -> Source:
    """:func:`tidegauge.sources.dts.make_dts_source`, imported on first use (it may fetch over
    HTTP)."""
    from .dts import make_dts_source as make

    return make(settings)


register_source("fred")(make_fred_source)
register_source("mirror")(make_mirror_source)
register_source("datahub")(make_datahub_source)
register_source("dts")(make_dts_source)
