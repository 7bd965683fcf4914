import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes files into its own folder, never into the developer's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "public", "base_url": "/media/public/"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "private", "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at its production cost takes ~0.5 s per password; tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background tasks run inside the test, once the change that queued them commits."""
    settings.TASKS = {"default": {"BACKEND": "config.tasks.ImmediateAfterCommitBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: nothing cached by one test leaks into the next."""
    from django.core.cache import cache

    cache.clear()
