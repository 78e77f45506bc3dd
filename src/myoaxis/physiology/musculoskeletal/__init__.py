"""Joints moved by muscle–tendon units."""
