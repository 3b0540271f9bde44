"""intake.domain."""
