"""summarize() refuses input it cannot summarise, with a message naming the problem."""

import numpy as np
import pytest

from regulars.insights.clv import FitErrorCode, ModelFitError, summarize


def _error(*args, **kwargs) -> ModelFitError:
    with pytest.raises(ModelFitError) as caught:
        summarize(*args, **kwargs)
    return caught.value


def test_no_orders():
    e = _error([], [], [], observation_end=1.0)
    assert e.code == FitErrorCode.NO_ORDERS
    assert e.message == "There are no orders."


def test_no_orders_up_to_the_observation_end():
    e = _error([1], [5.0], [1.0], observation_end=1.0)
    assert e.code == FitErrorCode.NO_ORDERS
    assert e.message == "There are no orders up to the end of observation."


def test_no_orders_up_to_the_calibration_end():
    e = _error([1], [5.0], [1.0], observation_end=9.0, calibration_end=2.0)
    assert e.code == FitErrorCode.NO_ORDERS
    assert e.message == "There are no orders up to the calibration end."


def test_arrays_of_different_lengths():
    e = _error([1, 2], [0.0], [1.0], observation_end=1.0)
    assert e.message == ("customer_ids, order_times and order_values differ in length (2, 1, 1).")


def test_a_value_that_is_not_a_number():
    e = _error([1, 2, 3], [0.0, 0.0, 0.0], [1.0, np.nan, np.inf], observation_end=1.0)
    assert e.message == (
        "order_values has 2 values that are not finite numbers (the first at position 1)."
    )


def test_a_missing_time():
    times = np.array(["2024-01-01", "NaT"], dtype="datetime64[D]")
    e = _error([1, 2], times, [1.0, 1.0], observation_end="2024-02-01")
    assert e.message == "order_times has 1 missing times (the first at position 1)."


def test_customer_ids_that_are_not_integers():
    e = _error(["a"], [0.0], [1.0], observation_end=1.0)
    assert e.message == "customer_ids must be integers, not <U1."


def test_an_observation_end_of_another_kind_than_the_times():
    e = _error([1], [0.0], [1.0], observation_end=np.datetime64("2024-01-01"))
    assert e.message == "observation_end must be a number of days, as the order times are."
    times = np.array(["2024-01-01"], dtype="datetime64[D]")
    e = _error([1], times, [1.0], observation_end=3.0)
    assert e.message == "observation_end must be a date or datetime, as the order times are."


def test_a_calibration_end_after_the_observation_end():
    e = _error([1], [0.0], [1.0], observation_end=1.0, calibration_end=2.0)
    assert e.message == "calibration_end is after observation_end."


def test_a_unit_that_is_not_positive():
    e = _error([1], [0.0], [1.0], observation_end=1.0, unit_days=0)
    assert e.message == "unit_days must be a positive number, not 0."
