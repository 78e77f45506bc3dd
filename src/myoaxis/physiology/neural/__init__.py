"""Motor cortex drive and the spinal motor-unit pool."""
