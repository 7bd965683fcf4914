"""Panels that later stages add to the application page.

Data flows vendors → curation → certification, so the application page may not import the
certification stage. A later stage registers a panel provider from its ``AppConfig.ready`` (as
curation does for the vendors portal); the page asks each provider for its panel, which carries
the template to include and the data it shows, already loaded.
"""

from collections.abc import Callable

PanelProvider = Callable[[object, object], dict | None]

_providers: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> PanelProvider:
    """Add ``provider(user, application) -> {"template": ..., ...} | None``, once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(user, application) -> list[dict]:
    return [panel for provider in _providers if (panel := provider(user, application)) is not None]
