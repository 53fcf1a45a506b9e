"""obsgen: observability as code for a multi-region platform."""
