"""How long one search may take, whatever the engine: a deadline that the engine checks in
its loops. Past it, the engine stops and answers with what it found so far, marked partial."""

import time


class OutOfTime(Exception):
    """The search's time budget is spent."""


class Budget:
    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + seconds
        self.spent = False

    def check(self):
        """Raise OutOfTime once the deadline has passed."""
        if self.clock() > self.deadline:
            self.spent = True
            raise OutOfTime

    def elapsed(self):
        return self.clock() - self.started
