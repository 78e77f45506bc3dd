"""Brain: motor-cortex haemodynamics (balloon–Windkessel) and the fNIRS optics that observe them."""
