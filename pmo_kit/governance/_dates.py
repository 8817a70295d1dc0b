"""The status date a governance view is measured at."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from pmo_kit._errors import ValidationError

if TYPE_CHECKING:
    from pmo_kit.data.portfolio import Portfolio

__all__ = ["DateLike", "as_of_date"]

DateLike = str | dt.date | pd.Timestamp


def as_of_date(portfolio: Portfolio, as_of: DateLike | None) -> pd.Timestamp:
    """Return ``as_of`` as a day; None or empty text: the portfolio's status date."""
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return pd.Timestamp(portfolio.projects["status_date"].max()).normalize()
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        msg = f"{as_of!r} is an invalid value for `as_of`. Allowed: a date (YYYY-MM-DD)"
        raise ValidationError(msg)
    return stamp.normalize()
