"""Fitted models are kept as JSON (model name, version, parameters, fit statistics), never as
pickles, and read back to the same fit."""

import json

import pytest

from regulars.insights.clv import (
    BGNBDFit,
    GammaGammaFit,
    ModelFitError,
    fit_bgnbd,
    fit_gammagamma,
)
from regulars.insights.tests.clv_cdnow import calibration


def test_a_bgnbd_fit_survives_a_json_round_trip():
    s = calibration()
    fit = fit_bgnbd(s.frequency, s.recency, s.T)

    kept = json.loads(json.dumps(fit.as_dict()))

    assert kept["model"] == "bgnbd" and kept["version"] == 1
    assert set(kept["params"]) == {"r", "alpha", "a", "b"}
    assert BGNBDFit.from_dict(kept) == fit


def test_a_gammagamma_fit_survives_a_json_round_trip():
    s = calibration()
    fit = fit_gammagamma(s.frequency, s.monetary_value)

    kept = json.loads(json.dumps(fit.as_dict()))

    assert kept["model"] == "gammagamma" and kept["version"] == 1
    assert kept["independence"] == "weak"
    assert GammaGammaFit.from_dict(kept) == fit


def test_a_fit_of_another_model_is_refused():
    s = calibration()
    kept = fit_gammagamma(s.frequency, s.monetary_value).as_dict()

    with pytest.raises(ModelFitError, match="Not a BG/NBD fit of version 1: model 'gammagamma'"):
        BGNBDFit.from_dict(kept)
