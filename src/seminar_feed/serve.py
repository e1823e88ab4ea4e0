"""Serve the published folder on this machine the way a good static host would:
the right types, and answers to conditional requests, which calendar clients use
to ask whether a feed changed."""

from __future__ import annotations

import hashlib
import io
import socket
import threading
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .group import SCHEDULE_SUFFIXES

CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}
POLL_SECONDS = 0.5


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files with ETag and Last-Modified, and 304 when nothing changed."""

    def send_head(self) -> io.BytesIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        # A symbolic link may lead out of the folder: serve only what lies inside it.
        inside = path.resolve().is_relative_to(Path(self.directory).resolve())
        if not inside or not path.is_file():
            self.send_error(404, "Not found")
            return None
        data = path.read_bytes()
        modified = int(path.stat().st_mtime)
        tag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
        status = 304 if self._unchanged(tag, modified) else 200
        self.send_response(status)
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.send_header("Cache-Control", "no-cache")  # always ask; 304 keeps it cheap
        if status == 304:
            self.end_headers()
            return None
        self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def _unchanged(self, tag: str, modified: int) -> bool:
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
        match = self.headers.get("If-None-Match")
        if match is not None:
            # Weak comparison (RFC 9110 8.8.3.2): W/"x" names the same content as "x".
            tags = (part.strip().removeprefix("W/") for part in match.split(","))
            return match.strip() == "*" or tag in tags
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return modified <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def log_message(self, format: str, *args: object) -> None:
        pass  # the preview prints what it rebuilds instead


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def make_server(folder: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Bind a server for `folder` on an IPv4 or IPv6 address; port 0 takes any free
    port. Raise OSError if it cannot listen there."""
    server = _IPv6Server if ":" in host else ThreadingHTTPServer
    return server((host, port), partial(PreviewHandler, directory=str(folder)))


def site_url(scheme: str, host: str, port: int) -> str:
    """The address of the server's root folder, an IPv6 host in brackets."""
    return f"{scheme}://[{host}]:{port}/" if ":" in host else f"{scheme}://{host}:{port}/"


def watch(
    path: Path, on_change: Callable[[], None], stop: threading.Event, ready: threading.Event
) -> None:
    """Call on_change whenever `path` is saved (for a group's folder, any schedule in
    it, added or removed), until `stop` is set; set `ready` once the file as it is now
    has been seen."""
    seen = _contents(path)
    ready.set()
    while not stop.wait(POLL_SECONDS):
        current = _contents(path)
        if current != seen:
            seen = current
            on_change()


def _contents(path: Path) -> object:
    # Contents, not times: an edit that keeps the size within the file system's time
    # resolution leaves the modification time as it was.
    if path.is_dir():
        return [
            (each.name, _contents(each))
            for each in sorted(path.iterdir())
            if each.suffix in SCHEDULE_SUFFIXES
        ]
    try:
        return path.read_bytes()
    except OSError:
        return None
