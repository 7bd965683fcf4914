"""A real S3 endpoint on 127.0.0.1 for the storage tests: moto's HTTP server behind a gate that
checks query-string signatures the way AWS S3 does.

moto 5.2 refuses an anonymous GET of an object that no ACL or bucket policy makes public, but it
serves any URL that merely contains ``Signature=``: it checks neither the signature nor
``X-Amz-Expires``. The gate recomputes the SigV4 signature of every query-signed request with the
server's credentials and refuses a forged, re-targeted or expired one with S3's own 403 errors;
every other request reaches moto untouched.
"""

from __future__ import annotations

import datetime
import hmac
import threading
from urllib.parse import parse_qsl

import boto3
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

ACCESS_KEY = "AKIAKURASITESTS3KEY"
SECRET_KEY = "kurasi-test-secret-access-key"
REGION = "us-east-1"
MAX_EXPIRES = 7 * 24 * 3600  # S3's limit for a SigV4 query signature


def refusal(environ, now: datetime.datetime) -> tuple[str, str] | None:
    """S3's (code, message) for a query-signed request it would refuse; None when the request
    is not query-signed or its signature holds."""
    query = environ.get("QUERY_STRING", "")
    params = dict(parse_qsl(query, keep_blank_values=True))
    if "X-Amz-Signature" not in params:
        if "Signature" in params:
            return "AccessDenied", "Only AWS4-HMAC-SHA256 query signatures are accepted"
        return None
    try:
        access_key, _day, region, service, _terminator = params["X-Amz-Credential"].split("/")
        signed_at = datetime.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.UTC
        )
        expires = int(params["X-Amz-Expires"])
    except (KeyError, ValueError):
        return "AuthorizationQueryParametersError", "Malformed query-string authentication"
    if access_key != ACCESS_KEY:
        return "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist"
    if not 0 < expires <= MAX_EXPIRES:
        return "AuthorizationQueryParametersError", "X-Amz-Expires is out of range"
    host = environ["HTTP_HOST"]
    path = environ["RAW_URI"].partition("?")[0]
    unsigned_query = "&".join(
        piece for piece in query.split("&") if not piece.startswith("X-Amz-Signature=")
    )
    signed_headers = params.get("X-Amz-SignedHeaders", "host").split(";")
    request = AWSRequest(
        method=environ["REQUEST_METHOD"],
        url=f"http://{host}{path}?{unsigned_query}",
        headers={
            name: environ.get(f"HTTP_{name.upper().replace('-', '_')}", "")
            for name in signed_headers
        },
    )
    request.context["timestamp"] = params["X-Amz-Date"]
    auth = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), service, region, expires=expires)
    expected = auth.signature(
        auth.string_to_sign(request, auth.canonical_request(request)), request
    )
    if not hmac.compare_digest(expected, params["X-Amz-Signature"]):
        return "SignatureDoesNotMatch", "The request signature we calculated does not match"
    if now > signed_at + datetime.timedelta(seconds=expires):
        return "AccessDenied", "Request has expired"
    return None


class SignatureGate:
    """WSGI middleware: refuse what S3 would refuse, pass the rest to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        refused = refusal(environ, datetime.datetime.now(datetime.UTC))
        if refused is None:
            return self.app(environ, start_response)
        code, message = refused
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        ).encode()
        start_response(
            "403 Forbidden",
            [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
        )
        return [body]


class _QuietRequestHandler(MotoRequestHandler):
    def log_request(self, code="-", size="-"):
        """No access log: the tests assert on the responses themselves."""


class S3Server:
    """moto behind the gate, on a free loopback port, in a thread of the test process."""

    def __init__(self):
        app = SignatureGate(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> S3Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(signature_version="s3v4"),
        )
