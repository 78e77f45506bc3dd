"""Finger tapping as the motor cortex allows it, and the fNIRS finger-tapping block design.

A tapping bout (:mod:`myoaxis.physiology.neural.tapping`) asks the contralateral motor cortex for
an activity that rises with the tapping rate; the cortex delivers what its metabolic reserve
allows (:mod:`myoaxis.physiology.brain.motor_cortex`) and the taps slow in proportion
(:func:`cortex_limited`). ``Assess fnirs_tapping`` (:func:`fnirs_session`) runs rest, slow
(paced) and fast (maximal) blocks, as Gentile et al. (2019) did, while the motor-cortex activity
drives the balloon model and the optics of a motor probe (:mod:`myoaxis.physiology.brain`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from myoaxis.body import Body
from myoaxis.core.errors import ParameterError
from myoaxis.core.rng import SubjectRNG
from myoaxis.outputs import FNIRS_OUTPUTS, attrs
from myoaxis.physiology.brain import haemodynamics as hd
from myoaxis.physiology.brain import motor_cortex as mc
from myoaxis.physiology.brain import optics
from myoaxis.physiology.neural import tapping

Values = Callable[[str, str], np.ndarray]
CONDITIONS = ("rest", "slow", "fast")
TESTS = {
    "tapping": "Assess tapping: taps per second in one maximal-rate trial (Hz)",
    "tapping_rate": "Tap ... as fast as possible: mean tapping rate over the bout (Hz)",
    "paced_tapping_rate": "Tap ... at F Hz: mean tapping rate over the bout (Hz)",
    "fnirs_tapping_hbo": (
        "Assess fnirs_tapping: mean HbO change over the contralateral motor channels per "
        "condition (rest, slow, fast), block window minus pre-block baseline (uM)"
    ),
    "fnirs_tapping_rate": "Assess fnirs_tapping: mean tapping rate per condition (Hz)",
}


@dataclass(frozen=True)
class CortexLimited:
    """A bout as performed, the cortex trace on its grid, and the reserve at its end."""

    bout: tapping.TappingBout
    cortex: mc.CortexTrace
    reserve: np.ndarray


def cortex_limited(
    bout: tapping.TappingBout,
    p: mc.MotorCortexParameters,
    dt: float,
    reserve: np.ndarray | None = None,
    step: float = 1e-3,
) -> CortexLimited:
    """Perform ``bout`` with the motor cortex's supply (sampled every ``dt`` s; taps re-timed
    on a ``step`` s grid); a healthy cortex leaves the bout unchanged."""
    times = np.arange(0.0, bout.duration, dt)
    asked = mc.demand(p, bout.commanded_rate(times))
    trace, end = mc.simulate(p, asked, dt, reserve)
    done = tapping.limited(bout, times, trace.delivered_fraction, step)
    return CortexLimited(done, trace, end)


@dataclass(frozen=True)
class BlockDesign:
    """Rest, slow (paced at ``slow_rate`` Hz) and fast (maximal) blocks of ``block`` s, each
    followed by ``rest`` s, repeated ``repeats`` times after ``baseline`` s of rest."""

    baseline: float
    block: float
    rest: float
    repeats: int
    slow_rate: float
    response_delay: float  # s after onset at which the analysis window starts
    baseline_window: float  # s before onset averaged as the block's baseline

    @classmethod
    def from_values(cls, values: Values) -> BlockDesign:
        def v(name: str, unit: str = "s") -> float:
            return float(np.asarray(values(f"assess.fnirs_tapping.{name}", unit))[0])

        d = cls(
            baseline=v("baseline"),
            block=v("block"),
            rest=v("rest"),
            repeats=round(v("repeats", "dimensionless")),
            slow_rate=v("slow_rate", "Hz"),
            response_delay=v("response_delay"),
            baseline_window=v("baseline_window"),
        )
        if not (d.block > 0 and d.rest >= 0 and d.repeats >= 1 and d.slow_rate > 0):
            raise ParameterError(
                "assess.fnirs_tapping: block and slow_rate must be positive, rest >= 0 and "
                "repeats >= 1"
            )
        if not (0 <= d.response_delay < d.block and 0 < d.baseline_window <= d.baseline):
            raise ParameterError(
                "assess.fnirs_tapping: need 0 <= response_delay < block and "
                "0 < baseline_window <= baseline"
            )
        return d

    def blocks(self) -> list[tuple[str, float]]:
        """``(condition, onset s)`` of every block, in order."""
        out, t = [], self.baseline
        for _ in range(self.repeats):
            for condition in CONDITIONS:
                out.append((condition, t))
                t += self.block + self.rest
        return out

    @property
    def duration(self) -> float:
        return self.baseline + self.repeats * len(CONDITIONS) * (self.block + self.rest)


@dataclass(frozen=True)
class FnirsSession:
    """What ``Assess fnirs_tapping`` produced (``S`` subjects, ``T`` samples every ``dt``)."""

    design: BlockDesign
    dt: float
    recording: optics.FnirsRecording  # hbo/hbr (S, C, T) uM, od/intensity (S, C, 2, T)
    activity: np.ndarray  # (S, T) contralateral M1 activity delivered
    demand: np.ndarray  # (S, T) activity asked
    bouts: list[tuple[str, float, tapping.TappingBout]]  # (condition, onset, bout) per block
    montage: optics.Montage
    contralateral: int  # index of the region under the moving hand's M1
    reserve: np.ndarray  # (S,) motor-cortex reserve at the end
    probe: optics.OpticsParameters  # wavelengths, DPF per subject

    @property
    def times(self) -> np.ndarray:
        return np.arange(self.activity.shape[1]) * self.dt

    def tap_times(self) -> np.ndarray:
        """Every tap of the session (s since its start), ``(S, K)`` NaN-padded, ascending."""
        taps = [onset + b.tap_times for _, onset, b in self.bouts]
        return np.sort(np.concatenate(taps, axis=1), axis=1)

    def rates(self) -> dict[str, np.ndarray]:
        """Mean tapping rate (Hz) per condition over its blocks, ``{condition: (S,)}``; rest
        blocks have none."""
        out = {}
        for condition in CONDITIONS[1:]:
            rates = [b.achieved_rate for c, _, b in self.bouts if c == condition]
            out[condition] = np.mean(rates, axis=0)
        return out

    def hbo_change(self) -> dict[str, np.ndarray]:
        """Mean HbO change (µM) of the contralateral channels per condition, ``{c: (S,)}``:
        the mean over ``[onset + response_delay, onset + block]`` minus the mean over the
        ``baseline_window`` before onset, averaged over the condition's blocks."""
        d = self.design
        roi = np.flatnonzero(self.montage.channel_region == self.contralateral)
        hbo = self.recording.hbo[:, roi].mean(axis=1)
        t = self.times
        out: dict[str, list[np.ndarray]] = {c: [] for c in CONDITIONS}
        for condition, onset in d.blocks():
            base = (t >= onset - d.baseline_window) & (t < onset)
            window = (t >= onset + d.response_delay) & (t < onset + d.block)
            out[condition].append(hbo[:, window].mean(axis=1) - hbo[:, base].mean(axis=1))
        return {c: np.mean(v, axis=0) for c, v in out.items()}


