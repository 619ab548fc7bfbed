"""Login throttling: after a few wrong passwords, a name (and an address) waits.

Kept in memory: one ``govreport serve`` process serves a region; a restart
forgets the count, which only gives a guesser a few more tries per restart.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class Throttle:
    """Failures per key (user name, client address) in a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_seconds(self, *keys: str) -> int:
        """How long these keys must still wait (0: they may try)."""
        moment = time.monotonic()
        longest = 0.0
        with self._lock:
            for key in keys:
                failures = self._recent(key, moment)
                if len(failures) >= self.limit:
                    longest = max(longest, failures[0] + self.window - moment)
        return int(longest) + (1 if longest > 0 else 0)

    def failed(self, *keys: str) -> None:
        moment = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, moment).append(moment)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str, moment: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= moment - self.window:
            failures.popleft()
        return failures
