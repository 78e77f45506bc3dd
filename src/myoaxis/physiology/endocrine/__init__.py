"""Myokines and hormones of the slow layer."""
