"""Activation dynamics and the Hill-type muscle–tendon unit."""
