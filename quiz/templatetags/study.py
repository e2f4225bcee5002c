"""Template helpers for the study tools shown beside a question."""

from __future__ import annotations

from django import template

from quiz.models import Bookmark, ErrorReport

register = template.Library()


@register.simple_tag(takes_context=True)
def study_state(context, question) -> str:
    """Set ``question.starred`` and ``question.reported`` unless the view already did for
    a whole list (the review page does it in two queries for every question)."""
    user = context["request"].user
    if not hasattr(question, "starred"):
        question.starred = Bookmark.objects.filter(
            user=user, question_key=question.question_key
        ).exists()
    if not hasattr(question, "reported"):
        question.reported = ErrorReport.objects.filter(user=user, question=question).first()
    return ""
