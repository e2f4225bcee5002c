"""The content admin: editors' pages for the bank, by what they edit.

``base`` holds what they share (history, the bank's problem list, the one preview mixin);
``facts``, ``templates`` (kinds and templates) and ``sources`` (sources, topics, conflicts)
register the model admins.
"""

from content.admin import facts, sources, templates  # noqa: F401  (registers the admins)
