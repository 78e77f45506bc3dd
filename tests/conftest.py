"""Shared fixtures: small batched bodies built from the shipped presets."""

from __future__ import annotations

import numpy as np
import pytest

from myoaxis.body import Body
from myoaxis.bouts import FastSettings
from myoaxis.conditions import subject_parameters
from myoaxis.core.rng import SubjectRNG, subject_streams


def make_body(n: int = 1, sex: str = "male", age: float = 30.0) -> Body:
    return Body([subject_parameters("healthy_adult", sex, age) for _ in range(n)], np.full(n, 75.0))


@pytest.fixture
def body() -> Body:
    return make_body()


def rng_for(seed: int, n: int = 1) -> SubjectRNG:
    return SubjectRNG(subject_streams(seed, n))


def settings(body: Body, mode: str = "spiking") -> FastSettings:
    return FastSettings.from_body(body, mode)
