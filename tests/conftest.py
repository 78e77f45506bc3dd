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


def roadrunner_errors(layer, path, floor: float = 1e-6) -> dict[str, float]:
    """Largest relative difference per variable (subject 0) between ``layer``'s own run and
    libRoadRunner replaying its SBML export at the layer's tolerances: relative to the value,
    floored at ``floor`` of the variable's range (``floor = 1``: relative to the range)."""
    from myoaxis.io.sbml import roadrunner_replay, write_sbml

    rr = roadrunner_replay(write_sbml(layer, path), layer)
    times, ours = layer.series()
    names = [*(x.name for x in layer.model.states), *(a.name for a in layer.model.assignments)]
    replay = rr.simulate(times=times, selections=["time", *names])
    errors = {}
    for k, name in enumerate(names):
        mine = ours[k, 0]
        least = floor * max(np.abs(mine).max(), 1e-6)
        errors[name] = float(
            np.max(np.abs(replay[:, k + 1] - mine) / np.maximum(np.abs(mine), least))
        )
    return errors
