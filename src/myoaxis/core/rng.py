"""Explicit randomness.

A run takes ``seed: int | SeedSequence | Generator``. A cohort spawns one child
:class:`~numpy.random.SeedSequence` per subject (``SeedSequence(seed).spawn(n)``), and every
stochastic kernel draws subject ``s``'s numbers from subject ``s``'s own generator, so a
subject's result does not depend on the batch size, the chunking or the executor.
"""

from __future__ import annotations

import numpy as np

from myoaxis.core.errors import ScenarioError

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Normalise a seed to a :class:`SeedSequence`."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return seed.bit_generator.seed_seq  # type: ignore[return-value]
    return np.random.SeedSequence(seed)


def subject_streams(seed: SeedLike, n_subjects: int) -> list[np.random.SeedSequence]:
    """One child seed sequence per subject, stable under re-batching."""
    return seed_sequence(seed).spawn(n_subjects)


class SubjectRNG:
    """Per-subject generators that fill batched arrays without mixing subjects' streams.

    ``normal((S, U))`` returns an ``(S, U)`` array whose row ``s`` comes from subject ``s``'s
    generator only. The loop is over subjects (not units or time), once per block of draws.
    """

    def __init__(self, streams: list[np.random.SeedSequence]):
        self.generators = [np.random.default_rng(s) for s in streams]

    def __len__(self) -> int:
        return len(self.generators)

    def normal(self, shape: tuple[int, ...]) -> np.ndarray:
        if shape[0] != len(self.generators):
            raise ValueError(f"leading axis {shape[0]} != number of subjects {len(self)}")
        return np.stack([g.standard_normal(shape[1:]) for g in self.generators])

    def subset(self, index: np.ndarray) -> SubjectRNG:
        out = SubjectRNG([])
        out.generators = [self.generators[i] for i in np.asarray(index)]
        return out


def standard_normal(rng: SubjectRNG | np.random.Generator, shape: tuple[int, ...], where: str):
    """Standard normal draws of ``shape`` whose leading axis is the subjects: from each
    subject's own stream (a :class:`SubjectRNG`) or from one numpy Generator. ``where`` names
    the caller in errors."""
    if isinstance(rng, SubjectRNG):
        if not shape or shape[0] != len(rng):
            raise ScenarioError(
                f"{where}: {len(rng)} subject generators for draws of shape {shape}"
            )
        return rng.normal(shape)
    if isinstance(rng, np.random.Generator):
        return rng.standard_normal(shape)
    raise ScenarioError(
        f"{where}: rng must be a numpy Generator or a SubjectRNG, got {type(rng).__name__}"
    )
