"""meetings.domain."""
