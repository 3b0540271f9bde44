"""platform.admin."""
