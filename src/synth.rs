//! Deterministic generator of large councils, for tests and benchmarks.
