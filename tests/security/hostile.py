"""Shared pieces of the security tests: hostile text, clients in English, the files stored."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client

# What people (and robots) type into text fields. Each is sent to every text field of every
# form; none may cause a 500, be stored altered, or come back unescaped.
PAYLOADS = {
    "long": ("Masker kain tiga lapis, dijahit rapi. " * 300)[:10_000],
    "unicode": "Masker 😷 kain “premium” — ñ ü ß 中文 𝔘𝔫𝔦 zero\u200bwidth\u200djoin\ufeffbom",
    "rtl": "\u202egpj.exe\u202c مرحبا بكم שלום",
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE accounts_user; --",
    "nul": "CV Uji\x00Coba",
}
# Markup that must never reach a page as markup (only escaped).
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def client_for(user=None, *, address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def media_files() -> list[Path]:
    """Every file under this test's MEDIA_ROOT (tests/conftest.py isolates it per test)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def unescaped_markup(html: str) -> list[str]:
    return [markup for markup in RAW_MARKUP if markup in html]
