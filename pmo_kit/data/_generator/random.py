"""Fast scalar draws for the generator's per-item loops."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Dice"]


class Dice:
    """
    Scalar random draws taken from blocks of a seeded numpy generator.

    Calling ``Generator.integers`` once per task costs microseconds; drawing
    uniforms in blocks and slicing them in Python is many times faster and just as
    reproducible for a given seed.
    """

    def __init__(self, rng: np.random.Generator, block: int = 8192) -> None:
        self._rng = rng
        self._block = block
        self._values: list[float] = []
        self._next = 0

    @property
    def rng(self) -> np.random.Generator:
        """The underlying generator, for draws of whole arrays."""
        return self._rng

    def random(self) -> float:
        """Draw a uniform number in ``[0, 1)``."""
        if self._next >= len(self._values):
            self._values = self._rng.random(self._block).tolist()
            self._next = 0
        value = self._values[self._next]
        self._next += 1
        return value

    def integers(self, low: int, high: int) -> int:
        """Draw a whole number in ``[low, high)``; ``high`` must exceed ``low``."""
        return low + min(int(self.random() * (high - low)), high - low - 1)

    def uniform(self, low: float, high: float) -> float:
        """Draw a uniform number in ``[low, high)``."""
        return low + self.random() * (high - low)

    def pick(self, cumulative: tuple[float, ...]) -> int:
        """Draw an index with probabilities whose running totals are ``cumulative``."""
        return min(bisect_right(cumulative, self.random()), len(cumulative) - 1)

    def sample(self, n: int, k: int) -> list[int]:
        """Draw ``k`` distinct indices out of ``range(n)``, in random order."""
        pool = list(range(n))
        for i in range(k):
            j = i + self.integers(0, n - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]
