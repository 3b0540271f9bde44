"""platform.domain."""
