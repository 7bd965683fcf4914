"""The two file storages in S3-compatible object storage (django-storages), for STORAGE_BACKEND=s3.

One bucket holds both. ``public/`` (listing photos) is readable by anyone through a bucket
policy on that prefix (README, "Object storage"); its objects carry a year-long immutable
``Cache-Control`` because a generated name never gets other content. ``private/`` (product photos,
permit documents) has no public ACL and no policy: an object there opens only through a signed,
expiring URL, which a view hands out after its permission check (``vendors.files``).

Kept free of Django imports so that ``config.settings`` and the storage tests build the same
configuration.
"""

PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


def s3_storages(
    *,
    bucket_name: str,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    querystring_expire: int = 300,
    signature_version: str = "s3v4",
) -> dict:
    """``STORAGES["default"]`` (public) and ``STORAGES["private"]`` for one bucket."""
    common = {
        "bucket_name": bucket_name,
        "endpoint_url": endpoint_url,
        "region_name": region_name,
        "access_key": access_key,
        "secret_key": secret_key,
        # Signature V2 is refused by newer AWS regions and most S3-compatible servers.
        "signature_version": signature_version,
        "file_overwrite": False,
        # Readability comes from the bucket policy on public/ only; new AWS buckets refuse
        # per-object ACLs anyway (Object Ownership "bucket owner enforced").
        "default_acl": None,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "public",
                "querystring_auth": False,
                "object_parameters": {"CacheControl": PUBLIC_CACHE_CONTROL},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": querystring_expire,
            },
        },
    }


def public_read_policy(bucket_name: str) -> dict:
    """The bucket policy that makes ``public/`` readable by anyone and nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicListingPhotos",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket_name}/public/*",
            }
        ],
    }
