"""Inclusion probabilities, pi-ps designs and verifiable randomness for the draw."""
