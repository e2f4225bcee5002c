from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from content.models import Fact, QuestionTemplate, Topic


def home(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.annotate(
        published=Count("facts", filter=Q(facts__status=Fact.Status.PUBLISHED))
    )
    return render(
        request,
        "quiz/home.html",
        {
            "topics": topics,
            "fact_count": Fact.objects.servable().count(),
            "template_count": QuestionTemplate.objects.filter(active=True).count(),
        },
    )
