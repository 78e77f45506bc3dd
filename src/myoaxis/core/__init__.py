"""Core services shared by every part: units, parameters, citations, randomness, errors."""
