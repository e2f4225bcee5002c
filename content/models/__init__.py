"""The content bank: sources, topics, fact kinds (schemas), facts, question templates and the
conflict register.

Facts are modelled the way Anki models notes (typed fields validated against a kind) and
question templates the way it models card templates (patterns over those fields).
"""

from content.models.base import DataMapped
from content.models.conflicts import Conflict, ConflictClaim
from content.models.facts import Citation, Fact, FactKind, FactQuerySet
from content.models.sources import Source, Topic
from content.models.templates import QuestionTemplate

# django-simple-history files a history model under the app ("content") when its model lives
# in a submodule; file each here instead, where Django's shell and pickling look for it.
for _model in (Source, Topic, FactKind, Fact, QuestionTemplate, Conflict):
    _model.history.model.__module__ = __name__
    globals()[_model.history.model.__name__] = _model.history.model

__all__ = [
    "Citation",
    "Conflict",
    "ConflictClaim",
    "DataMapped",
    "Fact",
    "FactKind",
    "FactQuerySet",
    "QuestionTemplate",
    "Source",
    "Topic",
]
