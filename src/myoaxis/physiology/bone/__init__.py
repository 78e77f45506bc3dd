"""Bone in the slow layer: Komarova remodelling per site, Frost's mechanostat, osteokines.

:data:`COMPONENTS` is what the slow layer needs for bone; it reads ``il6_plasma``,
``cortisol_plasma`` and ``inflammation`` from other components (:data:`osteokines.READS`).
"""

from __future__ import annotations

from myoaxis.physiology.bone import mechanostat, osteokines, remodelling
from myoaxis.physiology.bone.remodelling import SITES

COMPONENTS = (
    remodelling.REFERENCE,
    *(remodelling.site(s) for s in SITES),
    *(mechanostat.site(s) for s in SITES),
    *(osteokines.osteocytes(s) for s in SITES),
    osteokines.SYSTEMIC,
)

__all__ = ["COMPONENTS", "SITES", "mechanostat", "osteokines", "remodelling"]
