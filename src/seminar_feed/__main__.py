"""The seminar-feed command as a process: the console script and `python -m seminar_feed`.

A command lives a tenth of a second, most of it spent importing libraries. So, as mypy
does, it runs the cyclic garbage collector rarely, and once its output is flushed it
ends the process at once instead of tearing the interpreter down object by object,
which would add a sixth to a build. Files are closed as they are written, and nothing
registers work for the interpreter's exit; a profiler, a debugger or a coverage tracer
does, so under one the process ends as usual.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def run() -> NoReturn:
    """Run the command line; end the process with its exit status."""
    gc.set_threshold(200_000, 30, 30)  # before the imports, which make most of the objects
    from .cli import main

    try:
        main.main(prog_name="seminar-feed")
    except SystemExit as exit:
        if exit.code is not None and not isinstance(exit.code, int):
            raise  # a message: Python's own exit prints it
        status = exit.code or 0
    if sys.gettrace() is not None or sys.getprofile() is not None:
        raise SystemExit(status)  # so that what watches the process can write what it saw
    for stream in sys.stdout, sys.stderr:
        if stream is not None:  # None when the process was started with it closed
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
