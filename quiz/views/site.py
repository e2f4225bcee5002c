"""The site's own pages: home, sign-up, the student's profile, the health check, and the
500 handler."""

from __future__ import annotations

import sys

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from content.models import Fact, QuestionTemplate, Topic
from quiz.middleware import is_database_outage, unavailable
from quiz.models import Profile
from quiz.models.profile import default_display_name


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


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quiz:catalogue")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("quiz:catalogue")
    return render(request, "registration/signup.html", {"form": form})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("display_name",)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The student's public display name (rank lists never show login names)."""
    instance, _ = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your display name is saved.")
        return redirect("profile")
    return render(
        request,
        "registration/profile.html",
        {"form": form, "default_name": default_display_name(request.user.pk)},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a trivial query, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def hello(request: HttpRequest) -> HttpResponse:
    """A bare view for the load test's baseline: the framework's cost with no work."""
    return HttpResponse("hello")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage anywhere (sessions, auth, middleware) is a 503 page."""
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        return unavailable(exception)
    return HttpResponseServerError(render_to_string("500.html"))
