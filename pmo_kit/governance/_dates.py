"""The status date a governance view is measured at."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit.data.inputs import DateLike, to_day

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["DateLike", "as_of_date"]


def as_of_date(portfolio: Portfolio, as_of: DateLike | None) -> pd.Timestamp:
    """Return ``as_of`` as a day; None or empty text: the portfolio's status date."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return pd.Timestamp(portfolio.projects["status_date"].max()).normalize()
    return to_day(as_of, "as_of")
