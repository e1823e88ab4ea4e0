"""The seminar-feed command as a process: the console script and `python -m seminar_feed`.

A command lives a tenth of a second, most of it spent importing libraries. So, as mypy
does, it runs the cyclic garbage collector rarely, and once its output is flushed it
ends the process at once instead of tearing the interpreter down object by object,
which would add a sixth to a build. Files are closed as they are written, and nothing
registers work for the interpreter's exit; a profiler or a coverage tracer does, so
under one the process ends as usual.

Standard output and error are reopened over files of the process's own: a failure to
write standard output is then told from any other (a full disk there is the user's to
fix, not a bug); every write to it is whole (under `python -u` the interpreter's own
stream takes part of a write to a full disk without a word); and a message that cannot
be written to standard error is dropped instead of stopping the command.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class OutputError(OSError):
    """Standard output cannot be written: a full disk, a file size limit."""


class _Output(io.FileIO):
    """Standard output's file: every failure to write it is an OutputError."""

    def write(self, data: ReadableBuffer) -> int:
        try:
            written: int | None = super().write(data)
        except OSError as error:
            raise OutputError(error.errno, error.strerror) from None
        if written is None:  # a pipe left non-blocking that takes nothing more for now
            raise OutputError(errno.EAGAIN, os.strerror(errno.EAGAIN))
        return written


class _Messages(io.FileIO):
    """Standard error's file: a message it cannot take is dropped."""

    def write(self, data: ReadableBuffer) -> int:
        try:
            written: int | None = super().write(data)
        except OSError:
            written = None  # nowhere left to say so: the message is dropped
        return len(memoryview(data)) if written is None else written


class _Closed(io.RawIOBase):
    """Standard output when the process started with it closed: writing fails, as `cat`'s
    would, instead of going nowhere."""

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        raise OutputError(errno.EBADF, os.strerror(errno.EBADF))


def run() -> NoReturn:
    """Run the command line; end the process with its exit status."""
    gc.set_threshold(200_000, 30, 30)  # before the imports, which make most of the objects
    # None when the process started with it closed; another stream when replaced.
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_Closed()), encoding="utf-8")
    elif sys.__stdout__ is not None and sys.stdout is sys.__stdout__:
        sys.stdout = _reopened(sys.__stdout__, _Output)
    if sys.__stderr__ is not None and sys.stderr is sys.__stderr__:
        sys.stderr = _reopened(sys.__stderr__, _Messages)
    from .cli import main

    try:
        main.main(prog_name="seminar-feed")
    except SystemExit as exit:
        if exit.code is not None and not isinstance(exit.code, int):
            raise  # a message: Python's own exit prints it
        status = _flushed(exit.code or 0)
    except OutputError as error:  # Click itself ends quietly only when the reader has gone
        status = _unwritable(error)
    if sys.gettrace() is not None or sys.getprofile() is not None or _monitored():
        raise SystemExit(status)  # so that what watches the process can write what it saw
    os._exit(status)


def _reopened(stream: io.TextIOWrapper, kind: type[io.FileIO]) -> io.TextIOWrapper:
    """Reopen a standard stream over its file, written through `kind`."""
    try:
        raw = kind(stream.fileno(), "w", closefd=False)
    except OSError:  # not a file: the stream stays as it is
        return stream
    return io.TextIOWrapper(
        io.BufferedWriter(raw),  # which writes what `raw` takes only in part again
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=bool(stream.line_buffering),
        write_through=stream.write_through,
    )


def _flushed(status: int) -> int:
    """Write out what standard output and error hold; give the status to end with."""
    if sys.stderr is not None:
        sys.stderr.flush()
    if sys.stdout is not None:
        try:
            sys.stdout.flush()
        except OutputError as error:
            return _unwritable(error)
    return status


def _unwritable(error: OutputError) -> int:
    """Say that standard output cannot be written, unless its reader has gone; give 1."""
    if error.errno != errno.EPIPE and sys.stderr is not None:
        sys.stderr.write(f"standard output: cannot write: {error.strerror}\n")
        sys.stderr.flush()
    return 1


def _monitored() -> bool:
    """Say whether a tool watches the process through sys.monitoring (Python 3.12 on)."""
    if sys.version_info < (3, 12):
        return False
    return any(sys.monitoring.get_tool(tool) is not None for tool in range(6))


if __name__ == "__main__":
    run()
