"""The slow layer: myokines (and later hormones, bone, adaptation) over the whole scenario.

The state is an array ``(n_states, subjects)``; SciPy's ``solve_ivp`` integrates it between
breakpoints (step boundaries and coupling windows), during which the fast layer's aggregates
are held constant (operator splitting through named ports). Samples are taken on a fixed grid
of ``slow_period``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from myoaxis.body import Body
from myoaxis.core.errors import SimulationError
from myoaxis.physiology.endocrine import myokines


@dataclass(frozen=True)
class SlowVariable:
    name: str
    units: str
    long_name: str


VARIABLES = (
    SlowVariable("il6_production", "ng/s", "IL-6 production rate of the active muscle"),
    SlowVariable("il6_plasma", "pg/mL", "plasma interleukin-6 concentration"),
)


class SlowLayer:
    """Integrates the slow states of a batch of subjects and samples them on a grid."""

    def __init__(self, body: Body, period: float):
        self.body = body
        self.period = period
        self.y = myokines.initial(body.il6)
        self.t = 0.0
        self.samples: list[tuple[float, np.ndarray]] = [(0.0, self.y.copy())]

    def _rhs(self, inputs: dict[str, np.ndarray]):
        n = self.body.n_subjects
        drive = inputs.get("active_mass_activation", np.zeros(n))

        def f(_t, flat):
            return myokines.rhs(flat.reshape(-1, n), drive, self.body.il6).ravel()

        return f

    def advance(self, duration: float, inputs: dict[str, np.ndarray] | None = None) -> None:
        """Integrate over ``duration`` seconds with the ports held at ``inputs``."""
        if duration <= 0:
            return
        t0, t1 = self.t, self.t + duration
        first = np.floor(t0 / self.period + 1e-9) + 1
        grid = np.arange(first, np.floor(t1 / self.period + 1e-9) + 1) * self.period
        sol = solve_ivp(
            self._rhs(inputs or {}),
            (t0, t1),
            self.y.ravel(),
            method="LSODA",
            t_eval=np.append(grid[grid < t1], t1),
            rtol=1e-8,
            atol=1e-10,
        )
        if not sol.success:
            raise SimulationError(
                f"slow layer failed between t = {t0:g} s and {t1:g} s: {sol.message}"
            )
        n = self.body.n_subjects
        on_grid = np.isin(sol.t, grid)
        self.samples += [
            (float(t), y.reshape(-1, n))
            for t, y, keep in zip(sol.t, sol.y.T, on_grid, strict=True)
            if keep
        ]
        self.y = sol.y[:, -1].reshape(-1, n)
        bad = ~np.isfinite(self.y)
        if bad.any():
            state = VARIABLES[int(np.argwhere(bad)[0][0])].name
            raise SimulationError(f"slow state {state} became non-finite by t = {t1:g} s")
        self.t = t1

    def series(self) -> tuple[np.ndarray, np.ndarray]:
        """Sample times ``(T,)`` and values ``(n_states, subjects, T)``."""
        times = np.array([t for t, _ in self.samples])
        values = np.stack([y for _, y in self.samples], axis=-1)
        return times, values
