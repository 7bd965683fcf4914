"""What the browser tests share: interface text in the page's language (the pages speak
Indonesian unless the person chose English), logging in through the login page, pressing a
button and waiting for the page it leads to, the messages a page shows, and files to upload."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation
from django.utils.text import capfirst

from tests import factories

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture then skips every test (fails them in CI)
    expect = None

# A PDF small and plain enough for the permit document checks.
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def t(msgid: str, language: str = "id", **values) -> str:
    """``msgid`` as the page shows it in ``language`` (placeholders filled from ``values``)."""
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % values if values else text


def tn(singular: str, plural: str, count: int, language: str = "id", **values) -> str:
    """A message with singular and plural forms, for ``count``."""
    with translation.override(language):
        text = translation.ngettext(singular, plural, count)
    return text % {"counter": count, **values}


def label(msgid: str, language: str = "id") -> str:
    """A form label taken from a model field's verbose name: translated, first letter capital."""
    return capfirst(t(msgid, language))


def main(page):
    """The page's main region: header links (menus, the bell…) never match a selector here."""
    return page.locator("main")


def field(scope, msgid: str, language: str = "id"):
    """The form field labelled ``msgid`` (a required field's label ends in "*", which is
    hidden from screen readers)."""
    text = re.escape(label(msgid, language))
    return scope.get_by_label(re.compile(rf"^\s*{text}\s*\*?\s*$", re.IGNORECASE))


def press(page, locator, *, force: bool = False) -> None:
    """Click a button or link that loads another page, and wait until that page has loaded.

    ``force`` presses a button marked aria-disabled, which Playwright will not click but a
    person can: Kurasi's such buttons still send the form, and the server says why not.
    """
    with page.expect_navigation():
        locator.click(force=force)


def button(page, msgid: str, language: str = "id", **values):
    return main(page).get_by_role("button", name=t(msgid, language, **values), exact=True)


def form_with(page, msgid: str, **values):
    """The form in the main region that has the button ``msgid``."""
    submit = page.get_by_role("button", name=t(msgid, **values), exact=True)
    return main(page).locator("form", has=submit)


def messages(page) -> list[str]:
    """The texts of the flash messages the page shows."""
    return [text.strip() for text in page.locator("ul.messages li").all_inner_texts()]


def expect_message(page, msgid: str, **values) -> None:
    expect(page.locator("ul.messages")).to_contain_text(t(msgid, **values))


def log_in(page, user, password: str = factories.PASSWORD, language: str = "id") -> None:
    """Log in through the login page, as a person does."""
    page.goto("/accounts/login/")
    field(main(page), "Username or e-mail", language).fill(user.username)
    field(main(page), "Password", language).fill(password)
    press(page, button(page, "Log in", language=language))
    assert "/accounts/login/" not in page.url, f"{user.username} could not log in"


def fits_phone(page) -> bool:
    """Nothing on the page is wider than the phone's screen (tables scroll inside their box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def jpeg_files(folder: Path, count: int) -> list[Path]:
    """``count`` product photos (JPEGs of different colours), as a phone's gallery holds them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"foto-{index + 1}.jpg"
        colour = (40 + 60 * index, 120, 200 - 50 * index)
        path.write_bytes(factories.image_bytes(size=(640, 480), colour=colour))
        paths.append(path)
    return paths


def pdf_file(folder: Path, name: str = "dokumen.pdf") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(PDF)
    return path
