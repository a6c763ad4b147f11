"""The registry's models, split by concern and re-exported explicitly."""

from registry.models.divisions import Division as Division
from registry.models.divisions import DivisionBoundary as DivisionBoundary
from registry.models.heritage import HeritageListing as HeritageListing
from registry.models.places import CategoryCode as CategoryCode
from registry.models.places import CodeCounter as CodeCounter
from registry.models.places import Place as Place
from registry.models.places import PlaceName as PlaceName
from registry.models.lexicon import AllowListEntry as AllowListEntry
from registry.models.lexicon import Revision as Revision
from registry.models.lexicon import WordListEntry as WordListEntry
from registry.models.review import Announcement as Announcement
from registry.models.review import Objection as Objection
from registry.models.review import Proposal as Proposal
from registry.models.review import ProposalEvent as ProposalEvent
from registry.models.imports import ImportKind as ImportKind
from registry.models.imports import ImportLock as ImportLock
from registry.models.imports import ImportRecord as ImportRecord
from registry.models.tokens import ApiToken as ApiToken
from registry.models.name_bank import BankStatus as BankStatus
from registry.models.name_bank import NameBankEntry as NameBankEntry
from registry.models.rounds import Round as Round
from registry.models.rounds import RoundAnnouncement as RoundAnnouncement
from registry.models.rounds import RoundEvent as RoundEvent
from registry.models.rounds import RoundItem as RoundItem
