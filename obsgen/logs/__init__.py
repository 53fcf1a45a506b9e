"""What the log definitions mean, shared by validation and the log renderers: which collector,
indices and alerts a region has, when personal data is hashed, the LogQL of a log alert, grok
captures and buffer sizes."""
