"""A small Hefei registry for the validator's tables."""

import pytest

from registry.models import Division
from registry.services.heritage import heritage_listing_create
from registry.services.places import place_create

LUYANG, SHUSHAN, BAOHE, YAOHAI, FEIXI, LUJIANG = "340103", "340104", "340111", "340102", "340123", "340124"

EXISTING = [
    ("长江中路", "road", LUYANG, {}),
    ("长江西路", "road", SHUSHAN, {}),
    ("长江东路", "road", YAOHAI, {}),
    ("金寨路", "road", SHUSHAN, {}),
    ("徽州大道", "road", BAOHE, {"width_m": 60}),
    ("望江西路", "road", SHUSHAN, {}),
    ("经一路", "road", BAOHE, {}),
    ("宿州路", "road", LUYANG, {}),
    ("天鹅湖路", "road", SHUSHAN, {}),
    ("天鹅湖", "water", SHUSHAN, {}),
    ("长江路桥", "bridge", LUYANG, {}),
    ("三河镇", "town", FEIXI, {}),
    ("汤池镇", "town", LUJIANG, {}),
    ("琥珀山庄", "residential", SHUSHAN, {}),
]


@pytest.fixture
def registry(db):
    places = {}
    for name, category, division, details in EXISTING:
        places[name] = place_create(
            name=name, category=category, division=Division.objects.get(code=division), details=details
        )
    heritage_listing_create(place=places["三河镇"], scheme="ancient_town", level="provincial", status="listed")
    return places
