"""Clinical tests and their records (``myoaxis list tests``)."""

from myoaxis.assess.mvc import KG_FORCE, TESTS, mvc_records, peak_moving_mean

__all__ = ["KG_FORCE", "TESTS", "mvc_records", "peak_moving_mean"]
