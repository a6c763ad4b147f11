"""Admin registrations, split by concern. Importing the package registers everything.

An empty value reads "—" on every admin page (Django's default is "-", and values
shown outside Django's own display helpers would otherwise read "None").
"""

from django.contrib import admin

from registry.admin import auth as auth  # noqa: F401
from registry.admin import boundaries as boundaries  # noqa: F401
from registry.admin import divisions as divisions  # noqa: F401
from registry.admin import heritage as heritage  # noqa: F401
from registry.admin import lexicon as lexicon  # noqa: F401
from registry.admin import lockouts as lockouts  # noqa: F401
from registry.admin import name_bank as name_bank  # noqa: F401
from registry.admin import proposal_records as proposal_records  # noqa: F401
from registry.admin import review as review  # noqa: F401
from registry.admin import rounds as rounds  # noqa: F401
from registry.admin import places as places  # noqa: F401
from registry.admin import tokens as tokens  # noqa: F401

admin.site.empty_value_display = "—"
