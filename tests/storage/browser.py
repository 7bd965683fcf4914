"""Fetching a URL the way a browser follows a link: no credentials, only what the URL holds."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message


@dataclass
class Fetched:
    status: int
    headers: Message  # case-insensitive, as HTTP headers are
    body: bytes


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # loopback test server only
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read())
