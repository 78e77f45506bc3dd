"""Writers for third-party file formats (optional dependencies, the ``[neuro]`` extra).

The I/O layer knows arrays, labels and units only; it never imports the simulation.
"""

from myoaxis.core.errors import ExportError
from myoaxis.io.edf import Annotation, Channel, Patient, Recording, write_edf

__all__ = ["Annotation", "Channel", "ExportError", "Patient", "Recording", "write_edf"]
