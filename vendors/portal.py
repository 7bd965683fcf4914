"""Sections that later stages add to the applicant portal.

Data flows vendors → curation → certification, so the portal view may not import the later
stages. Instead a later stage registers a section provider from its ``AppConfig.ready``; the
portal asks each provider for its section, which carries the template to include and the data
it shows, already loaded (no queries from the template).
"""

from collections.abc import Callable

SectionProvider = Callable[[object], dict | None]

_providers: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> SectionProvider:
    """Add ``provider(user) -> {"template": ..., ...} | None`` to the portal, once."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user) -> list[dict]:
    return [section for provider in _providers if (section := provider(user)) is not None]
