"""The committed Indonesian catalogue is complete and its compiled .mo matches the .po."""

import gettext
import re
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        joined = "\n".join(lines)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', joined, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', joined, re.M)
        if not msgid or not msgstr:
            continue

        def unquote(chunk):
            return "".join(re.findall(r'"(.*)"', chunk))

        key = unquote(msgid.group(1))
        if key:
            entries[key] = unquote(msgstr.group(1))
    return entries


def test_every_indonesian_message_is_translated():
    entries = _po_entries()
    assert len(entries) > 300
    missing = [key for key, value in entries.items() if not value]
    assert missing == []


def test_compiled_catalogue_is_current_with_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    compiled = {key if isinstance(key, str) else key[0] for key in catalogue._catalog}
    source = {
        key.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        for key in _po_entries()
    }
    assert source - compiled == set(), "run `make messages` to recompile the .mo file"
