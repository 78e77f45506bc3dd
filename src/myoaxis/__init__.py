"""MyoAxis: a simulator of the muscle–brain–bone axis.

The public API is small: load a :class:`~myoaxis.scenario.Scenario`, build a
:class:`~myoaxis.simulation.Simulation`, run it and read the
:class:`~myoaxis.results.Results`::

    import myoaxis as mx
    scenario = mx.Scenario.from_toml("examples/grip_mvc_and_hold.toml")
    results = mx.Simulation(scenario).run()
    results.to_netcdf("out.nc")
"""

from importlib.metadata import PackageNotFoundError, version

from myoaxis.core.errors import (
    MyoAxisError,
    ParameterError,
    ProtocolError,
    ScenarioError,
    SimulationError,
)
from myoaxis.results import Results
from myoaxis.scenario import Scenario
from myoaxis.simulation import Simulation

try:
    __version__ = version("myoaxis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "MyoAxisError",
    "ParameterError",
    "ProtocolError",
    "Results",
    "Scenario",
    "ScenarioError",
    "Simulation",
    "SimulationError",
    "__version__",
]
