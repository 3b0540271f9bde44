"""platform.models."""
