"""One pure renderer per target: (estate, region) -> {relative path: document}."""