def fnirs_session(
    body: Body, rng: SubjectRNG, side: int = 0, reserve: np.ndarray | None = None
) -> FnirsSession:
    """Run the block design of ``assess.fnirs_tapping`` for every subject of ``body``: the
    asked activity of every block (rate → demand), the cortex's reserve over the whole session
    (it carries between blocks), the taps as performed, and the fNIRS the activity produces
    (balloon model, optics with each subject's age-dependent DPF, physiological noise).

    ``side`` 0 taps with the right hand (left M1, region 0 of the motor probe); ``reserve`` is
    the motor cortex's reserve at the start (full by default).
    """
    design = BlockDesign.from_values(body.values)
    tap = body.tapping
    cortex = mc.MotorCortexParameters.from_values(body.values)
    montage = optics.montage_from_parameters(body.params[0])
    dt = 1.0 / float(body.values("fnirs.optics.sampling_frequency", "Hz")[0])
    n_sub = cortex.capacity.shape[0]
    n = round(design.duration / dt)
    times = np.arange(n) * dt
    bouts = {
        "slow": tapping.paced_bout(design.slow_rate, design.block, tap, where="fnirs_tapping"),
        "fast": tapping.maximal_bout(design.block, tap, where="fnirs_tapping"),
    }
    tasks = [
        (condition, onset, (times >= onset) & (times < onset + design.block))
        for condition, onset in design.blocks()
        if condition in bouts
    ]
    rate = np.zeros((n_sub, n))
    for condition, onset, inside in tasks:
        rate[:, inside] = bouts[condition].commanded_rate(times[inside] - onset)
    trace, end = mc.simulate(cortex, mc.demand(cortex, rate), dt, reserve)
    performed = [
        (
            condition,
            onset,
            tapping.limited(
                bouts[condition], times[inside] - onset, trace.delivered_fraction[:, inside], 1e-3
            ),
        )
        for condition, onset, inside in tasks
    ]
    drive = mc.regional_activity(cortex, trace.activity, side)
    probe = optics.OpticsParameters.from_parameters(body.params, body.age)
    recording = optics.record(
        drive,
        dt,
        hd.BalloonParameters.from_parameters(body.params),
        probe,
        montage,
        noise=hd.NoiseParameters.from_parameters(body.params),
        rng=rng,
    )
    return FnirsSession(
        design, dt, recording, trace.activity, trace.demand, performed, montage, side, end, probe
    )


