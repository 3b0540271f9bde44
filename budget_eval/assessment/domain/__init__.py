"""assessment.domain."""
