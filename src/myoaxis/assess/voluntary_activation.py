r"""Voluntary activation by twitch interpolation (Merton 1954; Gandevia 2001).

The subject makes a brief maximal voluntary contraction; supramaximal stimuli of the motor
nerve during its plateau evoke *superimposed* twitches (SIT, averaged over the stimuli as a
laboratory averages trials), and a stimulus a little after relaxing evokes the *resting*
(potentiated) twitch (RT). Then

.. math::
    VA = 100\,(1 - \overline{SIT} / RT)\ \%.

Each twitch amplitude is the mean force over a window centred on the resting twitch's peak,
minus the mean force over the same length just before the stimulus. Averaging over about one
period of the voluntary force ripple (the pool's asynchronous discharge) keeps the ripple from
biasing the superimposed twitch, which a single peak-minus-baseline reading would inflate.
The nerve stimulus itself is :func:`myoaxis.physiology.neural.motor_pool.stimulate`; the test
always uses the spiking pool, whatever the run's drive mode.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from myoaxis.body import Body
from myoaxis.bouts import Bout, FastSettings, isometric
from myoaxis.core.rng import SubjectRNG
from myoaxis.muscle_state import MuscleState

# s: window after a stimulus searched for the twitch's peak (the compound twitch of the
# default pools peaks about 40 ms after the stimulus; the slowest units' contraction time is 90 ms)
PEAK_SEARCH = 0.2
TESTS = {"voluntary_activation": "twitch interpolation: 100 (1 - superimposed / resting twitch), %"}


@dataclass(frozen=True)
class InterpolationProtocol:
    """Timing of the test (s): ``stimuli`` stimuli ``stimulus_interval`` apart, the first
    ``stimulus_at`` after the effort starts, the contraction ending ``after_stimulus`` after the
    last, the resting twitch ``twitch_delay`` after relaxing, and the averaging ``window``."""

    stimulus_at: float
    after_stimulus: float
    twitch_delay: float
    window: float
    stimuli: int
    stimulus_interval: float

    @classmethod
    def from_body(cls, body: Body) -> InterpolationProtocol:
        first = body.params[0]
        times = ("stimulus_at", "after_stimulus", "twitch_delay", "window", "stimulus_interval")
        kw = {name: first.value_in(f"assess.voluntary_activation_{name}", "s") for name in times}
        return cls(stimuli=int(first.value("assess.voluntary_activation_stimuli")), **kw)

    @property
    def stimulus_times(self) -> tuple[float, ...]:
        return tuple(self.stimulus_at + k * self.stimulus_interval for k in range(self.stimuli))


def _mean(force: np.ndarray, time: np.ndarray, start, end) -> np.ndarray:
    """Mean of ``force`` ``(S, samples)`` over ``(start, end]``, scalars or arrays ``(S,)``."""
    start = np.reshape(start, (-1, 1)) + 1e-9
    end = np.reshape(end, (-1, 1)) + 1e-9
    inside = (time[None, :] > start) & (time[None, :] <= end)
    return (force * inside).sum(axis=1) / inside.sum(axis=1)


def twitch_amplitude(
    force: np.ndarray, time: np.ndarray, stimulus: float, peak_delay: np.ndarray, window: float
) -> np.ndarray:
    """Evoked twitch per subject: mean force over ``window`` centred ``peak_delay`` after the
    ``stimulus`` minus the mean over ``window`` just before it. ``force`` is ``(S, samples)``."""
    centre = stimulus + np.asarray(peak_delay, dtype=float)
    after = _mean(force, time, centre - window / 2, centre + window / 2)
    return after - _mean(force, time, stimulus - window, stimulus)


def twitch_interpolation(
    body: Body,
    state: MuscleState,
    settings: FastSettings,
    rng: SubjectRNG,
    protocol: InterpolationProtocol,
) -> tuple[dict[str, np.ndarray], tuple[Bout, Bout]]:
    """Run the test on ``state``'s muscle (updated in place).

    Returns arrays ``(S,)`` of voluntary activation (%), the mean superimposed and the resting
    twitch (N), the mean voluntary force just before the stimuli (N) and the resting twitch's
    time to peak (s), and the test's two bouts (the effort, then the relaxed twitch).
    """
    fine = replace(settings, mode="spiking", output_period=settings.dt, spikes=False)
    p = protocol
    times = p.stimulus_times
    effort = isometric(body, state, None, times[-1] + p.after_stimulus, fine, rng, stimuli=times)
    relax = np.zeros(body.n_subjects)
    rest = isometric(
        body,
        state,
        lambda _t: relax,
        p.twitch_delay + PEAK_SEARCH + p.window,
        fine,
        rng,
        stimuli=(p.twitch_delay,),
    )
    after = (rest.time > p.twitch_delay) & (rest.time <= p.twitch_delay + PEAK_SEARCH)
    peak_delay = rest.time[after][np.argmax(rest.traces["force"][:, after], axis=1)]
    peak_delay = peak_delay - p.twitch_delay
    resting = twitch_amplitude(
        rest.traces["force"], rest.time, p.twitch_delay, peak_delay, p.window
    )
    superimposed = np.mean(
        [
            twitch_amplitude(effort.traces["force"], effort.time, t, peak_delay, p.window)
            for t in times
        ],
        axis=0,
    )
    values = {
        "voluntary_activation": 100.0 * (1.0 - superimposed / resting),
        "superimposed_twitch": superimposed,
        "resting_twitch": resting,
        "voluntary_force": np.mean(
            [_mean(effort.traces["force"], effort.time, t - p.window, t) for t in times], axis=0
        ),
        "twitch_time_to_peak": peak_delay,
    }
    return values, (effort, rest)
