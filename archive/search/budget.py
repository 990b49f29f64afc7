"""How much one search may cost, whatever the engine.

- A deadline (ARCHIVE_SEARCH_SECONDS) that the engine checks in its loops: past it, the engine
  stops and answers with what it found so far, marked partial.
- Heavy searches take turns: a search the engine expects to read more than
  ARCHIVE_SEARCH_HEAVY_POSTINGS postings, or one still running after
  ARCHIVE_SEARCH_SHARED_SECONDS, goes on only while it holds one of a few slots shared by every
  process on the machine (lock files); when all are taken it stops at once (partial, with a
  message). So a handful of costly searches (`{a TO m}`, a pasted page of common words) keep at
  most that many cores busy, and plain searches keep their speed meanwhile.
- A request that runs searches can run in a thread of its own (`lowerable`): once one of its
  searches turns out heavy (it takes a slot, finds them all taken, or asks for more words than
  are searched), the rest of that request, its page included, runs at the lowest CPU priority. On
  a machine with more busy workers than cores, plain searches go first.
"""

import contextlib
import contextvars
import fcntl
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class OutOfTime(Exception):
    """The search's time budget is spent."""


class Crowded(Exception):
    """A heavy search found every heavy-search slot taken."""


class Budget:
    def __init__(self, seconds, *, heavy_postings=None, shared_seconds=None, slots=None, clock=time.monotonic):
        self.seconds = seconds
        self.heavy_postings = heavy_postings
        self.slots = slots
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + seconds
        self.shared_until = self.started + shared_seconds if shared_seconds is not None and slots else None
        self.spent = False
        self.crowded = False  # stopped because every heavy-search slot was taken
        self._held = None

    def check(self):
        """Raise OutOfTime once the deadline has passed, or past the shared time when no slot is free."""
        now = self.clock()
        if now > self.deadline:
            self.spent = True
            raise OutOfTime
        if self.shared_until is not None and now > self.shared_until and self._held is None:
            self.shared_until = None
            lower_priority()
            self._held = self.slots.take()
            if self._held is None:
                self.crowded = True
                raise OutOfTime

    def admit(self, postings):
        """Called before a search reads its postings, with how many it expects to read: a heavy
        search takes a slot (kept until release()) or raises Crowded."""
        if self.heavy_postings is None or self.slots is None or postings <= self.heavy_postings:
            return
        lower_priority()
        if self._held is None:
            self._held = self.slots.take()
            if self._held is None:
                self.crowded = True
                raise Crowded

    def release(self):
        if self._held is not None:
            os.close(self._held)
            self._held = None

    def elapsed(self):
        return self.clock() - self.started

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


_thread = threading.local()


def lowerable(function, *args, **kwargs):
    """function(*args, **kwargs) in a thread of its own (and this thread's context), which
    lower_priority() may set to the lowest CPU priority. On Linux a nice value belongs to one
    thread, and a process cannot raise its own back: the thread is discarded afterwards."""
    if sys.platform != "linux":
        return function(*args, **kwargs)
    context = contextvars.copy_context()
    with ThreadPoolExecutor(1, thread_name_prefix="search") as thread:
        return thread.submit(context.run, _in_lowerable_thread, function, args, kwargs).result()


def _in_lowerable_thread(function, args, kwargs):
    _thread.lowerable = True
    return function(*args, **kwargs)


def lower_priority():
    """The rest of this thread's work at the lowest CPU priority, when it runs under lowerable()
    (else nothing: the thread is a worker's own, which must keep its priority)."""
    if getattr(_thread, "lowerable", False):
        _thread.lowerable = False
        with contextlib.suppress(OSError):  # a sandbox that forbids it: the work goes on all the same
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class Slots:
    """N slots shared by all processes on the machine, as lock files in folder."""

    def __init__(self, folder, count):
        self.folder = Path(folder)
        self.count = max(1, count)

    def take(self):
        """A held slot (a file descriptor to close to give it back), or None if all are taken."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for number in range(self.count):
            descriptor = os.open(self.folder / f"heavy-search-{number}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return descriptor
            except BlockingIOError:
                os.close(descriptor)
        return None