def session_dataset(session: FnirsSession, wanted: list[str]) -> xr.Dataset | None:
    """The session as an ``/acute`` dataset: the ``wanted`` fNIRS and cortex traces, the tap
    times, and (with any fNIRS trace) the probe, pathlength factors and blocks that an export
    needs. None if nothing is wanted."""
    rec = session.recording
    m = session.montage
    traces = {
        "hbo": (("subject", "channel", "time"), rec.hbo),
        "hbr": (("subject", "channel", "time"), rec.hbr),
        "fnirs_intensity": (("subject", "channel", "wavelength", "time"), rec.intensity),
        "cortex_activity": (("subject", "time"), session.activity),
        "cortex_demand": (("subject", "time"), session.demand),
        "tap_times": (("subject", "tap"), session.tap_times()),
    }
    data = {
        name: (dims, values, attrs(name))
        for name, (dims, values) in traces.items()
        if name in wanted
    }
    if not data:
        return None
    coords: dict = {
        "subject": np.arange(session.activity.shape[0]),
        "time": ("time", session.times, {"units": "s", "long_name": "time since step start"}),
    }
    if any(name in wanted for name in FNIRS_OUTPUTS):
        xyz = ("x", "y", "z")
        blocks = session.design.blocks()
        probe = {
            "source_position": (("source", "xyz"), m.source_positions, "source position"),
            "detector_position": (("detector", "xyz"), m.detector_positions, "detector position"),
            "landmark_position": (("landmark", "xyz"), m.landmark_positions, "head landmark"),
        }
        data |= {k: (d, v, {"units": "m", "long_name": t}) for k, (d, v, t) in probe.items()}
        data |= {
            "channel_source": ("channel", m.pairs[:, 0], {"long_name": "source index (0-based)"}),
            "channel_detector": (
                "channel",
                m.pairs[:, 1],
                {"long_name": "detector index (0-based)"},
            ),
            "dpf": (
                ("subject", "wavelength"),
                session.probe.dpf,
                {"units": "1", "long_name": "differential pathlength factor (Scholkmann-Wolf)"},
            ),
            "partial_volume_factor": (
                "subject",
                session.probe.partial_volume,
                {"units": "1", "long_name": "total over activated-cortex pathlength"},
            ),
            "block_condition": ("block", [c for c, _ in blocks], {"long_name": "condition"}),
            "block_onset": (
                "block",
                [t for _, t in blocks],
                {"units": "s", "long_name": "block onset since step start"},
            ),
        }
        coords |= {
            "channel": [f"S{s + 1}_D{d + 1}" for s, d in m.pairs],
            "wavelength": ("wavelength", session.probe.wavelengths, {"units": "nm"}),
            "xyz": list(xyz),
            "source": list(m.source_labels),
            "detector": list(m.detector_labels),
            "landmark": list(m.landmark_labels),
        }
    info = {
        "kind": "fnirs_tapping",
        "sampling_rate_hz": 1.0 / session.dt,
        "block_duration_s": session.design.block,
        "region_of_the_moving_hand": m.regions[session.contralateral],
    }
    return xr.Dataset(data, coords=coords, attrs=info)
