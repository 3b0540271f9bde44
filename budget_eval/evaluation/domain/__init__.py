"""evaluation.domain."""
