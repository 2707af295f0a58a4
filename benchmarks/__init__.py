"""Benchmark commands (accuracy, speed, output digests); not part of the library."""
