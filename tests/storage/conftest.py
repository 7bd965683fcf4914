"""Every test here runs Kurasi's S3 storages (config/s3.py) against a real S3 HTTP server on
127.0.0.1, one fresh bucket per test.

Without moto or a working server the suite is skipped on a developer's machine, with the reason;
in CI (CI=true) it fails instead, so that object storage is never left unproven there.
"""

import json
import os
import uuid
from dataclasses import dataclass

import pytest

from config.s3 import public_read_policy, s3_storages


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"S3 suite cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"S3 suite skipped: {reason} (it runs in CI, where CI=true makes this a failure)")


@pytest.fixture(scope="session")
def s3_server():
    try:
        from tests.storage.s3server import S3Server
    except ImportError as error:
        _unavailable(
            f"moto[server] is not installed ({error}); run make test or pip install -e '.[dev]'"
        )
    try:
        server = S3Server().start()
        server.client().list_buckets()
    except Exception as error:  # any failure to bind or answer means no server to test against
        _unavailable(f"the S3 server did not start on 127.0.0.1 ({error!r})")
    yield server
    server.stop()


@dataclass
class Bucket:
    name: str
    client: object
    endpoint_url: str

    def object_keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def unsigned_url(self, key: str) -> str:
        return f"{self.endpoint_url}/{self.name}/{key}"


@pytest.fixture
def bucket(s3_server) -> Bucket:
    """A new bucket set up as production's: public/ readable by policy, private/ not."""
    client = s3_server.client()
    name = f"kurasi-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    return Bucket(name, client, s3_server.endpoint_url)


@pytest.fixture(autouse=True)
def _storages_on_s3(_isolated_media, settings, s3_server, bucket):
    """The production S3 configuration pointed at the test bucket (after the local media
    isolation of tests/conftest.py, which it replaces)."""
    from tests.storage.s3server import ACCESS_KEY, REGION, SECRET_KEY

    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(
            bucket_name=bucket.name,
            endpoint_url=s3_server.endpoint_url,
            region_name=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        ),
    }
