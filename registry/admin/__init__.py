"""Admin registrations, split by concern. Importing the package registers everything."""
from registry.admin import divisions as divisions  # noqa: F401
from registry.admin import heritage as heritage  # noqa: F401
from registry.admin import lexicon as lexicon  # noqa: F401
from registry.admin import review as review  # noqa: F401
from registry.admin import places as places  # noqa: F401
from registry.admin import tokens as tokens  # noqa: F401
