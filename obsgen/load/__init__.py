"""Loading the estate's definitions: import, collect, validate once."""
from obsgen.load.loader import DEFINITION_DIRS, load_estate

__all__ = ["DEFINITION_DIRS", "load_estate"]
