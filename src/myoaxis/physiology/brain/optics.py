r"""fNIRS optics: the modified Beer–Lambert law, the DPF and a motor-cortex probe.

**Modified Beer–Lambert law.** For a source–detector pair at distance :math:`d` the change of
optical density (natural logarithm, as MNE-Python's ``optical_density``) at wavelength
:math:`\lambda` is

.. math::
    \Delta OD(\lambda) = \ln(10)\, d\, \mathrm{PPF}(\lambda) \left[
        \varepsilon_{HbO}(\lambda)\,\Delta HbO + \varepsilon_{HbR}(\lambda)\,\Delta HbR\right],

with decadic molar extinction coefficients :math:`\varepsilon` from Prahl's table. With two
wavelengths the 2×2 system inverts exactly (:func:`concentrations`). The pathlength factor
defaults to the differential pathlength factor, :math:`\mathrm{PPF} = \mathrm{DPF}`, so the
concentrations are *measured* (path-averaged) changes, the convention of MNE's and Homer's
``ppf = 6``; a cortical change appears in them divided by the partial-volume factor
(:func:`measured`). MNE's ``beer_lambert_law`` uses 0.2303 for ln(10)/10, i.e. it differs from
this exact form by 1.8e-4 relative.

**DPF** (Scholkmann & Wolf 2013), :math:`\lambda` in nm and age :math:`A` in years:

.. math::
    \mathrm{DPF} = c_0 + c_A A^{p_A} + c_3 \lambda^3 + c_2 \lambda^2 + c_1 \lambda .

**Forward chain.** :func:`record` runs neural drive per cortical region → balloon model →
cortical ΔHbO/ΔHbR → path-averaged changes per channel (+ systemic noise) → ΔOD → intensity.

**Probe.** :func:`motor_montage` places the 10–20 positions C3 and C4 (Jasper 1958: 30 % and
70 % along the coronal arc between the preauricular points) on a spherical head and, around each,
two sources and two detectors at the corners of a square of side ``separation`` laid on the
scalp, giving four long channels per hemisphere. Coordinates: metres, origin at the sphere's
centre, x to the right, y anterior, z up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from myoaxis.core.errors import ParameterError, SimulationError
from myoaxis.core.parameters import ParameterSet
from myoaxis.core.rng import SubjectRNG
from myoaxis.core.units import ureg
from myoaxis.physiology.brain import haemodynamics as hd
from myoaxis.physiology.brain.haemodynamics import per_subject

CHROMOPHORES = ("hbo", "hbr")
LN10 = math.log(10.0)
_EXTINCTION_UNIT = "1/(m*uM)"  # kernels: concentrations in uM, distances in m


def _list(p: ParameterSet, name: str, unit: str) -> np.ndarray:
    par = p[name]
    factor = ureg.Quantity(1.0, par.unit).to(unit).magnitude
    return np.atleast_1d(par.array()) * factor


@dataclass(frozen=True)
class OpticsParameters:
    """Instrument constants (shared by all subjects) and per-subject pathlength factors."""

    wavelengths: np.ndarray  # (2,) nm
    extinction: np.ndarray  # (2 wavelengths, 2 chromophores [HbO, HbR]) 1/(m uM), decadic
    dpf: np.ndarray  # (S, 2) differential pathlength factor per wavelength
    partial_volume: np.ndarray  # (S,) mean total pathlength / pathlength in activated cortex

    @classmethod
    def from_parameters(
        cls, params: Sequence[ParameterSet], age_years: float | Sequence[float] | np.ndarray
    ) -> OpticsParameters:
        """Build from one :class:`ParameterSet` per subject (``fnirs.optics.*``) and their ages.

        The wavelengths and extinction coefficients must be the same for every subject (one
        instrument); the DPF follows each subject's age (Scholkmann & Wolf 2013).
        """
        if not len(params):
            raise ParameterError("no subjects: an empty sequence of parameter sets")
        first = params[0]
        wavelengths = _list(first, "fnirs.optics.wavelengths", "nm")
        ext = np.stack(
            [
                _list(first, "fnirs.optics.extinction_hbo", _EXTINCTION_UNIT),
                _list(first, "fnirs.optics.extinction_hbr", _EXTINCTION_UNIT),
            ],
            axis=1,
        )
        for other in params[1:]:
            same = np.array_equal(_list(other, "fnirs.optics.wavelengths", "nm"), wavelengths)
            for name, col in (("extinction_hbo", 0), ("extinction_hbr", 1)):
                same &= np.allclose(
                    _list(other, f"fnirs.optics.{name}", _EXTINCTION_UNIT), ext[:, col]
                )
            if not same:
                raise ParameterError(
                    "fnirs.optics: wavelengths and extinction coefficients must be the same for "
                    "every subject (one instrument)"
                )
        age = np.broadcast_to(np.asarray(age_years, dtype=float), (len(params),))
        if np.any(~(age >= 0)):
            raise ParameterError("fnirs.optics: ages must be >= 0 years")
        dpf = scholkmann_wolf_dpf(wavelengths, age, DpfCoefficients.from_parameters(params))
        p = cls(
            wavelengths=wavelengths,
            extinction=ext,
            dpf=dpf,
            partial_volume=per_subject(
                params, "fnirs.optics.partial_volume_factor", "dimensionless"
            ),
        )
        p.check()
        return p

    def check(self) -> None:
        if self.wavelengths.shape != (2,) or self.extinction.shape != (2, 2):
            raise ParameterError("fnirs.optics: exactly two wavelengths are supported")
        if not np.all(self.wavelengths > 0) or self.wavelengths[0] == self.wavelengths[1]:
            raise ParameterError("fnirs.optics: wavelengths must be positive and distinct")
        if abs(np.linalg.det(self.extinction)) < 1e-12 * np.abs(self.extinction).max() ** 2:
            raise ParameterError(
                "fnirs.optics: the extinction matrix is singular; choose wavelengths at which "
                "HbO and HbR absorb differently"
            )
        if np.any(~(self.dpf > 0)):
            raise ParameterError("fnirs.optics: the differential pathlength factor must be > 0")
        if np.any(~(self.partial_volume >= 1)):
            raise ParameterError("fnirs.optics.partial_volume_factor must be >= 1")


@dataclass(frozen=True)
class DpfCoefficients:
    """Scholkmann–Wolf coefficients, arrays ``(S,)`` (λ in nm, age in years)."""

    intercept: np.ndarray
    age_coefficient: np.ndarray
    age_exponent: np.ndarray
    cubic: np.ndarray  # 1/nm^3
    quadratic: np.ndarray  # 1/nm^2
    linear: np.ndarray  # 1/nm

    @classmethod
    def from_parameters(cls, params: Sequence[ParameterSet]) -> DpfCoefficients:
        def v(name: str, unit: str = "dimensionless") -> np.ndarray:
            return per_subject(params, f"fnirs.optics.dpf_{name}", unit)

        return cls(
            v("intercept"),
            v("age_coefficient"),
            v("age_exponent"),
            v("cubic", "1/nm**3"),
            v("quadratic", "1/nm**2"),
            v("linear", "1/nm"),
        )


def scholkmann_wolf_dpf(
    wavelength_nm: np.ndarray, age_years: np.ndarray, c: DpfCoefficients
) -> np.ndarray:
    """DPF of subjects ``(S,)`` at ``wavelength_nm`` ``(W,)``: shape ``(S, W)``."""
    lam = np.asarray(wavelength_nm, dtype=float)[None, :]
    age = np.asarray(age_years, dtype=float)[:, None]

    def col(x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=float)[:, None]

    return (
        col(c.intercept)
        + col(c.age_coefficient) * age ** col(c.age_exponent)
        + col(c.cubic) * lam**3
        + col(c.quadratic) * lam**2
        + col(c.linear) * lam
    )


def measured(cortical: np.ndarray, p: OpticsParameters) -> np.ndarray:
    """Path-averaged concentration change of a cortical change ``(S, ..., T)``: ``/ PVF``."""
    cortical = np.asarray(cortical, dtype=float)
    return cortical / p.partial_volume.reshape((-1,) + (1,) * (cortical.ndim - 1))


def _pathlength(
    p: OpticsParameters, distance: np.ndarray | float, lead: tuple[int, ...], ppf
) -> np.ndarray:
    """ln(10) · d · PPF per wavelength, shape ``lead + (2,)`` (lead = data shape without time)."""
    d = np.asarray(distance, dtype=float)
    if np.any(~(d > 0)) or np.any(~np.isfinite(d)):
        raise SimulationError("optics: source-detector distances must be positive and finite")
    if ppf is None:
        ppf = p.dpf.reshape((p.dpf.shape[0],) + (1,) * (len(lead) - 1) + (2,))
    ppf = np.asarray(ppf, dtype=float)
    if np.any(~(ppf > 0)):
        raise SimulationError("optics: pathlength factors must be positive")
    try:
        return LN10 * np.broadcast_to(d, lead)[..., None] * np.broadcast_to(ppf, (*lead, 2))
    except ValueError:
        raise SimulationError(
            f"optics: distances {d.shape} and pathlength factors {ppf.shape} do not broadcast "
            f"to the data's {lead}"
        ) from None


def optical_density(
    hbo: np.ndarray,
    hbr: np.ndarray,
    p: OpticsParameters,
    distance: np.ndarray | float,
    ppf: np.ndarray | None = None,
) -> np.ndarray:
    """ΔOD ``(..., 2, T)`` (wavelengths in ``p.wavelengths`` order) of ΔHbO, ΔHbR ``(..., T)`` µM.

    ``distance`` (m) broadcasts to the data's shape without time (e.g. ``(C,)`` for
    ``(S, C, T)``); ``ppf`` (default: the subjects' DPF, ``(S, 2)``) to that shape plus the
    wavelength axis.
    """
    hbo = np.asarray(hbo, dtype=float)
    hbr = np.asarray(hbr, dtype=float)
    if hbo.shape != hbr.shape or hbo.ndim < 1:
        raise SimulationError(f"optics: HbO {hbo.shape} and HbR {hbr.shape} must match")
    length = _pathlength(p, distance, hbo.shape[:-1], ppf)  # (..., 2)
    mu = p.extinction[:, 0, None] * hbo[..., None, :] + p.extinction[:, 1, None] * hbr[..., None, :]
    return length[..., None] * mu


def concentrations(
    od: np.ndarray,
    p: OpticsParameters,
    distance: np.ndarray | float,
    ppf: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`optical_density`: (ΔHbO, ΔHbR) µM ``(..., T)`` from ``(..., 2, T)``."""
    od = np.asarray(od, dtype=float)
    if od.ndim < 2 or od.shape[-2] != 2:
        raise SimulationError(f"optics: optical density must be (..., 2, time), got {od.shape}")
    length = _pathlength(p, distance, od.shape[:-2], ppf)  # (..., 2)
    matrix = length[..., :, None] * p.extinction  # (..., wavelength, chromophore)
    conc = np.linalg.solve(matrix, od)
    return conc[..., 0, :], conc[..., 1, :]


def intensity(od: np.ndarray, baseline: float | np.ndarray = 1.0) -> np.ndarray:
    """Detected light intensity ``baseline · exp(−ΔOD)`` (arbitrary units)."""
    return np.asarray(baseline, dtype=float) * np.exp(-np.asarray(od, dtype=float))


@dataclass(frozen=True)
class Montage:
    """Optode positions (m) and the source–detector pairs (zero-based) that form channels."""

    source_positions: np.ndarray  # (n_sources, 3)
    detector_positions: np.ndarray  # (n_detectors, 3)
    pairs: np.ndarray  # (n_channels, 2) int: source index, detector index
    source_labels: tuple[str, ...]
    detector_labels: tuple[str, ...]
    regions: tuple[str, ...]  # cortical regions under the probe
    channel_region: np.ndarray  # (n_channels,) index into regions
    landmark_positions: np.ndarray  # (n_landmarks, 3)
    landmark_labels: tuple[str, ...]

    def distances(self) -> np.ndarray:
        """Source–detector distance of each channel (m)."""
        src = self.source_positions[self.pairs[:, 0]]
        det = self.detector_positions[self.pairs[:, 1]]
        return np.linalg.norm(src - det, axis=1)

    @property
    def n_channels(self) -> int:
        return int(self.pairs.shape[0])


def _on_sphere(centre: np.ndarray, offsets: np.ndarray, radius: float) -> np.ndarray:
    """Points reached from ``centre`` (on the sphere) by walking ``offsets`` (m) along the
    sphere's surface in the tangent frame (anterior, lateral-to-medial)."""
    n = centre / np.linalg.norm(centre)
    e1 = np.array([0.0, 1.0, 0.0])  # anterior; perpendicular to n on the coronal arc
    e2 = np.cross(n, e1)
    out = []
    for a, b in offsets:
        step = a * e1 + b * e2
        length = np.hypot(a, b)
        angle = length / radius
        out.append(radius * (math.cos(angle) * n + math.sin(angle) * step / length))
    return np.array(out)


def ten_twenty_central(radius: float) -> dict[str, np.ndarray]:
    """C3, Cz, C4 and the fiducials Nz, LPA, RPA on a sphere of ``radius`` (m)."""
    angle = math.radians(0.2 * 180.0)  # C3/C4: 20 % of the arc from Cz
    return {
        "C3": radius * np.array([-math.sin(angle), 0.0, math.cos(angle)]),
        "Cz": radius * np.array([0.0, 0.0, 1.0]),
        "C4": radius * np.array([math.sin(angle), 0.0, math.cos(angle)]),
        "Nz": radius * np.array([0.0, 1.0, 0.0]),
        "LPA": radius * np.array([-1.0, 0.0, 0.0]),
        "RPA": radius * np.array([1.0, 0.0, 0.0]),
    }


def motor_montage(separation: float = 0.03, head_radius: float = 0.095) -> Montage:
    """Two sources and two detectors around each of C3 and C4: 8 channels of ≈ ``separation``.

    Channel order: left (C3) then right (C4); within a hemisphere (S1-D1, S1-D2, S2-D1, S2-D2).
    """
    if not (0 < separation < head_radius):
        raise ParameterError(
            f"motor montage: separation {separation!r} m must be positive and below the head "
            f"radius {head_radius!r} m"
        )
    points = ten_twenty_central(head_radius)
    h = separation / 2.0
    src, det, pairs, region = [], [], [], []
    for r, site in enumerate(("C3", "C4")):
        src.append(_on_sphere(points[site], np.array([[-h, -h], [h, h]]), head_radius))
        det.append(_on_sphere(points[site], np.array([[-h, h], [h, -h]]), head_radius))
        for s in range(2):
            for d in range(2):
                pairs.append((2 * r + s, 2 * r + d))
                region.append(r)
    landmarks = ("Nz", "LPA", "RPA")
    return Montage(
        source_positions=np.concatenate(src),
        detector_positions=np.concatenate(det),
        pairs=np.array(pairs, dtype=int),
        source_labels=tuple(f"S{i + 1}" for i in range(4)),
        detector_labels=tuple(f"D{i + 1}" for i in range(4)),
        regions=("C3", "C4"),
        channel_region=np.array(region, dtype=int),
        landmark_positions=np.array([points[k] for k in landmarks]),
        landmark_labels=landmarks,
    )


def montage_from_parameters(p: ParameterSet) -> Montage:
    """:func:`motor_montage` with ``fnirs.optics.source_detector_distance`` and ``head_radius``."""
    return motor_montage(
        p.value_in("fnirs.optics.source_detector_distance", "m"),
        p.value_in("fnirs.optics.head_radius", "m"),
    )


@dataclass(frozen=True)
class FnirsRecording:
    """A simulated recording: arrays over subjects, channels (montage order) and time."""

    cortical: hd.HaemodynamicTraces  # (S, R, T): flow, volume, deoxy, cortical hbo/hbr (uM)
    hbo: np.ndarray  # (S, C, T) measured (path-averaged) dHbO incl. noise, uM
    hbr: np.ndarray  # (S, C, T) measured dHbR incl. noise, uM
    od: np.ndarray  # (S, C, 2, T) change of optical density at p.wavelengths
    intensity: np.ndarray  # (S, C, 2, T) detected light relative to rest (exp(-od))
    state: hd.BalloonState  # (S, R) haemodynamic state at the end, to continue from


def record(
    drive: np.ndarray,
    dt: float,
    balloon: hd.BalloonParameters,
    p: OpticsParameters,
    montage: Montage,
    *,
    noise: hd.NoiseParameters | None = None,
    rng: SubjectRNG | None = None,
    state: hd.BalloonState | None = None,
) -> FnirsRecording:
    """Simulate what the probe records from neural ``drive`` ``(S, R, T)`` sampled every ``dt`` s.

    ``R`` is the number of ``montage.regions`` (the default motor probe: C3, C4); channel ``k``
    sees region ``montage.channel_region[k]``. With ``noise`` (and its ``rng``) systemic
    oscillations and instrument noise are added to the measured concentrations.
    """
    drive = np.asarray(drive, dtype=float)
    if drive.ndim != 3 or drive.shape[1] != len(montage.regions):
        raise SimulationError(
            f"fNIRS: drive must have shape (subjects, regions={len(montage.regions)}, time), "
            f"got {drive.shape}"
        )
    cortical, end = hd.simulate(drive, dt, balloon, state)
    hbo = measured(cortical.hbo, p)[:, montage.channel_region]
    hbr = measured(cortical.hbr, p)[:, montage.channel_region]
    if noise is not None:
        if rng is None:
            raise SimulationError("fNIRS: noise needs an rng (one stream per subject)")
        extra_hbo, extra_hbr = hd.physiological_noise(
            drive.shape[-1], dt, montage.n_channels, noise, rng
        )
        hbo, hbr = hbo + extra_hbo, hbr + extra_hbr
    od = optical_density(hbo, hbr, p, montage.distances())
    return FnirsRecording(cortical, hbo, hbr, od, intensity(od), end)
