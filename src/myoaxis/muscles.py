"""The muscle groups and joints MyoAxis knows (one TOML file per group in ``data/muscles``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

JOINTS = ("elbow",)
FINGERS = ("index",)  # fingers that can tap (physiology/neural/tapping.py)
ELBOW_PAIR = ("elbow_flexors", "elbow_extensors")
GAIT_MUSCLES = ("ankle_dorsiflexors", "ankle_plantarflexors", "knee_extensors")  # one leg
AXIAL = ("trunk_extensors",)  # groups outside the appendicular muscle mass (ASM)


@cache
def muscle_names() -> tuple[str, ...]:
    """Names of the muscle groups shipped in ``data/muscles``."""
    folder = files("myoaxis") / "data" / "muscles"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))
